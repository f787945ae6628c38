#!/usr/bin/env bash
# Compile test of the converted drivers, with W=1, against the same objects
# of the stock tree: nouveau_dmem.o and amdkfd's kfd_migrate.o/kfd_svm.o for
# x86_64 and for arm64 with 64K pages (where a descriptor chunk is 64 MiB
# and nouveau registers 2 MiB), book3s_hv_uvmem.o for powerpc64le (64K
# pages; Debian's cross compilers).
# Writes $RESULTS/drivers.counts: one case per object, failed if it does not
# build or has more W=1 warnings than stock.
set -uo pipefail

top=${TOP:?}
tree=${1:?patched tree}
stock=$(BASE_KIND=stock "$top/pipeline/tree.sh" 2>/dev/null)
logs=$LOGS
mkdir -p "$logs" "$RESULTS"
log=$logs/drivers.log
: > "$log"

gpu_objs="drivers/gpu/drm/nouveau/nouveau_dmem.o drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_migrate.o drivers/gpu/drm/amd/amdgpu/../amdkfd/kfd_svm.o"
ppc_objs="arch/powerpc/kvm/book3s_hv_uvmem.o"

x86_config="DRM DRM_NOUVEAU STAGING DRM_NOUVEAU_SVM DRM_AMDGPU HSA_AMD HSA_AMD_SVM
	MEMORY_HOTPLUG MEMORY_HOTREMOVE ZONE_DEVICE DEVICE_PRIVATE"
# -SYMBOL: disabled (the other members of a choice).
arm64_config="-ARM64_4K_PAGES ARM64_64K_PAGES $x86_config"
ppc_config="KVM_BOOK3S_64 KVM_BOOK3S_64_HV PPC_UV MEMORY_HOTPLUG MEMORY_HOTREMOVE
	ZONE_DEVICE DEVICE_PRIVATE"

configure() { # src obj arch cross defconfig symbols...
	local src=$1 obj=$2 arch=$3 cross=$4 def=$5; shift 5
	mkdir -p "$obj"
	if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.devmem-symbols" 2>/dev/null)" != "$*" ]; then
		make -s -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" "$def" >>"$log" 2>&1 || return 1
		for s in "$@"; do
			case "$s" in
			-*) "$src/scripts/config" --file "$obj/.config" -d "${s#-}" ;;
			*) "$src/scripts/config" --file "$obj/.config" -e "$s" ;;
			esac
		done
		make -s -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" olddefconfig >>"$log" 2>&1 || return 1
		echo "$*" > "$obj/.devmem-symbols"
	fi
	for s in "$@"; do
		[ "${s#-}" = "$s" ] || continue
		grep -q "^CONFIG_$s=[ym]" "$obj/.config" || { echo "drivers: $arch: CONFIG_$s not set" | tee -a "$log"; return 1; }
	done
	make -s -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
		-j"${JOBS:-2}" prepare >>"$log" 2>&1
}

# Build one object with W=1; print the number of warnings, or "fail".
build_obj() { # src obj arch cross object
	local src=$1 obj=$2 arch=$3 cross=$4 o=$5 out
	rm -f "$obj/$o"
	out=$(make -C "$src" O="$obj" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
		W=1 "$o" 2>&1)
	printf '%s\n' "$out" >> "$log"
	if [ ! -f "$obj/$o" ]; then echo fail; return; fi
	printf '%s\n' "$out" | grep -c "warning:" || true
}

passed=0 failed=0
run_arch() { # arch cross defconfig objs symbols
	local arch=$1 cross=$2 def=$3 objs=$4; shift 4
	local pobj=$BUILD/patched/drivers-$arch sobj=$BUILD/stock/drivers-$arch o p s
	if ! configure "$tree" "$pobj" "$arch" "$cross" "$def" "$@" ||
	   ! configure "$stock" "$sobj" "$arch" "$cross" "$def" "$@"; then
		echo "drivers: $arch: configuration failed (see $log)"
		failed=$((failed + $(wc -w <<<"$objs")))
		return
	fi
	for o in $objs; do
		s=$(build_obj "$stock" "$sobj" "$arch" "$cross" "$o")
		p=$(build_obj "$tree" "$pobj" "$arch" "$cross" "$o")
		if [ "$p" = fail ] || { [ "$s" != fail ] && [ "$p" -gt "$s" ]; }; then
			echo "drivers: FAIL $arch $o: W=1 warnings stock $s, patched $p"
			failed=$((failed + 1))
		else
			echo "drivers: ok   $arch $o: W=1 warnings stock $s, patched $p"
			passed=$((passed + 1))
		fi
	done
}

start=$(date +%s)
run_arch x86_64 "" x86_64_defconfig "$gpu_objs" $x86_config
run_arch arm64 aarch64-linux-gnu- defconfig "$gpu_objs" $arm64_config
run_arch powerpc powerpc64le-linux-gnu- ppc64le_defconfig "$ppc_objs" $ppc_config
echo "$passed $failed 0" > "$RESULTS/drivers.counts"
echo "drivers: $passed passed, $failed failed, $(( $(date +%s) - start ))s (log: $log)"
