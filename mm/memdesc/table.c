// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor table (see include/linux/memdesc.h).
 *
 * One VM_SPARSE vmalloc area is reserved at boot; nothing backs it until an
 * owner populates a chunk.  The reservation costs address space only: page
 * tables and descriptor pages are allocated by memdesc_table_populate().
 */
#define pr_fmt(fmt) "memdesc: " fmt

#include <kunit/static_stub.h>
#include <linux/init.h>
#include <linux/memdesc.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

struct page *memdesc_table __read_mostly;
EXPORT_SYMBOL_GPL(memdesc_table);
unsigned long memdesc_table_slots __read_mostly;
EXPORT_SYMBOL_GPL(memdesc_table_slots);

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

static unsigned long __init memdesc_table_default_slots(void)
{
	unsigned long slots = VMALLOC_TOTAL / 2 / sizeof(struct page);

	if (memdesc_table_size_param)
		slots = min(slots, memdesc_table_size_param >> PAGE_SHIFT);
	slots = min(slots, 1UL << 32);
	return round_down(slots, MEMDESC_CHUNK_SLOTS);
}

static int __init memdesc_table_init(void)
{
	unsigned long slots = memdesc_table_default_slots();

	BUILD_BUG_ON(!IS_ALIGNED(MEMDESC_CHUNK_SLOTS * sizeof(struct page), PAGE_SIZE));
	if (slots < MEMDESC_CHUNK_SLOTS * 2) {
		pr_warn("no room for a descriptor table\n");
		return 0;
	}

	memdesc_area = get_vm_area(slots * sizeof(struct page), VM_SPARSE);
	if (!memdesc_area) {
		pr_warn("cannot reserve %lu MiB of vmalloc space for the descriptor table\n",
			(slots * sizeof(struct page)) >> 20);
		return 0;
	}
	memdesc_table = memdesc_area->addr;
	memdesc_table_slots = slots;
	pr_info("descriptor table: %lu slots (%lu GiB of device memory)\n",
		slots, (slots << PAGE_SHIFT) >> 30);
	return 0;
}
core_initcall(memdesc_table_init);

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
	if (slot >= memdesc_table_slots)
		return false;
	slot = round_down(slot, MEMDESC_CHUNK_SLOTS);
	return !!vmalloc_to_page((void *)slot_addr(slot));
}
EXPORT_SYMBOL_GPL(memdesc_table_populated);

static void memdesc_table_unmap_chunk(unsigned long slot)
{
	unsigned long addr = slot_addr(slot);
	struct page *pages[CHUNK_TABLE_PAGES];
	int i;

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

static int memdesc_table_map_chunk(unsigned long slot, int nid)
{
	unsigned long addr = slot_addr(slot);
	struct page *pages[CHUNK_TABLE_PAGES];
	int i, err;

	for (i = 0; i < CHUNK_TABLE_PAGES; i++) {
		pages[i] = alloc_pages_node(nid, GFP_KERNEL | __GFP_ZERO, 0);
		if (!pages[i])
			goto free;
	}
	err = vm_area_map_pages(memdesc_area, addr, addr + CHUNK_TABLE_PAGES * PAGE_SIZE,
				pages);
	if (err) {
		/* A partial mapping may have allocated page tables only. */
		vm_area_unmap_pages(memdesc_area, addr,
				    addr + CHUNK_TABLE_PAGES * PAGE_SIZE);
		goto free;
	}
	atomic_long_add(CHUNK_TABLE_PAGES, &memdesc_table_pages);
	/* Descriptor memory, like the vmemmap: nr_memmap_pages in /proc/vmstat. */
	memmap_pages_add(CHUNK_TABLE_PAGES);
	return 0;
free:
	while (i--)
		__free_page(pages[i]);
	return -ENOMEM;
}

static bool memdesc_range_valid(unsigned long slot, unsigned long nr)
{
	return memdesc_area && nr && IS_ALIGNED(slot | nr, MEMDESC_CHUNK_SLOTS) &&
	       slot < memdesc_table_slots && nr <= memdesc_table_slots - slot;
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
 * -ENOMEM, in which case no chunk of the range is left populated that was
 * not populated before.
 */
int memdesc_table_populate(unsigned long slot, unsigned long nr, int nid)
{
	unsigned long s;

	KUNIT_STATIC_STUB_REDIRECT(memdesc_table_populate, slot, nr, nid);

	if (!memdesc_range_valid(slot, nr))
		return -EINVAL;

	for (s = slot; s < slot + nr; s += MEMDESC_CHUNK_SLOTS) {
		if (memdesc_table_populated(s))
			continue;
		if (memdesc_table_map_chunk(s, nid))
			goto unwind;
		cond_resched();
	}
	return 0;
unwind:
	/* Only whole chunks that this call mapped: those before @s. */
	while (s > slot) {
		s -= MEMDESC_CHUNK_SLOTS;
		memdesc_table_unmap_chunk(s);
	}
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(memdesc_table_populate);

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
	for (s = slot; s < slot + nr; s += MEMDESC_CHUNK_SLOTS) {
		if (memdesc_table_populated(s))
			memdesc_table_unmap_chunk(s);
		cond_resched();
	}
}
EXPORT_SYMBOL_GPL(memdesc_table_depopulate);

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
