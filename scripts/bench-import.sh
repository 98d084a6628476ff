#!/usr/bin/env bash
# Measures `slabsim import` speed in trace lines per second.
#
#   scripts/bench-import.sh [TRACE] [LINES] [RUNS]
#
# Builds a large trace by replicating a real capture (default the perf
# script excerpt tests/data/traces/perf-churn.txt) until it has about
# LINES lines (3,000,000): replica k is shifted later in time by k times
# the capture's span, and its pointers get k in their top hex digits
# (ptr=0xffff... becomes ptr=0x000k..., ftrace's hashed ptr=0000...
# likewise), so each replica's objects are its own. Then it imports it
# RUNS times (5), each a whole process writing to tmpfs when there is
# one, and prints the medians per wall second and per CPU second, next
# to the floor: the cheapest programs reading the same bytes (wc -l, and
# cat into /dev/null).
set -euo pipefail
cd "$(dirname "$0")/.."

src=${1:-tests/data/traces/perf-churn.txt}
want=${2:-3000000}
runs=${3:-5}
bin=${SLABSIM:-build/slabsim}
[ -x "$bin" ] || scripts/setup.sh >/dev/null
scratch=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )/bench-import.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

big=$scratch/big.txt
awk -v want="$want" '
	{ line[n++] = $0 }
	function stamp(s) { return substr(s, 1, length(s) - 1) + 0 }
	END {
		first = -1
		for (i = 0; i < n; i++) {
			m = split(line[i], f, " ")
			for (j = 1; j <= m; j++)
				if (f[j] ~ /^[0-9]+\.[0-9]+:$/) {
					t = stamp(f[j])
					if (first < 0) first = t
					last = t
					break
				}
		}
		span = last - first + 0.001
		reps = int((want + n - 1) / n)
		for (k = 0; k < reps; k++) {
			hex = sprintf("%04x", k % 65536)
			for (i = 0; i < n; i++) {
				s = line[i]
				if (match(s, / [0-9]+\.[0-9]+: /)) {
					t = substr(s, RSTART + 1, RLENGTH - 3) + k * span
					s = substr(s, 1, RSTART) sprintf("%.6f", t) substr(s, RSTART + RLENGTH - 2)
				}
				gsub(/ptr=0xffff/, "ptr=0x" hex, s)
				gsub(/ptr=0000/, "ptr=" hex, s)
				print s
			}
		}
	}' "$src" > "$big"
lines=$(wc -l < "$big")
bytes=$(wc -c < "$big")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# One run of a command: "wall cpu" seconds (cpu = user + system, which
# leaves out time a shared host gave to others).
one() {
	local TIMEFORMAT='%R %U %S' t
	t=$( { time "$@" >/dev/null; } 2>&1 )
	echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
measure() { # name command...: prints the medians' rates
	local name=$1 res wall cpu
	shift
	res=$(for _ in $(seq "$runs"); do one "$@"; done)
	wall=$(echo "$res" | awk '{ print $1 }' | median)
	cpu=$(echo "$res" | awk '{ print $2 }' | median)
	awk -v n="$name" -v l="$lines" -v w="$wall" -v c="$cpu" 'BEGIN {
		printf "%-16s %10d lines/s wall (%.3f s), %10d lines/s CPU (%.3f s)\n",
		       n, l / w, w, (c > 0 ? l / c : 0), c }'
}

echo "trace: $lines lines, $bytes bytes (replicas of $src); medians of $runs runs"
measure "slabsim import" "$bin" import -q "$big" -o "$scratch/out.yaml"
measure "floor: wc -l" wc -l "$big"
measure "floor: cat" cat "$big"
