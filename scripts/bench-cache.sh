#!/usr/bin/env bash
# What the cache-line model costs: the same workload with the model on and
# off, as a ratio (the model's budget is 2x), two ways:
#   instructions  callgrind's count of one run each (repeatable to the
#                 instruction; needs valgrind), and per slab operation
#   time          median user+system seconds of RUNS runs each, on and off
#                 interleaved so that a busy host slows both alike
# With --scaling it also compares instructions per operation at 64 CPUs
# against 8 (the model's budget: within 1.5x).
#
# Usage: scripts/bench-cache.sh [--workload W] [--runs N] [--cpus N]
#                               [--duration D] [--scaling]
# Defaults: workloads/bench_cache.yaml, 5 runs, the workload's CPUs and
# duration (200ms) for timings; callgrind runs use 50ms.
# SLABSIM=path/to/slabsim measures that binary instead of building build/.
set -euo pipefail
cd "$(dirname "$0")/.."

workload=workloads/bench_cache.yaml
runs=5
cpus=
duration=
scaling=false
while [ $# -gt 0 ]; do
	case $1 in
	--workload) workload=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--scaling) scaling=true; shift ;;
	-h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench-cache: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
if [ -z "${SLABSIM:-}" ]; then
	scripts/setup.sh >/dev/null	# the current source, as users build it
	SLABSIM=build/slabsim
fi
out=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$out"' EXIT

sets=()
[ -n "$cpus" ] && sets+=(--set "machine.cpus=$cpus")
[ -n "$duration" ] && sets+=(--set "duration=$duration")

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ops_of() { sed -n 's/.*"operations": \([0-9]*\).*/\1/p' "$1/summary.json" | head -1; }

# instructions of one run: prints "instructions operations"
instructions() {
	local model=$1; shift
	valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
		"$SLABSIM" run "$workload" -o "$out/cgrun" -q \
		--set "machine.caches.model=$model" "$@" 2>"$out/cg.err"
	local ir
	ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/cg.err")
	echo "$ir $(ops_of "$out/cgrun")"
}

TIMEFORMAT='%U %S'
on=() off=()
for i in $(seq 1 "$runs"); do
	for model in true false; do
		t=$( { time "$SLABSIM" run "$workload" -o "$out/r" -q \
			--set "machine.caches.model=$model" "${sets[@]}" ; } 2>&1 )
		s=$(awk '{ printf "%.3f", $1 + $2 }' <<<"$(tail -1 <<<"$t")")
		if [ $model = true ]; then on+=("$s"); else off+=("$s"); fi
	done
done
ton=$(printf '%s\n' "${on[@]}" | median)
toff=$(printf '%s\n' "${off[@]}" | median)
echo "time: model on ${ton}s, off ${toff}s (median of $runs, user+system): ratio $(awk -v a="$ton" -v b="$toff" 'BEGIN { printf "%.2f", a / b }')x"

if ! command -v valgrind >/dev/null; then
	echo "instructions: valgrind not installed (apt-get install valgrind)"
	exit 0
fi
cg=(--set duration=50ms)
[ -n "$duration" ] && cg=(--set "duration=$duration")
[ -n "$cpus" ] && cg+=(--set "machine.cpus=$cpus")
read -r ion oops <<<"$(instructions true "${cg[@]}")"
read -r ioff fops <<<"$(instructions false "${cg[@]}")"
echo "instructions: model on $ion ($((ion / oops)) per operation), off $ioff ($((ioff / fops)) per operation): ratio $(awk -v a="$ion" -v b="$ioff" 'BEGIN { printf "%.2f", a / b }')x"

if $scaling; then
	for model in true false; do
		# the load grows with the machine (rates are per CPU): a shorter
		# run at 64 CPUs keeps the operation counts alike
		read -r i8 o8 <<<"$(instructions $model --set machine.cpus=8 --set duration=50ms)"
		read -r i64 o64 <<<"$(instructions $model --set machine.cpus=64 --set duration=6250us)"
		echo "scaling, model $model: $((i8 / o8)) instructions per operation at 8 CPUs, $((i64 / o64)) at 64: $(awk -v a="$i64" -v b="$o64" -v c="$i8" -v d="$o8" 'BEGIN { printf "%.2f", (a / b) / (c / d) }')x"
	done
fi
