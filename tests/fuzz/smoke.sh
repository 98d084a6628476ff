#!/bin/sh
# The fuzz suite's smoke run with libFuzzer: 20000 executions
# (or 20 s, whichever comes first) from the seed corpus. New inputs go to
# a scratch directory in the build tree, never into the repository's
# seeds; a crash leaves its input there as crash-*.
#   smoke.sh HARNESS SEEDS SCRATCH [libFuzzer flags...]
set -eu
harness=$1 seeds=$2 scratch=$3
shift 3
rm -rf "$scratch"
mkdir -p "$scratch/corpus"
# libFuzzer's own exit code for a finding is 77, which meson reads as
# "skipped": a finding must fail the suite.
exec "$harness" -error_exitcode=1 -timeout_exitcode=1 \
	-runs="${SLABSIM_FUZZ_RUNS:-20000}" \
	-max_total_time="${SLABSIM_FUZZ_SECONDS:-20}" -max_len=65536 \
	-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$scratch/" "$@" "$scratch/corpus" "$seeds"
