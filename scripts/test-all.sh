#!/usr/bin/env bash
# `npm test`: sets up what the tests need, then runs every suite and prints one closing line
# "N passed, N failed" (typecheck and lint count as one test each; mocha suites count their tests).
#   SKIP_SETUP=1      do not install or start anything (use what is there)
#   SUITES="unit integration e2e"   run only some suites (typecheck and lint always run)
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS="test-results"
mkdir -p "$RESULTS"
SUITES="${SUITES:-unit integration e2e}"
passed=0; failed=0; skipped=0
declare -a summary=()
section() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
count_file() {  # name file exit-code
  local name=$1 file=$2 code=$3 p=0 f=0 s=0
  if [ -f "$file" ]; then
    read -r p f s < <(node -e 'const c=require(process.argv[1]);console.log(c.passed|0,c.failed|0,c.skipped|0)' "$PWD/$file")
  fi
  # a suite that crashed before reporting, or exited non-zero with no failure counted, is one failure
  if [ "$code" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  summary+=("$(printf '%-22s %4d passed %4d failed %4d skipped' "$name" "$p" "$f" "$s")")
}
single() {  # name command...
  local name=$1; shift
  section "$name"
  if "$@"; then passed=$((passed + 1)); summary+=("$(printf '%-22s    1 passed    0 failed' "$name")")
  else failed=$((failed + 1)); summary+=("$(printf '%-22s    0 passed    1 failed' "$name")"); fi
}

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  section "setup"
  [ -d node_modules ] || npm ci --no-audit --no-fund
  case " $SUITES " in *" integration "*|*" e2e "*) bash scripts/ensure-test-env.sh || { echo "setup failed: see above"; failed=$((failed + 1)); } ;; esac
  if [ -f scripts/docker-engine-start.sh ]; then
    bash scripts/docker-engine-start.sh > "$RESULTS/docker-engine.log" 2>&1 \
      && echo "docker engine: ready" \
      || echo "docker engine: could not be started (Docker tests will skip loudly; see $RESULTS/docker-engine.log)"
  fi
fi

section "build"
node scripts/build-tests.mjs || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

single "typecheck" npm run -s typecheck
single "lint" npm run -s lint
single "package (.vsix contents)" bash -c 'npm run -s package >/dev/null && node scripts/check-package.mjs'

if [[ " $SUITES " == *" unit "* ]]; then
  section "unit tests (plain Node)"
  MOCHA_COUNTS_FILE="$RESULTS/unit-counts.json" npx mocha 'out/test/unit/**/*.test.js'
  count_file "unit" "$RESULTS/unit-counts.json" $?
fi

# integration tests load dist/extension.js: the production bundle the .vsix holds
if [[ " $SUITES " == *" integration "* ]]; then
  for suite in trusted untrusted; do
    section "integration tests in a real VS Code ($suite workspace)"
    flag=""; [ "$suite" = untrusted ] && flag="--untrusted"
    node test/harness/runIntegration.mjs $flag
    count_file "integration ($suite)" "$RESULTS/integration-$suite/counts.json" $?
  done
fi

if [[ " $SUITES " == *" e2e "* ]] && [ -f test/e2e/runE2e.mjs ]; then
  section "end-to-end: the installed .vsix driven through the UI"
  node test/e2e/runE2e.mjs
  count_file "e2e" "$RESULTS/e2e/counts.json" $?
  section "end-to-end without a language model: a newcomer's first review"
  node test/e2e/noModelE2e.mjs
  count_file "e2e (no model)" "$RESULTS/e2e/no-model/counts.json" $?
fi

section "summary"
printf '%s\n' "${summary[@]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
