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
commit() { GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -q -m "$2"; }
cp "$SRC/package.json" "$SRC/README.md" . && mkdir -p src test && cp "$SRC/src/orders.js" src/ && cp "$SRC/test/orders.test.js" test/
git add -A && commit "2026-10-02T09:12:00Z" "Orders module with tests"
cp "$SRC/src/server.js" src/ && git add -A && commit "2026-10-03T14:40:00Z" "HTTP server with health check"
cp "$SRC/Dockerfile" "$SRC/.dockerignore" . && git add -A && commit "2026-10-07T10:05:00Z" "Containerise the service"
mkdir -p .github/workflows k8s && cp "$SRC/.github/workflows/ci.yml" .github/workflows/ && cp "$SRC/k8s/deployment.yaml" k8s/
git add -A && commit "2026-10-09T16:30:00Z" "CI workflow and Kubernetes deployment"
# the env file is deliberately committed: one of the problems the agent should find
cp "$SRC/.env" . && git add -f .env && commit "2026-10-12T08:55:00Z" "Local configuration"
echo "demo workspace ready: $DEST ($(git rev-list --count HEAD) commits)"
