#!/usr/bin/env bash
# Runs the three Node proofs that pgsim is faithful, each against its own
# pgsim: Cashfree's SDK, the OpenAPI spec, and a customer paying in Chromium.
#
# Usage: tests/pgsim/node/run.sh /path/to/pgsim [test ...]
#   (or PGSIM_BIN=/path/to/pgsim); tests default to all three:
#   sdk_conformance openapi_validate customer_pays
# Needs `npm ci` in this folder first (tools/setup.sh does it), and
# /usr/bin/chromium (Debian's chromium) for customer_pays.
# Exits non-zero if any test fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${PGSIM_BIN:-}}
[ $# -gt 0 ] && shift
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  echo "run.sh: give the pgsim binary: run.sh /path/to/pgsim (got '${bin}')" >&2
  exit 2
fi
if [ ! -d "$here/node_modules/cashfree-pg" ]; then
  echo "run.sh: run 'npm ci' in $here first" >&2
  exit 2
fi
export PGSIM_BIN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(sdk_conformance openapi_validate customer_pays)

passed=0 failed=0 failures=()
for t in "${tests[@]}"; do
  echo "=== $t"
  if node "$here/$t.mjs"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$t"); fi
done
echo
[ $failed -gt 0 ] && echo "failed: ${failures[*]}"
echo "pgsim node: $passed passed, $failed failed"
[ $failed -eq 0 ]
