#!/usr/bin/env bash
# Regenerate the golden files of tests/golden on purpose, then show what
# changed: read the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
SLABSIM_REGEN_GOLDEN=1 meson test -C build test_golden --print-errorlogs
git status --short tests/golden
git diff --stat tests/golden
