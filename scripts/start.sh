#!/usr/bin/env bash
# `npm start`: build the .vsix, install it into a private code-server profile, open a demo workspace and print
# the URL. Ctrl-C stops everything it started.
#   npm start -- [--workspace DIR] [--port N] [--model-url URL]   (or DEVOPS_AGENT_BASE_URL=URL npm start)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-test-env.sh
npm run -s package
exec node scripts/startCodeServer.mjs "$@"
