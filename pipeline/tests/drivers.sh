#!/usr/bin/env bash
# Compile test of the converted drivers, with W=1, against the same objects
# of the stock tree: nouveau_dmem.o and amdkfd's kfd_migrate.o/kfd_svm.o for
# x86_64 and for arm64 with 64K pages (where a descriptor chunk is 64 MiB
# and nouveau registers 2 MiB), book3s_hv_uvmem.o for powerpc64le (64K
# pages; Debian's cross compilers).
# Writes $RESULTS/drivers.counts: one case per object, failed if it does not
# build or has more W=1 warnings than stock; and the rules-only case below.
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

# The semantic-patch corpus as kernel code (x86_64, W=1, with
# cocci/tests/corpus.h): every expected result, what the rule must make of
# its input, against the patched tree; every input that a rule changes or
# reports (it has a .res or a .report) and that uses no API of the patched
# tree (or of a later upstream) against the stock tree, where it was valid
# code.  A case whose first line says "not compiled:" is the kernel's
# own definition of a helper.  Writes $RESULTS/cocci-compile.counts.
compile_corpus() {
	# The patched tree's API, and upstream's newer one (6.19's .folio_free).
	local patched_only='devmem_[a-z_]+\(|[.>]devmem\.|pgmap_offset_to_page|pgmap_page_offset|_from_page\(|swp_offset_devmem_index|\.folio_free'
	local work=$BUILD/corpus-compile c rule case want n src obj kind
	local cp=0 cf=0
	for c in "$top"/cocci/tests/*/*.c; do
		rule=$(basename "$(dirname "$c")")
		case=$(basename "$c" .c)
		if head -1 "$c" | grep -q 'not compiled:'; then
			continue
		fi
		want=${c%.c}.res
		[ -f "$want" ] || want=$c
		for kind in patched stock; do
			if [ "$kind" = stock ]; then
				# Written against stock: a rule changes or reports
				# it, and it calls nothing only the patched tree has.
				[ -f "${c%.c}.res" ] || [ -f "${c%.c}.report" ] || continue
				! grep -vE '^[[:space:]]*(/\*|\*)' "$c" | grep -qE "$patched_only" || continue
				src=$stock
				n=$c
			else
				src=$tree
				n=$want
			fi
			obj=$BUILD/$kind/drivers-x86_64
			rm -rf "$work" && mkdir -p "$work"
			printf 'ccflags-y := -include %s -Wno-unused-function\nobj-m := %s.o\n' \
				"$top/cocci/tests/corpus.h" "$case" > "$work/Kbuild"
			cp "$n" "$work/$case.c"
			out=$(make -C "$src" O="$obj" CC="ccache gcc" M="$work" W=1 "$case.o" 2>&1)
			printf '%s\n' "$out" >> "$log"
			if [ -f "$work/$case.o" ] && ! grep -q "warning:" <<<"$out"; then
				echo "cocci-compile: ok   $kind $rule/$(basename "$n")" >> "$log"
				cp=$((cp + 1))
			else
				echo "cocci-compile: FAIL $kind $rule/$(basename "$n") (see $log)"
				cf=$((cf + 1))
			fi
		done
	done
	rm -rf "$work"
	echo "$cp $cf 0" > "$RESULTS/cocci-compile.counts"
	echo "cocci-compile: corpus as kernel code: $cp passed, $cf failed"
}

# A driver converted by the semantic patches alone, as a driver author
# would (pipeline/cocci-convert.sh: every cocci/*.cocci in patch mode, no
# hand patch), built against the patched tree with W=1 and no more warnings
# than the source has against stock, and with nothing left that the rules
# report.
rules_only() { # name source stock-warnings include-dirs...
	local name=$1 f=$2 s=$3 work=$BUILD/rules-only base left out n warn
	shift 3
	base=$(basename "$f" .c)
	rm -rf "$work" && mkdir -p "$work"
	cp "$f" "$work/$base.c"
	cp "$(dirname "$f")"/*.h "$work/" 2>/dev/null
	left=$(COCCI_LOG=$log "$top/pipeline/cocci-convert.sh" "$work/$base.c")
	n=0
	[ -z "$left" ] || { printf '%s\n' "$left" >> "$log"; n=$(wc -l <<<"$left"); }
	{
		printf 'ccflags-y :='
		# shellcheck disable=SC2016 # $(srctree) is Kbuild's, not the shell's
		for d in "$@"; do printf ' -I$(srctree)/%s' "$d"; done
		printf '\nobj-m := %s.o\n' "$base"
	} > "$work/Kbuild"
	out=$(make -C "$tree" O="$BUILD/patched/drivers-x86_64" CC="ccache gcc" M="$work" W=1 \
		"$base.o" 2>&1)
	printf '%s\n' "$out" >> "$log"
	warn=$(grep -c "warning:" <<<"$out" || true)
	if [ ! -f "$work/$base.o" ] || [ "$n" -gt 0 ] ||
	   { [ "$s" != fail ] && [ "$warn" -gt "$s" ]; }; then
		echo "drivers: FAIL rules-only $name: $([ -f "$work/$base.o" ] && echo built || echo "did not build"), W=1 warnings stock $s, converted $warn, $n report lines left (see $log)"
		failed=$((failed + 1))
	else
		echo "drivers: ok   rules-only $name: W=1 warnings stock $s, converted $warn, 0 report lines left"
		passed=$((passed + 1))
	fi
	rm -rf "$work"
}

# The out-of-tree style driver as written, against stock: a module object
# with W=1; prints the number of warnings, or "fail".
oot_stock_warnings() {
	local work=$BUILD/oot-stock out
	rm -rf "$work" && mkdir -p "$work"
	cp "$top"/cocci/driver/* "$work/"
	out=$(make -C "$stock" O="$BUILD/stock/drivers-x86_64" CC="ccache gcc" M="$work" W=1 \
		oot_dmem.o 2>&1)
	printf '%s\n' "$out" >> "$log"
	if [ -f "$work/oot_dmem.o" ]; then grep -c "warning:" <<<"$out" || true; else echo fail; fi
	rm -rf "$work"
}

start=$(date +%s)
run_arch x86_64 "" x86_64_defconfig "$gpu_objs" $x86_config
compile_corpus
nv=drivers/gpu/drm/nouveau
rules_only $nv/nouveau_dmem.c "$stock/$nv/nouveau_dmem.c" \
	"$(build_obj "$stock" "$BUILD/stock/drivers-x86_64" x86_64 "" $nv/nouveau_dmem.o)" \
	$nv/include $nv/include/nvkm $nv/nvkm $nv
s=$(oot_stock_warnings)
if [ "$s" = 0 ]; then
	echo "drivers: ok   stock cocci/driver/oot_dmem.c: builds with W=1, 0 warnings"
	passed=$((passed + 1))
else
	echo "drivers: FAIL stock cocci/driver/oot_dmem.c: W=1 warnings $s (see $log)"
	failed=$((failed + 1))
fi
rules_only cocci/driver/oot_dmem.c "$top/cocci/driver/oot_dmem.c" "$s"
amd=drivers/gpu/drm/amd
rules_only $amd/amdkfd/kfd_svm.c "$stock/$amd/amdkfd/kfd_svm.c" \
	"$(build_obj "$stock" "$BUILD/stock/drivers-x86_64" x86_64 "" $amd/amdgpu/../amdkfd/kfd_svm.o)" \
	$amd/include/asic_reg $amd/include $amd/amdgpu $amd/pm/inc $amd/acp/include \
	$amd/display $amd/display/include $amd/display/modules/inc $amd/display/dc \
	$amd/display/amdgpu_dm $amd/amdkfd
run_arch arm64 aarch64-linux-gnu- defconfig "$gpu_objs" $arm64_config
run_arch powerpc powerpc64le-linux-gnu- ppc64le_defconfig "$ppc_objs" $ppc_config
echo "$passed $failed 0" > "$RESULTS/drivers.counts"
echo "drivers: $passed passed, $failed failed, $(( $(date +%s) - start ))s (log: $log)"
