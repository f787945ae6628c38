#!/usr/bin/env bash
# Build and run the KUnit suites for one architecture through the kernel's own
# kunit.py.  The same image later boots the hmm-tests guest (kunit.enable=0).
# Writes $RESULTS/kunit-$arch.counts: "passed failed skipped".
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arch=${2:?arch}
objdir=${3:?build dir}
results=${RESULTS:?}
logs=${LOGS:?}
filter=${SUITE:-}
mkdir -p "$results" "$logs" "$objdir"

configs=(--kunitconfig="$top/kunit/common.kunitconfig" --kunitconfig="$top/kunit/$arch.kunitconfig")
# Our own suites exist only in the patched tree.
[ "${BASE_KIND:-patched}" = stock ] || configs+=(--kunitconfig="$top/kunit/devmem.kunitconfig")

cross=()
cc=gcc
case "$arch" in
x86_64) ;;
arm64) cross=(--cross_compile=aarch64-linux-gnu-); cc=aarch64-linux-gnu-gcc ;;
*) echo "kunit: unknown ARCH=$arch" >&2; exit 2 ;;
esac
command -v ccache >/dev/null && cc="ccache $cc"

mode=${KUNIT_MODE:-run}
if [ "$mode" = build ]; then
	echo "kunit: $arch: building (log: $logs/kunit-build-$arch.log)"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py build --arch="$arch" "${cross[@]}" \
		--build_dir="$objdir" "${configs[@]}" \
		--make_options="CC=$cc" --make_options="HOSTCC=${HOSTCC:-gcc}" \
		--jobs="${JOBS:-2}") > "$logs/kunit-build-$arch.log" 2>&1 ||
		{ tail -20 "$logs/kunit-build-$arch.log"; exit 1; }
	exit 0
fi

# A failed build must not leave the guests an old kernel to boot.
rm -f "$objdir/arch/x86/boot/bzImage" "$objdir/arch/arm64/boot/Image.gz"

json=$results/kunit-$arch.json
log=$logs/kunit-$arch.log
rm -f "$json" "$results/kunit-$arch.counts"
echo "kunit: $arch: building and running (log: $log)"
start=$(date +%s)
(
	cd "$tree" &&
	python3 tools/testing/kunit/kunit.py run --arch="$arch" "${cross[@]}" \
		--build_dir="$objdir" "${configs[@]}" \
		--make_options="CC=$cc" --make_options="HOSTCC=${HOSTCC:-gcc}" \
		--jobs="${JOBS:-2}" --timeout="${KUNIT_TIMEOUT:-900}" \
		--json="$json" ${filter:+"$filter"}
) > "$log" 2>&1
rc=$?
grep -E '^\[..:..:..\] (Testing complete|Elapsed)|^\[..:..:..\] .*(FAILED|CRASHED)' "$log" | sed "s/^/kunit: $arch: /" | tail -20
if [ "${BASE_KIND:-patched}" = stock ] && grep -q '0 tests run' "$log" && [ -f "$objdir/.config" ]; then
	# The stock tree has none of our suites: the stage only builds the
	# kernel that the hmm-tests guest boots.
	echo "kunit: $arch: stock tree: no devmem suites, kernel built for the guest"
	echo "0 0 0" > "$results/kunit-$arch.counts"
else
	python3 "$top/pipeline/results.py" kunit "$json" "$rc" > "$results/kunit-$arch.counts"
fi
echo "kunit: $arch: $(cat "$results/kunit-$arch.counts") (passed failed skipped), kunit.py rc=$rc, $(( $(date +%s) - start ))s"
