#!/usr/bin/env bash
# Streaming benchmark (issue "Real kernel traces in"): a synthetic explicit
# trace (scripts/gen-trace.py) run end to end (load + simulate + reports)
# against libyaml's bare event parse of the same file (build/tests/
# bench_yaml, the floor), and peak memory as the trace grows.
#
#   scripts/bench-stream.sh [EVENTS_SMALL EVENTS_LARGE]   (1000000 10000000)
#
# Prints, per trace: the median of $RUNS (5) wall and user+system times of the
# bare parse and of slabsim run (cache model off, then on), their ratio,
# and the peak resident set size. slabsim parses a long trace's events on
# a thread of its own while it simulates (the wall ratio is the time a
# user waits, the cpu ratio the work done); the "one thread" row is the
# same run with SLABSIM_READ_AHEAD=0, parsing in line. Then bytes per
# live object from two traces that differ only in how many objects they
# keep live. Scratch files go to $BENCH_DIR (default
# /tmp/slabsim-bench-stream), ~1 GB at the default sizes. Run it on a
# quiet host: with the second CPU busy, the wall ratio is the cpu one.
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-1000000}
large=${2:-10000000}
dir=${BENCH_DIR:-/tmp/slabsim-bench-stream}
runs=${RUNS:-5}
[ -x /usr/bin/time ] || { echo "bench-stream.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$dir"
scripts/setup.sh >/dev/null
ninja -C build tests/bench_yaml >/dev/null

gen() {	# events live form
	local f="$dir/trace-$1-$2-$3.yaml"
	if [ ! -s "$f" ]; then
		python3 scripts/gen-trace.py "$1" "$2" "$3" > "$f.tmp"
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# median of $runs runs of a command: "wall cpu maxrss_kb" (wall and cpu
# each their own median; a shared host slows the odd run down)
measure() {
	local i out=()
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -o "$dir/time.txt" -f '%e %U %S %M' "$@" >/dev/null 2>&1
		out+=("$(tail -1 "$dir/time.txt")")
	done
	printf '%s\n' "${out[@]}" | awk '{ print $1, $2 + $3, $4 }' > "$dir/runs.txt"
	paste -d' ' <(cut -d' ' -f1 "$dir/runs.txt" | sort -g | sed -n "$((runs / 2 + 1))p") \
		<(cut -d' ' -f2 "$dir/runs.txt" | sort -g | sed -n "$((runs / 2 + 1))p") \
		<(cut -d' ' -f3 "$dir/runs.txt" | sort -g | tail -1)
}

row() {	# label read-ahead(default|0) file [--set ...]
	local label=$1 ra=$2 f=$3
	shift 3
	read -r bw bc _ < <(measure build/tests/bench_yaml "$f")
	if [ "$ra" = default ]; then
		read -r rw rc rm < <(measure build/slabsim run "$f" -o "$dir/out" -q "$@")
	else
		read -r rw rc rm < <(measure env SLABSIM_READ_AHEAD="$ra" build/slabsim run "$f" -o "$dir/out" -q "$@")
	fi
	awk -v l="$label" -v bw="$bw" -v bc="$bc" -v rw="$rw" -v rc="$rc" -v rm="$rm" \
		'BEGIN { printf "%-34s %7.2f %7.2f %7.2f %7.2f %6.2fx %6.2fx %8d\n", l, bw, bc, rw, rc, rw / bw, rc / bc, rm }'
}

# one run unmeasured first: the first runs after a build are the slow ones
build/slabsim run "$(gen "$small" 1000 compact)" -o "$dir/out" -q \
	--set machine.caches.model=false
printf '%-34s %7s %7s %7s %7s %7s %7s %8s\n' trace parse_s parse_cpu run_s run_cpu wall cpu rss_kB
for n in "$small" "$large"; do
	row "compact $n, model off" default "$(gen "$n" 1000 compact)" --set machine.caches.model=false
done
row "compact $large, off, one thread" 0 "$(gen "$large" 1000 compact)" --set machine.caches.model=false
row "compact $large, model on" default "$(gen "$large" 1000 compact)"
row "mapping $large, model off" default "$(gen "$large" 1000 mapping)" --set machine.caches.model=false

# bytes per live object: the same length of trace, 1,000 against 100,000 live
read -r _ _ m1 < <(measure build/slabsim run "$(gen "$small" 1000 compact)" -o "$dir/out" -q --set machine.caches.model=false)
read -r _ _ m2 < <(measure build/slabsim run "$(gen "$small" 100000 compact)" -o "$dir/out" -q --set machine.caches.model=false)
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "peak RSS %d kB with 1,000 live, %d kB with 100,000 live: %.0f bytes per live object (simulated memory included)\n", a, b, (b - a) * 1024 / 99000 }'
