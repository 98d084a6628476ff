#!/usr/bin/env bash
# Regenerates docs/results/: for each workload of the library, the one
# sweep that answers its question (workloads/README.md), as
#   docs/results/sweep-NAME/compare.txt, compare.csv   slabsim compare's table
#   docs/results/sweep-NAME/compare.png                its plot (all figures)
#   docs/results/sweep-NAME/answer.csv, answer.png     the figures that answer
#                                                      the question, per point
#   docs/results/sweep-NAME/points.txt                 each point's command
# The points' run directories are not kept: each reruns alone to the same
# bytes (points.txt). Same build, same bytes; the PNGs need gnuplot.
#
# Usage: scripts/results.sh [SLABSIM]   (default build/slabsim, built by
# scripts/setup.sh when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/slabsim}
if [ ! -x "$bin" ]; then
	scripts/setup.sh >/dev/null
fi
out=docs/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# jnum FILE SECTION KEY: a number of summary.json: "KEY" inside the
# object "SECTION": {...} (its own keys, before any nested object), or the
# top-level "KEY" when SECTION is KEY. Empty when absent (or null).
jnum() {
	if [ "$2" = "$3" ]; then
		grep -o "\"$3\": [-0-9.]*" "$1" | head -1
	else
		grep -o "\"$2\": {[^}]*" "$1" | head -1 |
			grep -o "\"$3\": [-0-9.]*" | head -1
	fi | sed 's/.*: //'
}

# sweep NAME WORKLOAD KEY VALUES COLUMNS...: runs the sweep, keeps the
# comparison, and writes answer.csv with one row per point: the point's
# value, then each COLUMN given as "title=SECTION:KEY".
sweep() {
	local name=$1 workload=$2 key=$3 values=$4
	shift 4
	local dir=$out/sweep-$name
	rm -rf "$dir" "$work/$name"
	# a fixed relative folder, so points.txt names no temporary one
	mkdir -p sweeps
	"$bin" sweep "$workload" --vary "$key=$values" -j 2 -o "sweeps/$name" >/dev/null
	mkdir -p "$dir"
	cp "sweeps/$name/compare.txt" "sweeps/$name/compare.csv" "sweeps/$name/points.txt" "$dir/"
	[ -f "sweeps/$name/compare.png" ] && cp "sweeps/$name/compare.png" "$dir/"
	{
		printf '%s' "${key##*.}"
		for col in "$@"; do printf ',%s' "${col%%=*}"; done
		printf '\n'
		IFS=, read -ra vals <<<"$values"
		for v in "${vals[@]}"; do
			local s="sweeps/$name/${key##*.}-$v/summary.json"
			printf '%s' "$v"
			for col in "$@"; do
				local spec=${col#*=}
				printf ',%s' "$(jnum "$s" "${spec%%:*}" "${spec#*:}")"
			done
			printf '\n'
		done
	} >"$dir/answer.csv"
	if command -v gnuplot >/dev/null; then
		gnuplot -e "in='$dir/answer.csv'; out='$dir/answer.png'; ttl='$name: $key'" plots/answer.gp
	fi
	rm -rf "sweeps/$name"
}

sweep dcache-memory workloads/dentry_inode_churn.yaml machine.memory 16MiB,20MiB,24MiB,32MiB \
	"alloc failures=alloc_failures:alloc_failures" \
	"page alloc failures=page_alloc:failures" \
	"slab pages=slab:pages" \
	"idle partial bytes=slab_waste:idle_partial"
sweep net-limit workloads/net_producer_consumer.yaml caches.skbuff_head_cache.tune.limit 1,16,60,120 \
	"lock wait ns=locks:wait_ns" \
	"list_lock contentions=&parent->list_lock:contentions" \
	"alien lock contentions=&nc->lock:contentions" \
	"slab pages=slab:pages"
sweep fork-limit workloads/fork_exit.yaml caches.task_struct.tune.limit 1,8,24,120 \
	"lock contentions=locks:contentions" \
	"list_lock wait ns=&parent->list_lock:wait_ns" \
	"slab pages=slab:pages" \
	"parked cpu bytes=slab_waste:parked_cpu" \
	"idle free bytes=slab_waste:idle_free"
sweep kmalloc-debug workloads/kmalloc_mix.yaml slab.debug false,true \
	"bytes requested=slab_waste:bytes_requested" \
	"rounding bytes=slab_waste:rounding" \
	"left over bytes=slab_waste:left_over" \
	"bytes held=slab_waste:bytes_held"
sweep numa-nodes workloads/numa_alien.yaml machine.nodes 2,4,8 \
	"parked alien bytes=slab_waste:parked_alien" \
	"alien lock acquisitions=&nc->lock:acquisitions" \
	"lock contentions=locks:contentions" \
	"remote accesses=cache_model:remote"
sweep frag-minfree workloads/fragmentation.yaml machine.min_free_kbytes 0,32 \
	"page alloc failures=page_alloc:failures" \
	"free fraction at failure=first_failure:free_fraction" \
	"fragmentation index=first_failure:fragmentation_index"
rmdir sweeps 2>/dev/null || true
echo "written: $out/sweep-*/"
