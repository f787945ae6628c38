#!/usr/bin/env bash
# make sparse: sparse (C=2) on every C file the series touches, in the
# patched and the stock x86_64 builds, warnings side by side; then a file
# with a leftover PFN where a device index is expected, to show that sparse
# flags it.  Needs the x86_64 kernels of 'make kunit' (and BASE=stock).
set -uo pipefail

top=${TOP:?}
tree=${1:?patched tree}
stock=${2:?stock tree}
pobj=$BUILD/patched/x86_64
sobj=$BUILD/stock/x86_64
logs=$BUILD/patched/logs
mkdir -p "$logs"
[ -f "$pobj/.config" ] || { echo "sparse: build the patched x86_64 kernel first (make kunit ARCH=x86_64)"; exit 1; }

# Every C file a patch or a semantic patch touches, and our own.
files=$( { sed -n 's@^+++ b/\(.*\.c\)$@\1@p' "$top"/patches/*.patch
	   (cd "$top" && find mm -name '*.c' ! -name '*_kunit.c')
	   (cd "$tree" && grep -l 'migrate_pfn_from_page\|_migration_entry_from_page\|devmem_page_to_index\|swp_offset_devmem_index\|migrate_devmem_range\|pgmap_page_offset' \
		mm/*.c lib/*.c 2>/dev/null)
	 } | sort -u)

run_sparse() { # objdir srctree file -> warnings on stdout
	local obj=$1 src=$2 f=$3
	[ -f "$src/$f" ] || return 0
	make -s -C "$src" O="$obj" C=2 CHECK="sparse" "${f%.c}.o" 2>&1 >/dev/null |
		grep -E "^[^ ]*$f:[0-9]+:[0-9]+: (warning|error):" || true
}

new=0
printf '%-40s %7s %7s\n' file stock patched
for f in $files; do
	p=$(run_sparse "$pobj" "$tree" "$f")
	s=""
	[ -f "$sobj/.config" ] && s=$(run_sparse "$sobj" "$stock" "$f")
	np=$(printf '%s' "$p" | grep -c . || true)
	ns=$(printf '%s' "$s" | grep -c . || true)
	printf '%-40s %7s %7s\n' "$f" "$ns" "$np"
	if [ "$np" -gt "$ns" ]; then
		new=$((new + np - ns))
		printf '%s\n' "$p" | sed 's/^/    /'
	fi
done > "$logs/sparse.log"
cat "$logs/sparse.log"

# A leftover of the old interface: a PFN passed where an index goes.
demo=$tree/mm/devmem/sparse_demo.c
cat > "$demo" <<'C'
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/migrate.h>
swp_entry_t sparse_demo_entry(struct page *page)
{
	return make_writable_device_private_entry(page_to_pfn(page));
}
int sparse_demo_evict(unsigned long *src, struct dev_pagemap *pgmap)
{
	return migrate_devmem_range(src, pgmap->range.start >> PAGE_SHIFT, 512);
}
C
echo "sparse: a PFN passed where a device index is expected:"
make -s -C "$tree" O="$pobj" C=2 CHECK="sparse" mm/devmem/sparse_demo.o 2>&1 >/dev/null |
	grep -A2 "sparse_demo.c.*devmem_index_t\|sparse_demo.c.*incorrect type" | sed 's/^/    /'
rm -f "$demo" "$pobj/mm/devmem/sparse_demo.o"
echo "sparse: $new new warnings in touched files (log: $logs/sparse.log)"
[ "$new" -eq 0 ]
