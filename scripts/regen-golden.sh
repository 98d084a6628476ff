#!/usr/bin/env bash
# Regenerate the golden files of tests/golden on purpose, then show what
# changed: read the diff before committing it (in a commit of its own
# whose message explains every change of output).
#
#   scripts/regen-golden.sh            build/ (scripts/setup.sh), all goldens
#   BUILD=build-dev scripts/regen-golden.sh   an existing build directory
#
# Regenerates tests/golden/NAME/ (test_golden, from tests/golden/NAME.yaml)
# and tests/golden/workloads/NAME/ (test_regression, one per
# workloads/NAME.yaml, new workloads included).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
if [ "$build" = build ]; then
	scripts/setup.sh >/dev/null
else
	ninja -C "$build" >/dev/null
fi
SLABSIM_REGEN_GOLDEN=1 meson test -C "$build" test_golden test_regression \
	--print-errorlogs
git status --short tests/golden
git diff --stat tests/golden
