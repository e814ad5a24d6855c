#!/usr/bin/env bash
# Creates the demo workspace (a copy of demo/files with a short, real git history) in the folder given.
#   bash demo/make-demo-workspace.sh DIR
set -euo pipefail
SRC="$(cd "$(dirname "$0")" && pwd)/files"
DEST="${1:?usage: make-demo-workspace.sh DIR}"
mkdir -p "$DEST"
cd "$DEST"
git init -q -b main
export GIT_AUTHOR_NAME="Dana Ops" GIT_AUTHOR_EMAIL="dana@example.invalid" GIT_COMMITTER_NAME="Dana Ops" GIT_COMMITTER_EMAIL="dana@example.invalid"
# Dates are days after a start 60 days ago (UTC), so the Delivery Metrics view's default 90-day window always holds them.
START=$(( $(date -u +%s) / 86400 * 86400 - 60 * 86400 ))
at() { echo "$(( START + $(awk "BEGIN { printf \"%d\", $1 * 86400 }") )) +0000"; }
commit() { GIT_AUTHOR_DATE="$(at "$1")" GIT_COMMITTER_DATE="$(at "$1")" git commit -q -m "$2"; }
release() { GIT_COMMITTER_DATE="$(at "$1")" git tag -a "$2" -m "orders-api $2"; }
cp "$SRC/package.json" "$SRC/README.md" . && mkdir -p src test && cp "$SRC/src/orders.js" src/ && cp "$SRC/test/orders.test.js" test/
git add -A && commit 0.4 "Orders module with tests"
cp "$SRC/src/server.js" src/ && git add -A && commit 1.6 "HTTP server with health check"
cp "$SRC/Dockerfile" "$SRC/.dockerignore" . && git add -A && commit 5.4 "Containerise the service"
mkdir -p .github/workflows k8s && cp "$SRC/.github/workflows/ci.yml" .github/workflows/ && cp "$SRC/k8s/deployment.yaml" k8s/
git add -A && commit 7.7 "CI workflow and Kubernetes deployment"
# the env file is deliberately committed: one of the problems the agent should find
cp "$SRC/.env" . && git add -f .env && commit 10.4 "Local configuration"
# Releases (annotated tags), a patch release 2.5 days after v1.1.0 and a revert shipped in v1.3.0: the Delivery
# Metrics view shows two failed deployments out of six.
release 11 v1.0.0
mkdir -p docs && printf '# Operations\n\nLogs: one JSON line per request (method, path, status, ms).\n' > docs/operations.md
git add -A && commit 15.3 "Request log format in the runbook"
release 17 v1.1.0
printf '\nHealth check: GET /healthz answers 200 when the service is up.\n' >> docs/operations.md
git add -A && commit 19.2 "Runbook: correct health check path"
release 19.5 v1.1.1
printf '// limit POST /orders to 10 requests per second per client\n' > src/rateLimit.js
git add -A && commit 26.1 "Rate limit for POST /orders"
release 28 v1.2.0
GIT_AUTHOR_DATE="$(at 30)" GIT_COMMITTER_DATE="$(at 30)" git revert --no-edit HEAD >/dev/null
release 30.5 v1.3.0
printf '\nReleases: tag vMAJOR.MINOR.PATCH on main; a patch release fixes the latest minor.\n' >> docs/operations.md
git add -A && commit 40.2 "Runbook: release process"
release 42 v1.4.0
printf '\nOrders are listed newest first.\n' >> docs/operations.md
git add -A && commit 52.5 "Runbook: order listing"
release 53 v1.5.0
echo "demo workspace ready: $DEST ($(git rev-list --count HEAD) commits, $(git tag | wc -l) release tags)"
