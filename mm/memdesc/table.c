// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor table (see include/linux/memdesc.h).
 *
 * One VM_SPARSE vmalloc area, reserved by the first user (the first
 * devmem_register()), so that a kernel that never registers device-private
 * memory spends no vmalloc space on it.  Nothing backs the area until an
 * owner populates a chunk: page tables, descriptor pages and, with
 * KASAN_VMALLOC, shadow come and go with each chunk (vm_area_map_pages()).
 */
#define pr_fmt(fmt) "memdesc: " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/init.h>
#include <linux/memdesc.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "table.h"

struct page *memdesc_table __read_mostly;
EXPORT_SYMBOL_GPL(memdesc_table);
unsigned long memdesc_table_slots __read_mostly;
EXPORT_SYMBOL_GPL(memdesc_table_slots);

/*
 * Serialises the reservation, and mapping against unmapping: chunks of
 * different owners can share a page of page tables or of KASAN shadow.
 */
static DEFINE_MUTEX(memdesc_table_lock);
static struct vm_struct *memdesc_area;
static atomic_long_t memdesc_table_pages = ATOMIC_LONG_INIT(0);
static unsigned long memdesc_table_size_param;

/* Table pages that back one chunk of descriptors. */
#define CHUNK_TABLE_PAGES	(MEMDESC_CHUNK_SLOTS * sizeof(struct page) / PAGE_SIZE)

/*
 * memdesc_table_size=<bytes of device memory> bounds the table; by default
 * it may take half of the vmalloc space, capped at 2^32 slots.
 */
static int __init memdesc_table_size_setup(char *arg)
{
	memdesc_table_size_param = memparse(arg, NULL);
	return 0;
}
early_param("memdesc_table_size", memdesc_table_size_setup);

static unsigned long memdesc_table_default_slots(void)
{
	unsigned long slots = VMALLOC_TOTAL / 2 / sizeof(struct page);

	if (memdesc_table_size_param)
		slots = min(slots, memdesc_table_size_param >> PAGE_SHIFT);
	slots = min(slots, 1UL << 32);
	return round_down(slots, MEMDESC_CHUNK_SLOTS);
}

/**
 * memdesc_table_reserve() - reserve the table's address space
 *
 * Called before the first slot is handed out; later calls return at once.
 * Reserves address space only (no page tables, no KASAN shadow).
 *
 * Return: 0, -ENOSPC if the vmalloc space cannot hold two chunks of
 * descriptors (memdesc_table_size= too small), or -ENOMEM if the area
 * cannot be reserved.
 */
