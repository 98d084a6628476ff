#!/usr/bin/env bash
# The sanitizer and fuzz checks CI runs after scripts/test.sh:
#  1. build-san/: slabsim and every test built with AddressSanitizer and
#     UndefinedBehaviorSanitizer (gcc), the whole suite run there. Any
#     finding fails: UBSan does not recover (-fno-sanitize-recover=all),
#     ASan halts, leaks count. The fuzz suite runs there too, as plain
#     drivers over the seed corpora and their fixed mutations.
#  2. build-fuzz/: the fuzz harnesses linked with libFuzzer (clang, ASan,
#     UBSan) and their smoke runs (meson test --suite fuzz), when clang
#     and its compiler-rt are there (scripts/setup.sh --fuzz installs them).
#  3. build-tsan/: slabsim with ThreadSanitizer, driven by the streaming
#     tests with the parser reading ahead on another thread.
# The whole suite runs unscaled: under the sanitizers it takes under a
# minute on 2 cores. Extra arguments go to both `meson test`s.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps-only --fuzz

san_opts=(-Db_sanitize=address,undefined -Db_lto=false -Doptimization=1
	  -Db_lundef=false -Dc_args=-fno-sanitize-recover=all
	  -Dc_link_args=-fno-sanitize-recover=all)
# tests that cannot run under the sanitizers (valgrind) skip on this
export SLABSIM_SANITIZED=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:halt_on_error=1:detect_leaks=1}"
# abort, not exit(1): the e2e tests fail any child killed by a signal
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

count() {	# the closing line CI reads, as scripts/test.sh prints it
	local log=$1 what=$2 ok fail timeout
	ok=$(sed -n 's/^Ok: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
	fail=$(sed -n 's/^Fail: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
	timeout=$(sed -n 's/^Timeout: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -1)
	echo "$what: ${ok:-0} passed, $(( ${fail:-0} + ${timeout:-0} )) failed"
}

rc=0
# -O1 and no LTO: fast enough, and the reports stay readable.
[ -f build-san/build.ninja ] || meson setup build-san "${san_opts[@]}" >/dev/null
ninja -C build-san
meson test -C build-san --print-errorlogs --num-processes 2 \
	--timeout-multiplier 3 "$@" | tee build-san/test-output.txt || rc=$?
count build-san/test-output.txt "sanitizer tests"

# libFuzzer needs clang with compiler-rt: try a one-line harness first.
probe=$(mktemp -d)
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n' \
	> "$probe/p.c"
if command -v clang >/dev/null &&
   clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null; then
	[ -f build-fuzz/build.ninja ] ||
		CC=clang meson setup build-fuzz -Dfuzzer=true "${san_opts[@]}" >/dev/null
	# Only the harnesses: the rest of build-fuzz is not needed.
	ninja -C build-fuzz $(meson introspect build-fuzz --targets |
		python3 -c 'import json,sys; print(" ".join(t["filename"][0] for t in json.load(sys.stdin) if t["name"].startswith("fuzz_")))' |
		sed "s|$PWD/build-fuzz/||g")
	meson test -C build-fuzz --no-rebuild --suite fuzz --print-errorlogs \
		"$@" | tee build-fuzz/test-output.txt || rc=$?
	count build-fuzz/test-output.txt "libFuzzer smoke"
else
	echo "libFuzzer smoke: skipped (no clang with compiler-rt; the harnesses ran as drivers above)"
fi

# ThreadSanitizer on the one place slabsim has two threads: the parser
# reading a trace ahead (sim/workload/compose.c). Only slabsim is built
# (build-tsan/); the streaming tests drive it, reading ahead on every
# file. A report fails the test (TSan's exit code is not 0 or 2).
printf 'int main(void) { return 0; }\n' > "$probe/t.c"
tsan_cc=
for cc in clang gcc; do
	if command -v "$cc" >/dev/null &&
	   "$cc" -fsanitize=thread "$probe/t.c" -o "$probe/t" 2>/dev/null &&
	   "$probe/t"; then
		tsan_cc=$cc
		break
	fi
done
if [ -n "$tsan_cc" ]; then
	[ -f build-tsan/build.ninja ] ||
		CC=$tsan_cc meson setup build-tsan -Db_sanitize=thread -Db_lto=false \
			-Doptimization=1 >/dev/null
	ninja -C build-tsan slabsim
	if TSAN_OPTIONS="halt_on_error=1:exitcode=66" SLABSIM_READ_AHEAD=1 \
	   SLABSIM="$PWD/build-tsan/slabsim" SLABSIM_SRC="$PWD" \
	   build-san/tests/test_stream_e2e > build-tsan/test-output.txt 2>&1; then
		echo "thread sanitizer (streaming tests, reading ahead): passed"
	else
		cat build-tsan/test-output.txt
		echo "thread sanitizer (streaming tests, reading ahead): FAILED"
		rc=1
	fi
else
	echo "thread sanitizer: skipped (no compiler here links -fsanitize=thread)"
fi
rm -rf "$probe"
exit "$rc"
