#!/usr/bin/env bash
# Simulation speed: simulated slab operations (allocs + frees) per host
# second on a workload, median of N runs, cache-line model off by default.
# Usage: scripts/bench.sh [WORKLOAD] [RUNS] [extra slabsim run args...]
set -euo pipefail
cd "$(dirname "$0")/.."
workload=${1:-workloads/net_producer_consumer.yaml}
runs=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
[ -x build/slabsim ] || scripts/setup.sh >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rates=()
for i in $(seq 1 "$runs"); do
	t0=$(date +%s.%N)
	build/slabsim run "$workload" -o "$out/r$i" -q --set machine.caches.model=false "$@"
	t1=$(date +%s.%N)
	ops=$(sed -n 's/.*"allocations": \([0-9]*\).*/\1/p' "$out/r$i/summary.json" | head -1)
	frees=$(sed -n 's/.*"frees": \([0-9]*\).*/\1/p' "$out/r$i/summary.json" | head -1)
	rate=$(awk -v a="$ops" -v f="$frees" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", (a + f) / (t1 - t0) }')
	echo "run $i: $((ops + frees)) slab operations, $rate ops/s"
	rates+=("$rate")
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "median: $median simulated slab operations per second ($runs runs, $workload)"
