#!/usr/bin/env bash
# Set up, build, and run every test suite (unit, then end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
meson test -C build --print-errorlogs --num-processes 2 "$@"
