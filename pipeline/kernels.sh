# shellcheck shell=bash disable=SC2034
# The kernels the pipeline builds, in one place; sourced by test.sh, kunit.sh
# and demo.sh.
#
#   kernel_setup ARCH KERNEL
#
# KERNEL is one of
#   main   the make-test kernel of ARCH, with what the stress run needs
#          (fault injection, NUMA, userfaultfd): x86_64 is the debug
#          kernel (KASAN, lockdep, DEBUG_VM, DEBUG_LIST, DEBUG_OBJECTS,
#          page_owner, SMP); arm64 the VA_BITS=39 kernel
#   kcsan  the x86_64 KCSAN kernel (KCSAN and KASAN exclude each other)
#   16k    arm64 with 16K pages, VA_BITS=47: KUnit only
#   64k    arm64 with 64K pages, VA_BITS=52: KUnit and hmm-tests
#   plain  common + ARCH only, no debug fragment: make demo (arm64: the
#          main kernel, or with PAGE_SIZE=16K|64K that kernel)
# and sets
#   k_configs       kunitconfig fragments (kunit.sh adds devmem.kunitconfig
#                   on the patched base)
#   k_suffix        of the build directory $BUILD/<base>/ARCH<suffix> and of
#                   the stage names (kunit-ARCH<suffix>, hmm-ARCH<suffix>)
#   k_cmdline       kernel command line of its KUnit run and its guests
#   k_kunit_timeout kunit.py --timeout (the run, not the build), seconds
#   k_hmm_timeout   hmm-tests guest timeout, seconds
# Returns 1 if there is no such kernel for ARCH.
kernel_setup() {
	local arch=$1 kernel=$2 kdir=${TOP:?}/kunit
	k_configs=("$kdir/common.kunitconfig" "$kdir/$arch.kunitconfig")
	k_suffix=
	k_cmdline=
	k_kunit_timeout=900
	k_hmm_timeout=1500
	case "$arch/$kernel" in
	x86_64/main)
		k_configs+=("$kdir/debug-x86_64.kunitconfig" "$kdir/stress.kunitconfig")
		# The page_ext users must cope with index-addressed descriptors.
		k_cmdline=page_owner=on
		# KASAN, lockdep and the object debugging under QEMU TCG: 2-4x.
		# hmm-tests takes about 2 minutes here: a hung guest must not
		# eat the CI budget.
		k_kunit_timeout=1800
		k_hmm_timeout=1200
		;;
	x86_64/kcsan)
		k_configs+=("$kdir/kcsan.kunitconfig")
		k_suffix=-kcsan
		k_kunit_timeout=1800
		k_hmm_timeout=1200
		;;
	x86_64/plain)
		# Not the debug kernel of make test: its own build directory.
		k_suffix=-plain
		;;
	arm64/main | arm64/plain)
		# One kernel for make test and make demo: what the stress run
		# needs is in both.
		k_configs+=("$kdir/arm64-4k.kunitconfig" "$kdir/stress.kunitconfig")
		;;
	arm64/16k | arm64/64k)
		k_configs+=("$kdir/arm64-$kernel.kunitconfig")
		k_suffix=-$kernel
		;;
	*) return 1 ;;
	esac
	return 0
}
