#!/usr/bin/env bash
# Build and run the KUnit suites on one kernel through the kernel's own
# kunit.py.  The same image later boots the hmm-tests guest (kunit.enable=0).
#   kunit.sh TREE ARCH OBJDIR [KERNEL]
# KERNEL: main (default), kcsan or plain; see pipeline/kernels.sh.
# Writes $RESULTS/kunit-$arch[-kcsan].counts: "passed failed skipped reports
# expected", where every kernel checker report in the kernel's log
# ($OBJDIR/test.log) no test announced is a failure too, and the reports to
# $LOGS/kunit-$arch[-kcsan].reports.
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arch=${2:?arch}
objdir=${3:?build dir}
kernel=${4:-main}
results=${RESULTS:?}
logs=${LOGS:?}
filter=${SUITE:-}
mkdir -p "$results" "$logs" "$objdir"

# shellcheck source=pipeline/kernels.sh
. "$top/pipeline/kernels.sh"
kernel_setup "$arch" "$kernel" || { echo "kunit: no $kernel kernel for ARCH=$arch" >&2; exit 2; }
stage=kunit-$arch$k_suffix
configs=()
for c in "${k_configs[@]}"; do configs+=(--kunitconfig="$c"); done
# Our own suites exist only in the patched tree (DEVMEM_KUNITCONFIG: those
# of them a commit of the series has, pipeline/series-check.sh).
[ "${BASE_KIND:-patched}" = stock ] ||
	configs+=(--kunitconfig="${DEVMEM_KUNITCONFIG:-$top/kunit/devmem.kunitconfig}")
kargs=()
for a in $k_cmdline; do kargs+=(--kernel_args="$a"); done
cpus=${GUEST_CPUS:-2}

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
	blog=$logs/kunit-build-$arch$k_suffix.log
	echo "kunit: $arch$k_suffix: building (log: $blog)"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py build --arch="$arch" "${cross[@]}" \
		--build_dir="$objdir" "${configs[@]}" \
		--make_options="CC=$cc" --make_options="HOSTCC=${HOSTCC:-gcc}" \
		--jobs="${JOBS:-2}") > "$blog" 2>&1 ||
		{ tail -20 "$blog"; exit 1; }
	exit 0
fi

# A failed build must not leave the guests an old kernel to boot.
rm -f "$objdir/arch/x86/boot/bzImage" "$objdir/arch/arm64/boot/Image.gz"

json=$results/$stage.json
log=$logs/$stage.log
# kunit.py tees the kernel's console to $objdir/test.log.
klog=$objdir/test.log
rm -f "$json" "$results/$stage.counts" "$klog"
echo "kunit: $stage: building and running (log: $log, kernel log: $klog)"
start=$(date +%s)
(
	cd "$tree" &&
	python3 tools/testing/kunit/kunit.py run --arch="$arch" "${cross[@]}" \
		--build_dir="$objdir" "${configs[@]}" \
		--make_options="CC=$cc" --make_options="HOSTCC=${HOSTCC:-gcc}" \
		--jobs="${JOBS:-2}" --timeout="${KUNIT_TIMEOUT:-$k_kunit_timeout}" \
		--qemu_args="-smp $cpus" "${kargs[@]}" \
		--json="$json" ${filter:+"$filter"}
) > "$log" 2>&1
rc=$?
grep -E '^\[..:..:..\] (Testing complete|Elapsed)|^\[..:..:..\] .*(FAILED|CRASHED)' "$log" | sed "s/^/kunit: $stage: /" | tail -20
scan=(--log "$klog" --reports "$logs/$stage.reports" --cpus "$cpus")
if [ "${BASE_KIND:-patched}" = stock ] && grep -q '0 tests run' "$log" && [ -f "$objdir/.config" ]; then
	# The stock tree has none of our suites: the stage builds the kernel
	# that the hmm-tests guest boots, and its boot is checked.
	echo "kunit: $stage: stock tree: no devmem suites, kernel built for the guest"
	scan+=(--no-suites)
fi
python3 "$top/pipeline/results.py" kunit "$json" "$rc" "${scan[@]}" \
	> "$results/$stage.counts" 2> "$logs/$stage.cases"
sed "s/^/kunit: $stage: /" "$logs/$stage.cases"
read -r p f s r e < "$results/$stage.counts"
echo "kunit: $stage: $p passed, $f failed, $s skipped; checker reports: $r (+$e expected, $logs/$stage.reports); kunit.py rc=$rc, $(( $(date +%s) - start ))s"
