#!/usr/bin/env bash
# make test (and make kunit, make hmm): every stage of every architecture
# runs even when an earlier one failed; the closing line adds them all up and
# the exit status says whether anything failed or did not run.
#   test.sh TREE "ARCHES" [all|kunit|hmm]
# KERNELS (default "main kcsan 16k 64k") names the kernels to build and run,
# see pipeline/kernels.sh: the main kernel of each architecture (x86_64: the
# debug kernel), the x86_64 KCSAN kernel, arm64 with 16K and with 64K pages.
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arches=${2:?arches}
what=${3:-all}
kernels=${KERNELS:-main kcsan 16k 64k}
out=$BUILD/$BASE_KIND
start=$(date +%s)
rm -rf "$RESULTS"
mkdir -p "$RESULTS" "$LOGS"

# shellcheck source=pipeline/kernels.sh
. "$top/pipeline/kernels.sh"
for kernel in $kernels; do
	case "$kernel" in
	main | kcsan | 16k | 64k | plain) ;;
	*) echo "test: KERNELS: no kernel '$kernel' (main, kcsan, 16k, 64k, plain)" >&2; exit 2 ;;
	esac
done

if [ "$what" = all ]; then
	# The checker-report scanner itself, on its sample logs, first: the
	# kernel stages' counts depend on it.
	python3 "$top/pipeline/results.py" selftest --counts "$RESULTS/results-selftest.counts" \
		> "$LOGS/results-selftest.log" 2>&1
	[ -s "$RESULTS/results-selftest.counts" ] || echo "0 1 0" > "$RESULTS/results-selftest.counts"
	echo "results-selftest: $(tail -1 "$LOGS/results-selftest.log")"
	grep '^FAIL' "$LOGS/results-selftest.log"
fi

for arch in $arches; do
	for kernel in $kernels; do
		# No KCSAN kernel for arm64, no 16K or 64K pages for x86_64.
		kernel_setup "$arch" "$kernel" || continue
		obj=$out/$arch$k_suffix
		if [ "$what" != hmm ]; then
			"$top/pipeline/kunit.sh" "$tree" "$arch" "$obj" "$kernel"
		fi
		# 16K pages: KUnit only (time budget); 64K pages run hmm-tests.
		if [ "$what" != kunit ] && [ "$kernel" != 16k ]; then
			HMM_TIMEOUT=${HMM_TIMEOUT:-$k_hmm_timeout} \
				"$top/pipeline/guest.sh" "$tree" "$arch" "$obj" hmm "${k_suffix#-}" "$k_cmdline"
			if [ "$BASE_KIND" = patched ] && [ "$kernel" = main ]; then
				# make stress, short: every mm operation against
				# migration on the debug kernel (stock test_hmm lacks
				# the knobs it drives).  Without fault injection: an
				# injected run is make stress's (README).
				STRESS_ARGS="${STRESS_TEST_SECONDS:-60} ${STRESS_SEED:-1} 0 nofaults" STRESS_TIMEOUT=1200 \
					"$top/pipeline/guest.sh" "$tree" "$arch" "$obj" stress "" "$k_cmdline"
			fi
			if [ "$arch" = arm64 ] && [ "$kernel" = main ]; then
				# The kernel's own migration selftests, for the
				# remap of large folios' migration entries (patch
				# 20), patched and stock: on arm64, whose QEMU
				# machine gives the kernel two NUMA nodes (the
				# x86_64 kernels have no ACPI NUMA without PCI).
				"$top/pipeline/guest.sh" "$tree" "$arch" "$obj" migration "" "$k_cmdline"
			fi
			if [ "$BASE_KIND" = patched ] && [ "$kernel" = main ]; then
				# The table takes vmalloc space only once something
				# registers (test_hmm registers at load: keep it out),
				# and has it after a 4 TiB registration.
				TABLE_ARGS=none "$top/pipeline/guest.sh" "$tree" "$arch" "$obj" table none \
					"$k_cmdline initcall_blacklist=hmm_dmirror_init"
				TABLE_ARGS=4T "$top/pipeline/guest.sh" "$tree" "$arch" "$obj" table 4T \
					"$k_cmdline test_hmm.large_devmem=4T"
			fi
		fi
	done
done

if [ "$what" = all ]; then
	for t in "$top"/pipeline/tests/*.sh; do
		[ -e "$t" ] && [ "$BASE_KIND" = patched ] && "$t" "$tree"
	done
fi

echo "test: base $BASE_KIND ($tree), $(( $(date +%s) - start ))s; logs in $LOGS"
python3 "$top/pipeline/results.py" summary "$RESULTS"
