#!/bin/sh
# Runs every plot script on the hand-written CSV files next to this script,
# in PNG and SVG, and fails if gnuplot fails, warns, or writes nothing.
# Usage: tests/data/plots/check.sh [SOURCE_ROOT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-$(cd "$here/../../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for gp in "$root"/plots/*.gp; do
	name=$(basename "$gp" .gp)
	[ "$name" = common ] && continue
	for fmt in png svg; do
		out="$tmp/$name.$fmt"
		if ! gnuplot -e "dir='$here'; out='$out'; fmt='$fmt'" "$gp" \
			2>"$tmp/err" || [ -s "$tmp/err" ] || [ ! -s "$out" ]; then
			echo "FAIL $name.$fmt"; cat "$tmp/err"; status=1
		else
			echo "ok   $name.$fmt"
		fi
	done
done
exit $status
