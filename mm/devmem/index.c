// SPDX-License-Identifier: GPL-2.0
/*
 * The device index space: which pagemap owns which range of descriptor
 * table slots.  Registration allocates from it; nothing on the fault path
 * reads it (page->pgmap answers that), only validation and debugging.
 */
#include <kunit/visibility.h>
#include <linux/devmem.h>
#include <linux/maple_tree.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "devmem.h"

static struct maple_tree devmem_ranges = MTREE_INIT(devmem_ranges, MT_FLAGS_ALLOC_RANGE);

/**
 * devmem_index_limit() - one past the largest device index
 *
 * The index must fit in the table and in the offset of a swap entry.
 *
 * Return: the number of indices that registrations may share.
 */
unsigned long devmem_index_limit(void)
{
	unsigned long limit = memdesc_table_slots;

	if (SWP_PFN_BITS < BITS_PER_LONG)
		limit = min(limit, 1UL << SWP_PFN_BITS);
	return round_down(limit, DEVMEM_CHUNK_PAGES);
}
EXPORT_SYMBOL_GPL(devmem_index_limit);

/*
 * Allocate @nr_pages indices for @pgmap.  Every range is whole chunks and
 * starts at a chunk boundary, because the table maps descriptors a chunk at
 * a time and a chunk must belong to one pagemap: a registration that ends
 * inside a chunk owns the rest of it too, unused.  The first chunk is never
 * handed out: index 0 stays invalid, so a zeroed entry never names a page.
 */
int devmem_index_alloc(struct dev_pagemap *pgmap, unsigned long nr_pages,
		       devmem_index_t *first)
{
	unsigned long limit = devmem_index_limit();
	unsigned long start;
	int err;

	if (limit <= DEVMEM_CHUNK_PAGES)
		return -ENODEV;
	if (!nr_pages || nr_pages > limit - DEVMEM_CHUNK_PAGES)
		return -ENOSPC;
	err = mtree_alloc_range(&devmem_ranges, &start, pgmap,
				round_up(nr_pages, DEVMEM_CHUNK_PAGES),
				DEVMEM_CHUNK_PAGES, limit - 1, GFP_KERNEL);
	if (err)
		return err == -EBUSY ? -ENOSPC : err;
	*first = devmem_index(start);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(devmem_index_alloc);

void devmem_index_free(devmem_index_t first)
{
	mtree_erase(&devmem_ranges, devmem_index_val(first));
}
EXPORT_SYMBOL_IF_KUNIT(devmem_index_free);

/*
 * Calls @fn for every registration, with its first index as the tree has
 * it (devmem_register() sets pgmap->devmem.first after it is published),
 * in index order, under the lock of the index space: @fn must not sleep,
 * and the pagemap's devmem fields stay valid while it runs, since
 * devmem_unregister() frees them only after it gave the indices back.
 */
void devmem_index_for_each(void (*fn)(struct dev_pagemap *pgmap, devmem_index_t first, void *arg),
			   void *arg)
{
	MA_STATE(mas, &devmem_ranges, 0, 0);
	struct dev_pagemap *pgmap;

	mtree_lock(&devmem_ranges);
	mas_for_each(&mas, pgmap, ULONG_MAX)
		fn(pgmap, devmem_index(mas.index), arg);
	mtree_unlock(&devmem_ranges);
}

/**
 * devmem_index_to_pgmap() - the pagemap that registered an index
 * @index: any device index
 *
 * Not for the fault path: a page's pagemap is page->pgmap.
 *
 * Return: the pagemap, or NULL if no registration holds @index.
 */
struct dev_pagemap *devmem_index_to_pgmap(devmem_index_t index)
{
	struct dev_pagemap *pgmap = mtree_load(&devmem_ranges, devmem_index_val(index));

	/* Not the unused end of a registration's last chunk. */
	if (pgmap && devmem_index_val(index) - devmem_index_val(pgmap->devmem.first) >=
		     READ_ONCE(pgmap->devmem.nr_pages))
		return NULL;
	return pgmap;
}
EXPORT_SYMBOL_IF_KUNIT(devmem_index_to_pgmap);
