#!/usr/bin/env bash
# Starts a real Docker engine for CI and the Docker tool tests on a root-run Debian machine without systemd and
# without registry access, and imports a local busybox image (local/busybox:latest, also tagged busybox:latest).
# Idempotent: reuses an installed docker.io, a running daemon and an imported image.
#
#   sudo bash scripts/docker-engine-start.sh        then the engine answers on /var/run/docker.sock
#
# Knobs (environment, all optional):
#   DOCKER_SOCK=/var/run/docker.sock        API socket (the default needs no DOCKER_HOST)
#   DOCKER_DATA_ROOT=/var/lib/docker        images, containers, volumes
#   DOCKER_EXEC_ROOT=/var/run/docker        runtime state
#   DOCKER_STORAGE_DRIVERS="overlay2 vfs"   tried in order until dockerd answers
#   TEST_IMAGE=local/busybox:latest         busybox-static rootfs imported with `docker import`
#   TEST_IMAGE_EXTRA_TAGS="busybox:latest"  extra tags for the same image ("" for none)
#   DOCKER_CI_DIR=/var/lib/docker-ci        dockerd pidfile and log, busybox .deb cache, env file
#   APT_LOCK_TIMEOUT=600                    seconds to wait for another apt/dpkg to finish
set -euo pipefail

DOCKER_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
DOCKER_DATA_ROOT=${DOCKER_DATA_ROOT:-/var/lib/docker}
DOCKER_EXEC_ROOT=${DOCKER_EXEC_ROOT:-/var/run/docker}
DOCKER_STORAGE_DRIVERS=${DOCKER_STORAGE_DRIVERS:-overlay2 vfs}
TEST_IMAGE=${TEST_IMAGE:-local/busybox:latest}
TEST_IMAGE_EXTRA_TAGS=${TEST_IMAGE_EXTRA_TAGS-busybox:latest}
DOCKER_CI_DIR=${DOCKER_CI_DIR:-/var/lib/docker-ci}
APT_LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-600}

PIDFILE="$DOCKER_CI_DIR/dockerd.pid"
LOG="$DOCKER_CI_DIR/dockerd.log"
CACHE="$DOCKER_CI_DIR/cache"
ENVFILE="$DOCKER_CI_DIR/env"
export DOCKER_HOST="unix://$DOCKER_SOCK"
export DEBIAN_FRONTEND=noninteractive
T0=$EPOCHREALTIME
say() { printf '[docker-engine +%ss] %s\n' "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%5.1f", b-a}')" "$*"; }
die() { echo "[docker-engine] $*" >&2; exit 1; }

client() {  # the client that matches Debian's daemon when present, else any docker on PATH (API 1.41 is enough)
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker || true; fi
}
engine_up() { local d; d=$(client); [ -n "$d" ] && "$d" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
# alive and not a zombie: where init reaps slowly, a killed dockerd stays listed as <defunct>
alive() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1)" != Z ]; }

# ---------------------------------------------------------------- 1. packages
if engine_up; then
  say "engine already answering on $DOCKER_SOCK"
