#!/usr/bin/env bash
# Stops the engine started by scripts/docker-engine-start.sh (same knobs). Idempotent.
#   bash scripts/docker-engine-stop.sh           remove all containers, stop dockerd (and its containerd), unmount leftovers
#   PURGE=1 bash scripts/docker-engine-stop.sh   also delete the data root (images!) and the docker0 bridge
# Kills only PIDs that dockerd and containerd recorded themselves (pidfiles), never by process name.
set -uo pipefail
DOCKER_SOCK=${DOCKER_SOCK:-/var/run/docker.sock}
DOCKER_DATA_ROOT=${DOCKER_DATA_ROOT:-/var/lib/docker}
DOCKER_EXEC_ROOT=${DOCKER_EXEC_ROOT:-/var/run/docker}
DOCKER_CI_DIR=${DOCKER_CI_DIR:-/var/lib/docker-ci}
PURGE=${PURGE:-0}
PIDFILE="$DOCKER_CI_DIR/dockerd.pid"
CTRD_PIDFILE="$DOCKER_EXEC_ROOT/containerd/containerd.pid"
export DOCKER_HOST="unix://$DOCKER_SOCK"
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=$(command -v docker || echo docker); fi
T0=$EPOCHREALTIME
say() { printf '[docker-engine-stop +%ss] %s\n' "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%5.1f", b-a}')" "$*"; }
[ "$(id -u)" = 0 ] || { echo "[docker-engine-stop] must run as root: sudo bash $0" >&2; exit 1; }

# alive and not a zombie: where init reaps slowly, a killed process stays listed as <defunct>
alive() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1)" != Z ]; }
wait_gone() {  # pid seconds
  local i; for i in $(seq 1 $(( $2 * 10 ))); do alive "$1" || return 0; sleep 0.1; done; return 1
}

pid=$(cat "$PIDFILE" 2>/dev/null || true)
ctrd=$(cat "$CTRD_PIDFILE" 2>/dev/null || true)
if [ -n "$pid" ] && alive "$pid" && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = dockerd ]; then
  # Containers whose PID 1 ignores SIGTERM (sh, sleep) would hold shutdown 10 s each; remove them first.
  ids=$(timeout 10 "$DOCKER" ps -aq 2>/dev/null || true)
  if [ -n "$ids" ]; then say "removing containers: $(echo $ids)"; timeout 60 "$DOCKER" rm -f $ids >/dev/null 2>&1 || true; fi
  say "SIGTERM dockerd $pid"
  kill -TERM "$pid"
  if ! wait_gone "$pid" 30; then say "dockerd still alive after 30 s, SIGKILL"; kill -KILL "$pid" 2>/dev/null; wait_gone "$pid" 5; fi
  say "dockerd stopped"
else
  say "dockerd not running (pidfile $PIDFILE: '${pid}')"
fi
rm -f "$PIDFILE"
if [ -n "$ctrd" ] && alive "$ctrd" && [ "$(cat /proc/"$ctrd"/comm 2>/dev/null)" = containerd ]; then
  say "stopping leftover containerd $ctrd"; kill -TERM "$ctrd"; wait_gone "$ctrd" 10 || kill -KILL "$ctrd" 2>/dev/null
fi
# dockerd trusts a containerd pidfile whose PID still exists (even as a zombie) and then times out waiting for it
rm -f "$CTRD_PIDFILE"
# After an unclean dockerd death the container processes and their containerd-shim survive;
# stop them by the PIDs containerd recorded (<bundle>/init.pid; the shim is that process's parent).
for f in "$DOCKER_EXEC_ROOT"/containerd/daemon/io.containerd.runtime.v2.task/*/*/init.pid; do
  [ -f "$f" ] || continue
  ipid=$(cat "$f" 2>/dev/null || true); [ -n "$ipid" ] && alive "$ipid" || continue
  spid=$(ps -o ppid= -p "$ipid" | tr -d ' ')
  say "killing orphaned container process $ipid ($(cat /proc/"$ipid"/comm 2>/dev/null))"
  kill -KILL "$ipid" 2>/dev/null
  if [ -n "$spid" ] && [ "$spid" != 1 ] && [[ "$(cat /proc/"$spid"/comm 2>/dev/null)" == containerd-shim* ]]; then
    wait_gone "$ipid" 5
    if alive "$spid"; then say "stopping its shim $spid"; kill -TERM "$spid"; wait_gone "$spid" 5 || kill -KILL "$spid" 2>/dev/null; fi
  fi
done
# Unmount what dockerd left at or under its roots (netns, the data-root bind mount, overlay "merged" mounts).
for root in "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT"; do
  findmnt -rn -o TARGET 2>/dev/null | awk -v r="$root" '$0 == r || index($0, r "/") == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; say "unmounted $m"
  done
done
rm -f "$DOCKER_SOCK"
if [ "$PURGE" = 1 ]; then
  say "purging $DOCKER_DATA_ROOT $DOCKER_EXEC_ROOT and docker0"
  rm -rf "$DOCKER_DATA_ROOT" "$DOCKER_EXEC_ROOT"
  if ip link show docker0 >/dev/null 2>&1; then ip link delete docker0; fi
fi
say "done"
