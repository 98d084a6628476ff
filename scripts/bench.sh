#!/usr/bin/env bash
# Simulation speed: simulated slab operations (allocations + frees) per
# host second on a workload, median of N runs, cache-line model off by
# default. Each run is a whole process (start-up, boot of the simulated
# kernel, the run, the reports). Two rates per run:
#   wall  operations / elapsed time
#   cpu   operations / (user + system time): what the simulator itself
#         costs, without the time a shared host gives to someone else
# Usage: scripts/bench.sh [WORKLOAD] [RUNS] [extra slabsim run args...]
set -euo pipefail
cd "$(dirname "$0")/.."
workload=${1:-workloads/net_producer_consumer.yaml}
runs=${2:-5}
shift $(( $# > 2 ? 2 : $# )) || true
scripts/setup.sh >/dev/null	# builds what changed, so the current source is measured
# Scratch output on tmpfs when there is one: the run directory is written
# all the same, but a disk file system's inode work is not the simulator's.
out=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
TIMEFORMAT='%R %U %S'
walls=() cpus=()
for i in $(seq 1 "$runs"); do
	t=$( { time build/slabsim run "$workload" -o "$out/r$i" -q \
		--set machine.caches.model=false "$@" ; } 2>&1 )
	read -r real user sys <<<"$(tail -1 <<<"$t")"
	allocs=$(sed -n 's/.*"allocations": \([0-9]*\).*/\1/p' "$out/r$i/summary.json" | head -1)
	frees=$(sed -n 's/.*"frees": \([0-9]*\).*/\1/p' "$out/r$i/summary.json" | head -1)
	ops=$((allocs + frees))
	wall=$(awk -v o="$ops" -v t="$real" 'BEGIN { printf "%.0f", o / t }')
	cpu=$(awk -v o="$ops" -v u="$user" -v s="$sys" 'BEGIN { printf "%.0f", o / (u + s) }')
	echo "run $i: $ops slab operations in ${real}s (${user}s user, ${sys}s system): $wall ops/s wall, $cpu ops/s cpu"
	walls+=("$wall")
	cpus+=("$cpu")
done
echo "median: $(printf '%s\n' "${walls[@]}" | median) simulated slab operations per second wall, $(printf '%s\n' "${cpus[@]}" | median) per cpu second ($runs runs, $workload)"
