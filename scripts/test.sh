#!/usr/bin/env bash
# Set up, build, and run every test suite (unit, end-to-end, golden,
# regression).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
rc=0
meson test -C build --print-errorlogs --num-processes 2 "$@" | tee build/test-output.txt || rc=$?
# The closing line CI reads: suites passed and failed.
ok=$(sed -n 's/^Ok: *\([0-9][0-9]*\).*/\1/p' build/test-output.txt | tail -1)
fail=$(sed -n 's/^Fail: *\([0-9][0-9]*\).*/\1/p' build/test-output.txt | tail -1)
timeout=$(sed -n 's/^Timeout: *\([0-9][0-9]*\).*/\1/p' build/test-output.txt | tail -1)
echo "tests: ${ok:-0} passed, $(( ${fail:-0} + ${timeout:-0} )) failed"
exit "$rc"
