// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors that cost nothing until used.
 *
 * devmem_register() reserves device indices and table address space only.
 * A driver populates a chunk (DEVMEM_CHUNK_PAGES pages) before it first hands
 * out one of its pages, and may give the descriptors back once every page of
 * the chunk is free again; devmem_unregister() gives back the rest.  Entries
 * and migrate/HMM PFNs only ever name pages the driver handed out, so the
 * fault path never meets an unpopulated descriptor and never allocates.
 *
 * Each chunk counts its pages that are handed out: zone_device_page_init()
 * and zone_device_folio_init() add to it, and free_zone_device_folio()
 * takes away as its very last step, after ops->page_free or ops->pages_free
 * returned.  A page being split is still handed out.  So a chunk whose count
 * is 0 has no page that anyone but its driver's free lists can reach, and
 * devmem_depopulate() unmaps only such chunks.
 */
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/devmem.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>

#include "devmem.h"

static unsigned long chunk_of(unsigned long offset)
{
	return offset / DEVMEM_CHUNK_PAGES;
}

static unsigned long chunk_slot(struct dev_pagemap *pgmap, unsigned long chunk)
{
	return devmem_index_val(pgmap->devmem.first) + chunk * DEVMEM_CHUNK_PAGES;
}

/*
 * The page flags a page of a split folio takes from the folio's head: what
 * describes its contents and state, as __split_huge_page_tail() keeps.
 */
#define DEVMEM_FOLIO_FLAGS	(BIT(PG_locked) | BIT(PG_uptodate) | \
				 BIT(PG_dirty) | BIT(PG_swapbacked) | \
				 BIT(PG_referenced))

/**
 * devmem_page_reset() - give a device-private page the state of a free one
 * @page: a free page, or a tail page of a folio that is being broken up
 * @pgmap: its pagemap
 * @head: NULL, or the head of the folio @page belongs to, whose contents
 *	and state @page keeps as an order-0 folio of its own
 *
 * The one place that says what a device page that no folio holds looks
 * like: populating a chunk, freeing a large folio back to its pages and
 * splitting a folio all end here.  Zone, node and reference count are the
 * caller's.  The page stops being a tail last, once everything else is
 * visible, as __split_huge_page_tail() does: a walker that meets its entry
 * meanwhile still finds the folio it was part of.
 */
void devmem_page_reset(struct page *page, struct dev_pagemap *pgmap,
		       const struct page *head)
{
	unsigned long flags = BIT(PG_reserved);

	/* PG_anon_exclusive is in the page's migration entry by now. */
	if (head)
		flags |= head->flags & DEVMEM_FOLIO_FLAGS;
	page->flags = (page->flags & ~PAGEFLAGS_MASK) | flags;
	page->mapping = head ? head->mapping : NULL;
	page->index = head ? head->index + (page - head) : 0;
	set_page_private(page, 0);
	atomic_set(&page->_mapcount, -1);
	page->zone_device_data = NULL;
	/* Flags and fields are visible before the page stops being a tail. */
	smp_wmb();
	WRITE_ONCE(page->pgmap, pgmap);
}

/*
 * What __init_zone_device_page() does for a PFN-backed ZONE_DEVICE page,
 * without a PFN: zone and node in page->flags (is_device_private_page(),
 * page_pgdat() and the folio helpers read them), no section, no virtual
 * address, no pageblock.
 */
static void devmem_init_page(struct page *page, int nid, struct dev_pagemap *pgmap)
{
	mm_zero_struct_page(page);
	set_page_zone(page, ZONE_DEVICE);
	set_page_node(page, nid);
	page_cpupid_reset_last(page);
	page_kasan_tag_reset(page);
	devmem_page_reset(page, pgmap, NULL);
	/* Free until the driver hands it out with zone_device_page_init(). */
	set_page_count(page, 0);
}

static int devmem_populate_chunk(struct dev_pagemap *pgmap, unsigned long chunk)
{
	unsigned long slot = chunk_slot(pgmap, chunk);
	int nid = pgmap->devmem.nid;
	unsigned long i;
	int err;

	err = memdesc_table_populate(slot, DEVMEM_CHUNK_PAGES, nid);
	if (err)
		return err;
	for (i = 0; i < DEVMEM_CHUNK_PAGES; i++)
		devmem_init_page(memdesc_slot_to_page(slot + i), nid, pgmap);
	return 0;
}

