#!/usr/bin/env bash
# The main job: set up, run the default workload, draw its plots.
# Usage: scripts/demo.sh [WORKLOAD] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
workload=${1:-workloads/default.yaml}
out=${2:-runs/$(basename "$workload" .yaml)}
mkdir -p "$(dirname "$out")"
build/slabsim run "$workload" -o "$out"
build/slabsim plot "$out"
echo "report: $out/summary.json, $out/slabinfo; plots: $out/plots/"