int memdesc_table_reserve(void)
{
	struct vm_struct *area;
	unsigned long slots;

	BUILD_BUG_ON(!IS_ALIGNED(MEMDESC_CHUNK_SLOTS * sizeof(struct page), PAGE_SIZE));
	if (READ_ONCE(memdesc_table_slots))
		return 0;

	guard(mutex)(&memdesc_table_lock);
	if (memdesc_area)
		return 0;
	slots = memdesc_table_default_slots();
	if (slots < MEMDESC_CHUNK_SLOTS * 2) {
		pr_warn_once("no room for a descriptor table: raise memdesc_table_size=\n");
		return -ENOSPC;
	}
	area = get_vm_area(slots * sizeof(struct page), VM_SPARSE);
	if (!area) {
		pr_warn_once("cannot reserve %lu MiB of vmalloc space for the descriptor table: lower memdesc_table_size=\n",
			     (slots * sizeof(struct page)) >> 20);
		return -ENOMEM;
	}
	memdesc_area = area;
	WRITE_ONCE(memdesc_table, area->addr);
	/* The base before the bound: see memdesc_table_contains(). */
	smp_store_release(&memdesc_table_slots, slots);
	pr_info("descriptor table: %lu slots (%lu GiB of device memory)\n",
		slots, (slots << PAGE_SHIFT) >> 30);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(memdesc_table_reserve);

static unsigned long slot_addr(unsigned long slot)
{
	return (unsigned long)memdesc_slot_to_page(slot);
}

/**
 * memdesc_table_populated() - whether the chunk holding @slot has memory
 * @slot: any slot of the chunk
 *
 * Return: true if the descriptors of @slot's chunk may be accessed.
 */
bool memdesc_table_populated(unsigned long slot)
{
	if (slot >= READ_ONCE(memdesc_table_slots))
		return false;
	slot = round_down(slot, MEMDESC_CHUNK_SLOTS);
	return !!vmalloc_to_page((void *)slot_addr(slot));
}
EXPORT_SYMBOL_IF_KUNIT(memdesc_table_populated);

static void memdesc_table_unmap_chunk(unsigned long slot)
{
	unsigned long addr = slot_addr(slot);
	struct page *pages[CHUNK_TABLE_PAGES];
	int i;

	lockdep_assert_held(&memdesc_table_lock);
	for (i = 0; i < CHUNK_TABLE_PAGES; i++)
		pages[i] = vmalloc_to_page((void *)(addr + i * PAGE_SIZE));
	vm_area_unmap_pages(memdesc_area, addr, addr + CHUNK_TABLE_PAGES * PAGE_SIZE);
	for (i = 0; i < CHUNK_TABLE_PAGES; i++) {
		if (!pages[i])
			continue;
		__free_page(pages[i]);
		atomic_long_dec(&memdesc_table_pages);
		memmap_pages_add(-1);
	}
}

VISIBLE_IF_KUNIT int memdesc_table_map_chunk(unsigned long slot, int nid)
{
	unsigned long addr = slot_addr(slot);
	struct page *pages[CHUNK_TABLE_PAGES];
	int i, err;

	KUNIT_STATIC_STUB_REDIRECT(memdesc_table_map_chunk, slot, nid);
	lockdep_assert_held(&memdesc_table_lock);
	for (i = 0; i < CHUNK_TABLE_PAGES; i++) {
		pages[i] = alloc_pages_node(nid, GFP_KERNEL | __GFP_ZERO, 0);
		if (!pages[i])
			goto free;
	}
	/* On failure vm_area_map_pages() leaves nothing mapped. */
	err = vm_area_map_pages(memdesc_area, addr, addr + CHUNK_TABLE_PAGES * PAGE_SIZE,
				pages);
	if (err)
		goto free;
	atomic_long_add(CHUNK_TABLE_PAGES, &memdesc_table_pages);
	/* Descriptor memory, like the vmemmap: nr_memmap_pages in /proc/vmstat. */
	memmap_pages_add(CHUNK_TABLE_PAGES);
	return 0;
free:
	while (i--)
		__free_page(pages[i]);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(memdesc_table_map_chunk);

static bool memdesc_range_valid(unsigned long slot, unsigned long nr)
{
	unsigned long slots = READ_ONCE(memdesc_table_slots);

	return slots && nr && IS_ALIGNED(slot | nr, MEMDESC_CHUNK_SLOTS) &&
	       slot < slots && nr <= slots - slot;
}

/**
 * memdesc_table_populate() - back a range of slots with zeroed descriptors
 * @slot: first slot, chunk aligned
 * @nr: number of slots, a multiple of the chunk
 * @nid: node to allocate the descriptors from (NUMA_NO_NODE for any)
 *
 * The caller owns the slots and serialises population of each chunk.
 * Chunks that are already populated are left as they are.
 *
 * Return: 0, -EINVAL for a range outside the table or not chunk aligned, or
 * -ENOMEM, in which case exactly the chunks this call populated are
 * released again: the range is left as it was.
 */
int memdesc_table_populate(unsigned long slot, unsigned long nr, int nid)
{
	unsigned long nr_chunks, c, *mapped;
	int err = 0;

	KUNIT_STATIC_STUB_REDIRECT(memdesc_table_populate, slot, nr, nid);

	if (!memdesc_range_valid(slot, nr))
		return -EINVAL;
	nr_chunks = nr / MEMDESC_CHUNK_SLOTS;
	mapped = bitmap_zalloc(nr_chunks, GFP_KERNEL);
	if (!mapped)
		return -ENOMEM;

	mutex_lock(&memdesc_table_lock);
	for (c = 0; c < nr_chunks; c++) {
		unsigned long s = slot + c * MEMDESC_CHUNK_SLOTS;

		if (memdesc_table_populated(s))
			continue;
		err = memdesc_table_map_chunk(s, nid);
		if (err)
			break;
		__set_bit(c, mapped);
		cond_resched();
	}
	if (err)
		for_each_set_bit(c, mapped, nr_chunks)
			memdesc_table_unmap_chunk(slot + c * MEMDESC_CHUNK_SLOTS);
	mutex_unlock(&memdesc_table_lock);
	bitmap_free(mapped);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(memdesc_table_populate);

/**
 * memdesc_table_depopulate() - free the descriptors of a range of slots
 * @slot: first slot, chunk aligned
 * @nr: number of slots, a multiple of the chunk
 *
 * The caller guarantees that no descriptor of the range is in use.
 */
void memdesc_table_depopulate(unsigned long slot, unsigned long nr)
{
	unsigned long s;

	if (WARN_ON_ONCE(!memdesc_range_valid(slot, nr)))
		return;
	mutex_lock(&memdesc_table_lock);
	for (s = slot; s < slot + nr; s += MEMDESC_CHUNK_SLOTS) {
		if (memdesc_table_populated(s))
			memdesc_table_unmap_chunk(s);
		cond_resched();
	}
	mutex_unlock(&memdesc_table_lock);
}
EXPORT_SYMBOL_IF_KUNIT(memdesc_table_depopulate);

/**
 * memdesc_table_bytes() - memory backing the descriptor table
 *
 * Return: bytes of descriptor pages currently mapped (page tables excluded).
 */
unsigned long memdesc_table_bytes(void)
{
	return atomic_long_read(&memdesc_table_pages) << PAGE_SHIFT;
}
EXPORT_SYMBOL_GPL(memdesc_table_bytes);