/*
 * Before descriptors go: hmm_range_fault() reads a device-private entry and
 * the descriptor it names without the PTE lock, under the RCU read lock of
 * pte_offset_map().  An entry zapped (and its page freed) while a walker
 * holds it is still read after the chunk's last page was freed; a grace
 * period later no walker holds one.  struct pages in vmemmap never go, so
 * 6.12 had no need for this.
 */
void devmem_wait_lockless_walkers(void)
{
	synchronize_rcu();
}

static bool devmem_range_ok(struct dev_pagemap *pgmap, unsigned long offset,
			    unsigned long nr_pages)
{
	return pgmap && pgmap->devmem.nr_pages && nr_pages &&
	       offset < pgmap->devmem.nr_pages &&
	       nr_pages <= pgmap->devmem.nr_pages - offset;
}

/**
 * devmem_populated() - whether the chunk of a page has descriptors
 * @pgmap: a pagemap registered with devmem_register()
 * @offset: page number in the pagemap
 *
 * Return: true if the pages of @offset's chunk may be accessed.
 */
bool devmem_populated(struct dev_pagemap *pgmap, unsigned long offset)
{
	if (!devmem_range_ok(pgmap, offset, 1))
		return false;
	/* Pairs with smp_mb__before_atomic() in devmem_populate(). */
	return test_bit_acquire(chunk_of(offset), pgmap->devmem.populated);
}
EXPORT_SYMBOL_IF_KUNIT(devmem_populated);

/* The count of a chunk that devmem_depopulate() took: any hand-out is a bug. */
#define DEVMEM_CHUNK_GONE	INT_MIN

/**
 * devmem_pages_handed_out() - count pages a driver hands out
 * @pgmap: their registered pagemap
 * @offset: page number of the first page in @pgmap
 * @nr: number of pages, all in one chunk
 *
 * For zone_device_page_init() and zone_device_folio_init() only.
 */
void devmem_pages_handed_out(struct dev_pagemap *pgmap, unsigned long offset,
			     unsigned long nr)
{
	int now = atomic_add_return(nr, &pgmap->devmem.handed_out[chunk_of(offset)]);

	VM_WARN_ON_ONCE(now <= 0);
}

/**
 * devmem_pages_returned() - count pages back once their free is complete
 * @pgmap: their registered pagemap
 * @offset: page number of the first page in @pgmap
 * @nr: number of pages, all in one chunk
 *
 * For free_zone_device_folio() only, as its last step: the pages are not
 * touched after this, so that devmem_depopulate() may unmap them.
 */
void devmem_pages_returned(struct dev_pagemap *pgmap, unsigned long offset,
			   unsigned long nr)
{
	int now = atomic_sub_return(nr, &pgmap->devmem.handed_out[chunk_of(offset)]);

	VM_WARN_ON_ONCE(now < 0);
}

/**
 * devmem_populate() - give pages of a registration their descriptors
 * @pgmap: a pagemap registered with devmem_register()
 * @offset: first page number in the pagemap
 * @nr_pages: number of pages
 *
 * Allocates and initialises the descriptors of every chunk that the range
 * touches and that has none yet, as free pages of @pgmap.  Call it before
 * handing out a page of such a chunk.  Safe against concurrent calls for the
 * same chunk; cheap (a bit test per chunk) when all of them are populated.
 * The chunks become visible to devmem_populated() and to concurrent calls
 * only once every chunk of the range is populated, so nobody uses a chunk
 * that a failing call takes back.  May sleep.
 *
 * Return: 0, -EINVAL for a range outside the registration, or -ENOMEM, in
 * which case the chunks this call populated are released again: the range
 * is left as it was.
 */
