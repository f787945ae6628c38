#!/usr/bin/env bash
# Build the out-of-tree style driver cocci/driver/oot_dmem.c as a module for
# one kernel, the way its author would: against a stock tree as written;
# against the patched tree after converting it with the semantic patches
# alone (pipeline/cocci-convert.sh, no hand edit).  Fails if the rules
# leave a report line or the build has a W=1 warning.
#   oot-driver.sh TREE OBJDIR ARCH OUTDIR
# Leaves OUTDIR/oot_dmem.ko, the source it was built from, and build.log.
set -uo pipefail

top=${TOP:?}
tree=${1:?tree}
objdir=$(realpath "${2:?objdir}")
arch=${3:?arch}
out=$(realpath -m "${4:?outdir}")

case "$arch" in
x86_64) cross= ;;
arm64) cross=aarch64-linux-gnu- ;;
*) echo "oot-driver: unknown ARCH $arch" >&2; exit 2 ;;
esac

rm -rf "$out"
mkdir -p "$out"
cp "$top"/cocci/driver/* "$out/"
log=$out/build.log
: > "$log"
# Converted once memremap_pages() refuses device-private memory (make series
# SERIES_CHECK=all checks every commit: before that, the driver as written
# runs on the transitional encoding).
if grep -qs 'register MEMORY_DEVICE_PRIVATE memory with devmem_register' "$tree/mm/memremap.c"; then
	left=$(COCCI_LOG=$log "$top/pipeline/cocci-convert.sh" "$out/oot_dmem.c")
	diff -u "$top/cocci/driver/oot_dmem.c" "$out/oot_dmem.c" > "$out/conversion.diff"
	if [ -n "$left" ]; then
		printf '%s\n' "$left" | tee -a "$log" >&2
		echo "oot-driver: the rules leave $(wc -l <<<"$left") report lines in oot_dmem.c" >&2
		exit 1
	fi
fi
# The kernels are built with ccache (kunit.py's make inherits CC).
make -C "$tree" O="$objdir" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" \
	M="$out" W=1 modules >> "$log" 2>&1
rc=$?
if [ $rc -ne 0 ] || [ ! -f "$out/oot_dmem.ko" ] || grep -q "warning:" "$log"; then
	grep -E "error|warning" "$log" | head -20 >&2
	echo "oot-driver: oot_dmem.ko for $arch did not build cleanly (see $log)" >&2
	exit 1
fi
exit 0