else
  [ "$(id -u)" = 0 ] || die "no engine answers on $DOCKER_SOCK and starting one needs root: run 'sudo bash $0'"
  mkdir -p "$DOCKER_CI_DIR" "$CACHE"
  if ! [ -x /usr/sbin/dockerd ] || ! [ -x /usr/bin/docker ] || ! command -v containerd >/dev/null || ! command -v runc >/dev/null; then
    say "installing docker.io from Debian ..."
    # No systemd here: keep the package's postinst from starting a daemon of its own.
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
    apt_install() { apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" "$@"; }
    if ! apt_install docker.io; then
      say "install failed; running apt-get update and retrying"
      apt-get update -q -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT"
      apt_install docker.io
    fi
    [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
    say "docker.io installed: $(/usr/sbin/dockerd --version)"
  fi
fi
DOCKER=$(client)
[ -n "$DOCKER" ] || die "no docker client found"

# ---------------------------------------------------------------- 2. daemon
start_dockerd() {  # $1 = storage driver; returns 0 once the API answers
  local drv=$1 pid
  mkdir -p "$DOCKER_DATA_ROOT" "$DOCKER_EXEC_ROOT" "$(dirname "$DOCKER_SOCK")"
  rm -f "$DOCKER_SOCK"   # stale socket from an unclean stop
  say "starting dockerd (storage=$drv), log $LOG"
  echo "==== $(date -u +%FT%TZ) start storage=$drv" >> "$LOG"
  # setsid: its own session, so the calling shell's exit or Ctrl-C does not take the daemon down.
  setsid /usr/sbin/dockerd \
      --data-root "$DOCKER_DATA_ROOT" --exec-root "$DOCKER_EXEC_ROOT" \
      --pidfile "$PIDFILE" -H "unix://$DOCKER_SOCK" --storage-driver "$drv" \
      </dev/null >>"$LOG" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do            # up to 30 s
    if engine_up; then say "dockerd pid $pid answering on $DOCKER_SOCK"; return 0; fi
    alive "$pid" || break
    sleep 0.1
  done
  say "dockerd with storage=$drv did not come up; last log lines:"; tail -n 15 "$LOG" >&2 || true
  if alive "$pid"; then
    kill -TERM "$pid"; for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # a failed overlay2 start can leave the data-root bind mount behind; the next driver needs it gone
  findmnt -rn -o TARGET 2>/dev/null | awk -v r="$DOCKER_DATA_ROOT" '$0 == r || index($0, r "/") == 1' | sort -r |
    while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  return 1
}

if ! engine_up; then
  # A daemon from an earlier run that is alive but not answering (still starting, or wedged): give it 10 s, then stop it.
  old=$(cat "$PIDFILE" 2>/dev/null || true)
  if [ -n "$old" ] && alive "$old" && [ "$(cat /proc/"$old"/comm 2>/dev/null)" = dockerd ]; then
    say "dockerd $old from the pidfile is alive but not answering; waiting up to 10 s"
    for _ in $(seq 1 100); do engine_up && break; sleep 0.1; done
    if ! engine_up; then
      say "stopping unresponsive dockerd $old"
      kill -TERM "$old" 2>/dev/null || true
      for _ in $(seq 1 100); do alive "$old" || break; sleep 0.1; done
      kill -KILL "$old" 2>/dev/null || true
    fi
  fi
  # After an unclean stop (dockerd killed), orphaned container processes and mounts slow the next start down;
  # the stop script clears them using only the PIDs containerd recorded.
  if { [ -n "$old" ] || [ -e "$DOCKER_EXEC_ROOT/containerd/containerd.pid" ]; } && ! engine_up; then
    say "cleaning up after an unclean stop"
    bash "$(dirname "${BASH_SOURCE[0]}")/docker-engine-stop.sh" | sed 's/^/  /'
  fi
fi
if ! engine_up; then
  ok=0
  for drv in $DOCKER_STORAGE_DRIVERS; do
    if start_dockerd "$drv"; then ok=1; break; fi
  done
  [ "$ok" = 1 ] || die "could not start dockerd with any of: $DOCKER_STORAGE_DRIVERS (log: $LOG)"
fi
say "engine: $("$DOCKER" info --format 'server {{.ServerVersion}} storage {{.Driver}} cgroup {{.CgroupDriver}}/v{{.CgroupVersion}} root {{.DockerRootDir}}')"

# ---------------------------------------------------------------- 3. local test image (no registry)
if "$DOCKER" image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
  say "test image $TEST_IMAGE already present"
else
  [ "$(id -u)" = 0 ] || die "$TEST_IMAGE is missing and building it needs root (apt-get download): run 'sudo bash $0'"
  mkdir -p "$CACHE"
  deb=$(ls "$CACHE"/busybox-static_*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    say "downloading the busybox-static .deb (not installed system-wide)"
    (cd "$CACHE" && apt-get download -q busybox-static 2>&1 | grep -v 'Download is performed unsandboxed' || true)
    deb=$(ls "$CACHE"/busybox-static_*.deb 2>/dev/null | head -n1 || true)
    if [ -z "$deb" ]; then
      apt-get update -q -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT"
      (cd "$CACHE" && apt-get download -q busybox-static)
      deb=$(ls "$CACHE"/busybox-static_*.deb | head -n1)
    fi
  fi
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,etc,root,tmp,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$rootfs" ./bin/busybox
  # one perl process (perl-base is Essential in Debian) instead of ~270 forks of ln
  perl -e 'my $d = shift; for (@ARGV) { next if $_ eq "busybox"; symlink("busybox", "$d/$_") or die "$_: $!" }' \
    "$rootfs/bin" $("$rootfs/bin/busybox" --list)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  tar --numeric-owner -C "$rootfs" -c . |
    "$DOCKER" import --change 'CMD ["/bin/sh"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$TEST_IMAGE" >/dev/null
  rm -rf "$rootfs"; trap - EXIT
  say "imported $TEST_IMAGE ($("$DOCKER" image inspect -f '{{.Id}}' "$TEST_IMAGE"))"
fi
for t in $TEST_IMAGE_EXTRA_TAGS; do "$DOCKER" tag "$TEST_IMAGE" "$t"; done

# ---------------------------------------------------------------- 4. smoke test and env file
out=$("$DOCKER" run --rm "$TEST_IMAGE" echo engine-ok)
[ "$out" = engine-ok ] || die "smoke test failed: $out"
if [ -w "$DOCKER_CI_DIR" ] || { [ "$(id -u)" = 0 ] && mkdir -p "$DOCKER_CI_DIR"; }; then
  printf 'DOCKER_HOST=%s\n' "$DOCKER_HOST" > "$ENVFILE"
fi
say "ready; images: $("$DOCKER" images --format '{{.Repository}}:{{.Tag}}' | tr '\n' ' ')"
say "DOCKER_HOST=$DOCKER_HOST"
