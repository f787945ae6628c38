#!/usr/bin/env bash
# Boot the KUnit-built kernel of one architecture in QEMU with a small
# initramfs (our init, the static hmm-tests and demo programs) and run one
# program in it.  MODE=hmm runs tools/testing/selftests/mm/hmm-tests, then
# the scenario of the out-of-tree style driver (pipeline/oot-driver.sh),
# MODE=migration the kernel's migration selftests (selftests/mm/migration,
# two NUMA nodes) with PMD-sized THPs and again with 64 KiB mTHPs, and
# MODE=table pipeline/guest/devmem-table.c (TABLE_ARGS), and each
# writes $RESULTS/<mode>-$arch[-variant].counts ("passed failed skipped reports
# expected": every kernel checker report in the guest's log is a failure,
# and goes to $LOGS/<mode>-$arch[-variant].reports) and, in the .cases file,
# the failed and skipped cases and how many CPUs came up.
#   guest.sh TREE ARCH OBJDIR MODE [VARIANT [EXTRA_CMDLINE]]
# GUEST_CPUS (2) vCPUs, GUEST_MEM (2G), HMM_TIMEOUT (1500 s).
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
arch=${2:?arch}
objdir=${3:?objdir}
mode=${4:?mode}
variant=${5:-}
extra=${6:-}
results=${RESULTS:?}
logs=${LOGS:?}
name=$mode-$arch${variant:+-$variant}
mkdir -p "$results" "$logs"
console=$logs/$name.console.log
rm -f "$results/$name.counts"

fail() {
	echo "guest: $name: $*" >&2
	case "$mode" in hmm | migration | table | stress) echo "0 1 0" > "$results/$name.counts" ;; esac
	exit 1
}

case "$arch" in
x86_64)
	cc=gcc
	kernel=$objdir/arch/x86/boot/bzImage
	qemu=(qemu-system-x86_64 -machine q35 -cpu max -bios qboot.rom)
	con=ttyS0
	;;
arm64)
	cc=aarch64-linux-gnu-gcc
	kernel=$objdir/arch/arm64/boot/Image.gz
	qemu=(qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on)
	con=ttyAMA0
	;;
*) fail "unknown ARCH" ;;
esac
[ -f "$kernel" ] || fail "no kernel at $kernel (the KUnit stage builds it)"

# Static test programs and initramfs, rebuilt when their sources change.
rootdir=$objdir/guest-root
mkdir -p "$rootdir/bin" "$rootdir/lib" "$rootdir/dev" "$rootdir/proc" "$rootdir/sys" "$rootdir/tmp"
sel=$tree/tools/testing/selftests
build_prog() { # out src... -- flags
	local out=$1; shift
	"$cc" -static -O2 -Wall -o "$out" "$@" >>"$logs/guest-build-$arch.log" 2>&1 ||
		fail "building $(basename "$out") failed (see $logs/guest-build-$arch.log)"
}
: > "$logs/guest-build-$arch.log"
build_prog "$rootdir/init" "$top/pipeline/guest/init.c"
build_prog "$rootdir/bin/hmm-tests" "$sel/mm/hmm-tests.c" -I"$tree" -I"$sel" -I"$tree/tools/include/uapi" -lpthread
# With pipeline/guest/numa for libnuma: no cross libnuma to install.
rm -f "$rootdir/bin/migration"
if [ "$mode" = migration ]; then
	build_prog "$rootdir/bin/migration" "$sel/mm/migration.c" "$sel/mm/thp_settings.c" \
		"$top/pipeline/guest/numa/numa.c" -I"$top/pipeline/guest/numa" \
		-I"$tree" -I"$sel" -I"$tree/tools/include/uapi" -lpthread
