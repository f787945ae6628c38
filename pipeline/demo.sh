#!/usr/bin/env bash
# make demo: for each ARCH (arm64: VA_BITS=39, 4K pages), build the patched
# and the stock kernel with bench/devmem_bench.ko, boot each in QEMU with
# 2 GiB and run pipeline/guest/devmem-demo.c: register DEMO_SIZE of
# device-private memory at once, migrate DEMO_MIB into it (spread over the
# whole registration; THPs move whole), fault it back, verify it, find the largest
# registration accepted; then print both runs side by side.
set -uo pipefail

top=${TOP:?}
arches=${1:?arch}
size=${DEMO_SIZE:-4T}
mib=${DEMO_MIB:-256}
bases=${DEMO_BASES:-patched stock}
rc=0
# shellcheck source=pipeline/kernels.sh
. "$top/pipeline/kernels.sh"

for arch in $arches; do
	case "$arch" in
	arm64) cross=aarch64-linux-gnu- ;;
	x86_64) cross= ;;
	*) echo "demo: unknown ARCH=$arch"; exit 2 ;;
	esac
	# Without make test's debug options (KASAN would time the demo too):
	# for arm64 the same kernel as make test's, for x86_64 its own.
	# PAGE_SIZE=16K or 64K: make test's arm64 kernel with those pages.
	case "$arch/${PAGE_SIZE:-4K}" in
	*/4K) kernel=plain ;;
	arm64/16K) kernel=16k ;;
	arm64/64K) kernel=64k ;;
	*) echo "demo: PAGE_SIZE=$PAGE_SIZE: 4K, or for arm64 16K or 64K"; exit 2 ;;
	esac
	kernel_setup "$arch" "$kernel" || exit 2
	tag=$arch${k_suffix/-plain/}
	for base in $bases; do
		tree=$(BASE_KIND=$base "$top/pipeline/tree.sh") || exit 1
		obj=$BUILD/$base/$arch$k_suffix
		export LOGS=$BUILD/$base/logs RESULTS=$BUILD/$base/results
		mkdir -p "$LOGS" "$RESULTS"
		BASE_KIND=$base KUNIT_MODE=build "$top/pipeline/kunit.sh" "$tree" "$arch" "$obj" "$kernel" ||
			{ rc=1; continue; }
		mod=$BUILD/$base/demo-module-$tag
		rm -rf "$mod"
		mkdir -p "$mod" "$obj/guest-root/lib"
		cp "$top"/bench/devmem_bench.c "$top"/bench/Kbuild "$mod/"
		make -s -C "$tree" O="$obj" M="$mod" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
			modules > "$LOGS/demo-module-$tag.log" 2>&1 ||
			{ echo "demo: $tag $base: building devmem_bench.ko failed ($LOGS/demo-module-$tag.log)"; rc=1; continue; }
		cp "$mod/devmem_bench.ko" "$obj/guest-root/lib/"

		cmdline=${DEMO_CMDLINE:-}
		[ "$base" = patched ] && cmdline="test_hmm.large_devmem=$size $cmdline"
		echo "demo: $tag, $base kernel, guest RAM ${GUEST_MEM:-2G}, register $size, buffer $mib MiB"
		DEMO_ARGS="$mib $size thp" "$top/pipeline/guest.sh" "$tree" "$arch" "$obj" demo "" "$cmdline" \
			> "$LOGS/demo-$tag.out" 2>&1
		status=$?
		# A refused registration is the expected outcome on stock, not a failure.
		if [ $status -ne 0 ]; then
			echo "demo: $tag $base: FAILED (console: $LOGS/demo-$arch.console.log)"
			rc=1
		fi
		cp "$LOGS/demo-$arch.console.log" "$BUILD/demo-$tag-$base.console.log"
	done
	python3 "$top/pipeline/demo_table.py" "$tag" "$size" \
		"$BUILD/demo-$tag-patched.console.log" "$BUILD/demo-$tag-stock.console.log" |
		tee "$BUILD/demo-$tag.txt"
done
exit $rc
