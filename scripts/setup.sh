#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks and builds slabsim into build/.
# Safe to run again: it installs only what is missing and rebuilds
# incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."

#   --deps-only   install what is missing, build nothing
#   --fuzz        also clang and its compiler-rt, for the libFuzzer build
#                 of tests/fuzz/ (scripts/test-sanitize.sh); best effort:
#                 without them the harnesses run as plain drivers
#   --retrain     train the profile-guided build again
deps_only=false fuzz=false retrain=false
for arg in "$@"; do
	case "$arg" in
	--deps-only) deps_only=true ;;
	--fuzz) fuzz=true ;;
	--retrain) retrain=true ;;
	*) echo "setup: unknown option $arg" >&2; exit 2 ;;
	esac
done

packages=(meson ninja-build pkg-config gcc libc6-dev libyaml-dev libcmocka-dev zlib1g-dev gnuplot-nox python3 valgrind)
# Debian 12 names; only for the fuzz build, never needed by the normal one.
fuzz_packages=(clang libclang-rt-14-dev)

missing_of() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}
install() {
	echo "setup: installing $*"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
mapfile -t missing < <(missing_of "${packages[@]}")
if [ ${#missing[@]} -gt 0 ]; then
	install "${missing[@]}"
fi
if $fuzz; then
	mapfile -t missing < <(missing_of "${fuzz_packages[@]}")
	if [ ${#missing[@]} -gt 0 ]; then
		install "${missing[@]}" ||
			echo "setup: could not install ${missing[*]}: the fuzz harnesses run as plain drivers only"
	fi
fi
if $deps_only; then
	exit 0
fi

# build/ is optimised with profile feedback (gcc -fprofile-use): a first
# build with instrumentation runs the canonical workloads once, and the
# final build lays out and inlines the code for the paths they took.
# Results are the same bytes either way; only the speed differs. Later
# runs rebuild incrementally; a file changed since keeps an older profile,
# which costs at most speed (scripts/setup.sh --retrain trains again).
if [ ! -f build/build.ninja ]; then
	meson setup build
fi
if [ ! -f build/pgo-trained ] || $retrain; then
	echo "setup: building with instrumentation and training it on workloads/"
	meson configure build -Db_pgo=generate >/dev/null
	find build -name '*.gcda' -delete
	ninja -C build slabsim
	rm -rf build/pgo-train
	mkdir -p build/pgo-train
	for w in default net_producer_consumer fragmentation; do
		build/slabsim run "workloads/$w.yaml" -o "build/pgo-train/$w" -q
		build/slabsim run "workloads/$w.yaml" -o "build/pgo-train/$w-nocm" -q \
			--set machine.caches.model=false
	done
	# a streamed trace in the compact form, as slabsim import writes them
	python3 scripts/gen-trace.py 200000 1000 compact > build/pgo-train/trace.yaml
	build/slabsim run build/pgo-train/trace.yaml -o build/pgo-train/trace -q \
		--set machine.caches.model=false
	build/slabsim run build/pgo-train/trace.yaml -o build/pgo-train/trace-cm -q
	build/slabsim import -q tests/data/traces/perf-build.txt \
		-o build/pgo-train/imported.yaml
	build/slabsim run build/pgo-train/imported.yaml -o build/pgo-train/imported -q
	meson configure build -Db_pgo=use >/dev/null
	touch build/pgo-trained
fi
ninja -C build