int devmem_populate(struct dev_pagemap *pgmap, unsigned long offset,
		    unsigned long nr_pages)
{
	unsigned long first, last, c;
	unsigned long *added;
	int err = 0;

	if (!devmem_range_ok(pgmap, offset, nr_pages))
		return -EINVAL;
	first = chunk_of(offset);
	last = chunk_of(offset + nr_pages - 1);

	for (c = first; c <= last; c++)
		if (!test_bit_acquire(c, pgmap->devmem.populated))
			break;
	if (c > last)
		return 0;

	/* Which chunks this call populates, to publish or undo exactly those. */
	added = bitmap_zalloc(last - first + 1, GFP_KERNEL);
	if (!added)
		return -ENOMEM;

	mutex_lock(&pgmap->devmem.populate_lock);
	for (c = first; c <= last; c++) {
		if (test_bit(c, pgmap->devmem.populated))
			continue;
		err = devmem_populate_chunk(pgmap, c);
		if (err)
			break;
		__set_bit(c - first, added);
	}
	for_each_set_bit(c, added, last - first + 1) {
		if (err) {
			memdesc_table_depopulate(chunk_slot(pgmap, first + c),
						 DEVMEM_CHUNK_PAGES);
			continue;
		}
		atomic_set(&pgmap->devmem.handed_out[first + c], 0);
		/* The descriptors are initialised before anyone sees the bit. */
		smp_mb__before_atomic();
		set_bit(first + c, pgmap->devmem.populated);
	}
	mutex_unlock(&pgmap->devmem.populate_lock);
	bitmap_free(added);
	return err;
}
EXPORT_SYMBOL_GPL(devmem_populate);

/**
 * devmem_depopulate() - give back the descriptors of free chunks
 * @pgmap: a pagemap registered with devmem_register()
 * @offset: first page number in the pagemap, chunk aligned
 * @nr_pages: number of pages, a multiple of DEVMEM_CHUNK_PAGES or up to the
 *	end of the registration
 *
 * For a driver that no longer uses any page of these chunks.  A chunk is
 * in use from the moment one of its pages is handed out
 * (zone_device_page_init(), zone_device_folio_init()) until
 * free_zone_device_folio() has returned for it, including while a large
 * folio is being split: the driver may call this from anywhere that can
 * sleep, even while its ops->page_free for the chunk's last page runs, and
 * gets -EBUSY until that free is complete.  Chunks that are not populated
 * are skipped.  The driver must not hand out pages of the range while this
 * runs.  May sleep.
 *
 * Return: 0, -EINVAL for a range outside the registration or not made of
 * whole chunks, or -EBUSY if a page of the range is still in use, in which
 * case nothing is released.
 */
int devmem_depopulate(struct dev_pagemap *pgmap, unsigned long offset,
		      unsigned long nr_pages)
{
	atomic_t *count = pgmap ? pgmap->devmem.handed_out : NULL;
	unsigned long first, last, c;
	int err = 0;

	if (!devmem_range_ok(pgmap, offset, nr_pages) ||
	    !IS_ALIGNED(offset, DEVMEM_CHUNK_PAGES) ||
	    (!IS_ALIGNED(nr_pages, DEVMEM_CHUNK_PAGES) &&
	     offset + nr_pages != pgmap->devmem.nr_pages))
		return -EINVAL;
	first = chunk_of(offset);
	last = chunk_of(offset + nr_pages - 1);

	mutex_lock(&pgmap->devmem.populate_lock);
	/* Take every chunk whose count is 0, or none. */
	for (c = first; c <= last; c++) {
		if (!test_bit(c, pgmap->devmem.populated))
			continue;
		if (atomic_cmpxchg(&count[c], 0, DEVMEM_CHUNK_GONE)) {
			err = -EBUSY;
			break;
		}
	}
	if (err) {
		while (c-- > first)
			if (test_bit(c, pgmap->devmem.populated))
				atomic_set(&count[c], 0);
		goto unlock;
	}
	devmem_wait_lockless_walkers();
	for (c = first; c <= last; c++) {
		if (!test_and_clear_bit(c, pgmap->devmem.populated))
			continue;
		memdesc_table_depopulate(chunk_slot(pgmap, c), DEVMEM_CHUNK_PAGES);
	}
unlock:
	mutex_unlock(&pgmap->devmem.populate_lock);
	return err;
}
EXPORT_SYMBOL_GPL(devmem_depopulate);
