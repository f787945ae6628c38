#!/usr/bin/env bash
# make bench: boot the stock and the patched x86_64 kernel with the same QEMU
# settings, load bench/devmem_bench.ko (built against each) and run the demo's
# migration; print one table side by side and write build/bench/bench.json.
set -uo pipefail

top=${TOP:?}
out=$BUILD/bench
mkdir -p "$out"
export GUEST_MEM=${GUEST_MEM:-6G} GUEST_CPUS=${GUEST_CPUS:-2}
# Guest RAM is host memory touched on first use: without preallocation the
# kernel that touched more memory before the migration rounds (stock, whose
# registrations fill gigabytes of struct pages) gets its later page
# allocations without host page faults, and migration looks faster on it.
export GUEST_QEMU_OPTS=${GUEST_QEMU_OPTS:--mem-prealloc}

# TCG speed moves from one boot to the next by more than the differences
# measured: boot each kernel BENCH_BOOTS times, alternating, and take medians.
boots=${BENCH_BOOTS:-3}

for base in stock patched; do
	tree=$(BASE_KIND=$base "$top/pipeline/tree.sh") || exit 1
	obj=$BUILD/$base/bench-x86_64
	logs=$BUILD/$base/logs
	mkdir -p "$logs"
	echo "bench: $base: building the kernel (log: $logs/bench-build.log)"
	(cd "$tree" && python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
		--build_dir="$obj" --kunitconfig="$top/kunit/bench.kunitconfig" \
		--kunitconfig="$top/kunit/x86_64.kunitconfig" \
		--make_options="CC=ccache gcc" --jobs="${JOBS:-2}") > "$logs/bench-build.log" 2>&1 ||
		{ tail -20 "$logs/bench-build.log"; exit 1; }
	mod=$BUILD/$base/bench-module
	rm -rf "$mod"
	mkdir -p "$mod" "$obj/guest-root/lib"
	cp "$top"/bench/devmem_bench.c "$top"/bench/Kbuild "$mod/"
	make -s -C "$tree" O="$obj" M="$mod" CC="ccache gcc" modules >> "$logs/bench-build.log" 2>&1 ||
		{ tail -20 "$logs/bench-build.log"; exit 1; }
	cp "$mod/devmem_bench.ko" "$obj/guest-root/lib/"
done

rm -f "$out"/*.console.log
for boot in $(seq 1 "$boots"); do
	for base in stock patched; do
		tree=$(BASE_KIND=$base "$top/pipeline/tree.sh" 2>/dev/null) || exit 1
		logs=$BUILD/$base/logs
		echo "bench: $base: boot $boot of $boots (guest RAM $GUEST_MEM)"
		LOGS=$logs RESULTS=$out "$top/pipeline/guest.sh" "$tree" x86_64 \
			"$BUILD/$base/bench-x86_64" bench >/dev/null ||
			{ echo "bench: $base: boot $boot failed (console: $logs/bench-x86_64.console.log)"; exit 1; }
		cp "$logs/bench-x86_64.console.log" "$out/$base.$boot.console.log"
	done
done

# Then once more each, with QEMU's -icount: the guest clock advances 1 ns per
# guest instruction, so every time is a count of instructions, the same from
# one boot to the next and whatever else the host does: both kernels boot at
# once.  One vCPU, so that nothing but the measured thread adds to it.
if [ "${BENCH_ICOUNT:-1}" = 1 ]; then
	pids=()
	for base in stock patched; do
		tree=$(BASE_KIND=$base "$top/pipeline/tree.sh" 2>/dev/null) || exit 1
		logs=$BUILD/$base/logs
		echo "bench: $base: boot with -icount (1 ns of guest time per instruction)"
		GUEST_CPUS=1 GUEST_QEMU_OPTS="$GUEST_QEMU_OPTS -icount shift=0,sleep=off" \
			LOGS=$logs RESULTS=$out "$top/pipeline/guest.sh" "$tree" x86_64 \
			"$BUILD/$base/bench-x86_64" bench icount >/dev/null &
		pids+=($!)
	done
	for i in 0 1; do
		base=$([ $i = 0 ] && echo stock || echo patched)
		wait "${pids[$i]}" ||
			{ echo "bench: $base: -icount boot failed (console: $BUILD/$base/logs/bench-x86_64-icount.console.log)"; exit 1; }
		cp "$BUILD/$base/logs/bench-x86_64-icount.console.log" "$out/$base.icount.console.log"
	done
fi

python3 "$top/pipeline/bench_table.py" "$out" | tee "$out/bench.txt"