fi
for src in "$top"/pipeline/guest/*.c; do
	[ "$(basename "$src")" = init.c ] && continue
	build_prog "$rootdir/bin/$(basename "$src" .c)" "$src" -I"$tree" -lpthread
done

# test_hmm where it is a module (common.kunitconfig), which init loads, so
# that the stress run can unload it.  Other modules in lib/ are the
# programs' own (devmem_bench.ko: make demo, make bench).
rm -f "$rootdir/lib/test_hmm.ko"
if grep -qx 'CONFIG_TEST_HMM=m' "$objdir/.config"; then
	cp "$objdir/lib/test_hmm.ko" "$rootdir/lib/" || fail "no lib/test_hmm.ko in $objdir"
fi

# hmm mode also runs the out-of-tree style driver's scenario: its module,
# converted by the semantic patches alone on the patched tree, as written
# on stock.  A module that does not build leaves oot-dmem-test to fail its
# load case.
rm -f "$rootdir/lib/oot_dmem.ko"
if [ "$mode" = hmm ]; then
	if "$top/pipeline/oot-driver.sh" "$tree" "$objdir" "$arch" "$objdir/oot-driver" \
		2>>"$logs/guest-build-$arch.log"; then
		cp "$objdir/oot-driver/oot_dmem.ko" "$rootdir/lib/"
	else
		echo "guest: $name: oot_dmem.ko did not build (see $logs/guest-build-$arch.log)"
	fi
fi

gen=$BUILD/tools/gen_init_cpio
if [ ! -x "$gen" ]; then
	mkdir -p "$BUILD/tools"
	gcc -O2 -o "$gen" "$tree/usr/gen_init_cpio.c" || fail "building gen_init_cpio"
fi
list=$objdir/guest-initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in bin lib proc sys tmp; do echo "dir /$d 0755 0 0"; done
	echo "file /init $rootdir/init 0755 0 0"
	for f in "$rootdir"/bin/*; do echo "file /bin/$(basename "$f") $f 0755 0 0"; done
	for f in "$rootdir"/lib/*.ko; do
		[ -e "$f" ] && echo "file /lib/$(basename "$f") $f 0644 0 0"
	done
} > "$list"
"$gen" "$list" > "$objdir/guest-initramfs.cpio" || fail "gen_init_cpio"

case "$mode" in
hmm) prog=(/bin/hmm-tests + /bin/oot-dmem-test) ; tmo=${HMM_TIMEOUT:-1500} ;;
# The second run migrates PTE-mapped 64 KiB folios, whose migration
# entries remove_migration_ptes_folio() maps back (patch 20).
migration)
	thp=/sys/kernel/mm/transparent_hugepage
	prog=(/bin/migration + /bin/knob $thp/hugepages-64kB/enabled always
	      + /bin/knob $thp/hugepages-2048kB/enabled never + /bin/migration)
	tmo=${MIGRATION_TIMEOUT:-900} ;;
# The table's vmalloc area: TABLE_ARGS is "none" or the size registered.
table) prog=(/bin/devmem-table ${TABLE_ARGS:-none}) ; tmo=${TABLE_TIMEOUT:-600} ;;
demo) prog=(/bin/devmem-demo ${DEMO_ARGS:-}) ; tmo=${DEMO_TIMEOUT:-900} ;;
bench) prog=(/bin/devmem-bench ${BENCH_ARGS:-}) ; tmo=${BENCH_TIMEOUT:-1200} ;;
# devmem-stress SECONDS SEED [THREADS]
stress) prog=(/bin/devmem-stress ${STRESS_ARGS:-60 1}) ; tmo=${STRESS_TIMEOUT:-900} ;;
*) fail "unknown MODE" ;;
esac

# hmm-tests' *_device_coherent variants: test_hmm's devices 2 and 3 take
# 256 MiB each of guest RAM above what mem= lets the kernel use, so that it
# is not System RAM; the kernel keeps its 2 GiB (GUEST_COHERENT=0: no
# coherent devices, those variants skip).
mem=${GUEST_MEM:-2G}
coherent=
if [ "$mode" = hmm ] && [ "$mem" = 2G ] && [ "${GUEST_COHERENT:-1}" = 1 ]; then
	case "$arch" in
	x86_64) spm=(0x80000000 0x90000000) ;; # q35: all 2.5 GiB below 4 GiB
	arm64) spm=(0xc0000000 0xd0000000) ;;    # virt: RAM from 1 GiB
	esac
	mem=2560M
	coherent="mem=2G test_hmm.spm_addr_dev0=${spm[0]} test_hmm.spm_addr_dev1=${spm[1]}"
fi
# The stress run's injected failures log an allocation failure each: room
# for all of them, so that the dump still reaches back to the boot.
logbuf=
[ "$mode" != stress ] || logbuf=log_buf_len=32M
cmdline="console=$con loglevel=4 panic=-1 oops=panic kunit.enable=0 $logbuf $coherent $extra -- ${prog[*]}"
echo "guest: $name: booting (console: $console, timeout ${tmo}s)"
start=$(date +%s)
cpus=${GUEST_CPUS:-2}
# Two NUMA nodes of half the memory, to migrate between, and three vCPUs:
# the test wants two threads that touch the memory beside the one that
# moves it.
numa=()
if [ "$mode" = migration ]; then
	cpus=${GUEST_CPUS:-3}
	half=$(( ${mem%G} * 512 ))M
	numa=(-object memory-backend-ram,id=n0,size=$half -object memory-backend-ram,id=n1,size=$half
	      -numa node,nodeid=0,memdev=n0,cpus=0-1 -numa node,nodeid=1,memdev=n1,cpus=2)
fi
# GUEST_QEMU_OPTS: extra QEMU options (make bench: -mem-prealloc).
# shellcheck disable=SC2086
timeout --foreground -k 10 "$tmo" "${qemu[@]}" -m "$mem" -smp "$cpus" "${numa[@]}" ${GUEST_QEMU_OPTS:-} \
	-nographic -no-reboot -kernel "$kernel" -initrd "$objdir/guest-initramfs.cpio" \
	-append "$cmdline" </dev/null > "$console" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
[ $rc -eq 124 ] && echo "guest: $name: timed out after ${tmo}s" | tee -a "$console"

case "$mode" in
hmm | migration | table) parser=hmm ;;
stress) parser=stress ;;
*) parser= ;;
esac
if [ -n "$parser" ]; then
	[ "$mode" != stress ] || grep '^DEVMEM-STRESS' "$console" | tr -d '\r'
	python3 "$top/pipeline/results.py" "$parser" "$console" --reports "$logs/$name.reports" \
		--cpus "$cpus" > "$results/$name.counts" 2> "$logs/$name.cases"
	# Failures, checker reports and the CPU count in full; skips counted
	# by reason.
	grep -v '^skip ' "$logs/$name.cases" | sed "s/^/guest: $name: /"
	grep '^skip ' "$logs/$name.cases" | sed 's/.*# SKIP //' | sort | uniq -c |
		sed "s/^ *\([0-9]*\) \(.*\)/guest: $name: \1 skipped: \2/"
	read -r p f s r e < "$results/$name.counts"
	echo "guest: $name: $p passed, $f failed, $s skipped; checker reports: $r (+$e expected, $logs/$name.reports); ${secs}s"
else
	sed -n '/^DEVMEM-GUEST-RUN/,/^DEVMEM-GUEST-EXIT/p' "$console" | tr -d '\r'
	# A kernel without SMP, or QEMU short of vCPUs, would run it on fewer.
	up=$(sed -n 's/.*smp: Brought up [0-9]* nodes\{0,1\}, \([0-9]*\) CPUs\{0,1\}.*/\1/p' "$console" | head -1)
	if [ "${up:-1}" != "$cpus" ]; then
		echo "guest: $name: ${up:-1} of $cpus vCPUs came up"
		exit 1
	fi
	grep -q '^DEVMEM-GUEST-EXIT: 0' "$console"
fi
