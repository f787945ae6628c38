// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of device-private memory by page count.
 *
 * A driver says how many pages of device memory it has; it gets a range of
 * device indices and the struct pages behind them, in the descriptor table.
 * Nothing is taken from the physical address space: no resource, no
 * section, no vmemmap, no zone span, no pageblock, no PFN.
 */
#define pr_fmt(fmt) "devmem: " fmt

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/devmem.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "devmem.h"

static void devmem_pgmap_release(struct percpu_ref *ref)
{
	struct dev_pagemap *pgmap = container_of(ref, struct dev_pagemap, ref);

	complete(&pgmap->done);
}

static bool devmem_pgmap_ok(struct dev_pagemap *pgmap, unsigned long nr_pages)
{
	if (pgmap->type != MEMORY_DEVICE_PRIVATE) {
		pr_warn_once("devmem_register() takes MEMORY_DEVICE_PRIVATE pagemaps only; use memremap_pages() for type %d\n",
			     pgmap->type);
		return false;
	}
	if (!pgmap->ops || !pgmap->ops->migrate_to_ram || !pgmap->ops->page_free ||
	    !pgmap->owner) {
		pr_warn_once("devmem_register(): set pgmap->owner, ops->page_free and ops->migrate_to_ram\n");
		return false;
	}
	if (pgmap->nr_range || pgmap->flags & PGMAP_ALTMAP_VALID || pgmap->vmemmap_shift) {
		pr_warn_once("devmem_register(): leave pgmap->range, altmap and vmemmap_shift unset: device-private memory has no physical range\n");
		return false;
	}
	if (!nr_pages) {
		pr_warn_once("devmem_register(): nr_pages is 0: register the pages the device has\n");
		return false;
	}
	return true;
}

/**
 * devmem_register() - register device-private memory by page count
 * @pgmap: a MEMORY_DEVICE_PRIVATE pagemap with @owner, @ops->page_free and
 *	@ops->migrate_to_ram set, and no range
 * @nr_pages: pages of device memory, any number but 0
 * @nid: node for the descriptors, or NUMA_NO_NODE
 *
 * Allocates a range of device indices and the table address space behind
 * them, nothing more: the cost does not grow with @nr_pages beyond one bit
 * and one count per chunk.  The driver populates pages with devmem_populate()
 * before it hands them out; a populated page is a free struct page with
 * page->pgmap = @pgmap.  @pgmap->devmem.first and @pgmap->devmem.nr_pages
 * describe the range; the pages are contiguous, so page i of the range is
 * the returned page + i.  Undo with devmem_unregister().
 *
 * Return: the first page, or ERR_PTR(): -EINVAL for a pagemap or size this
 * function does not take, -EBUSY if @pgmap is registered already,
 * -EOPNOTSUPP if this architecture's swap entries cannot carry device
 * indices, -ENOSPC when the index space is exhausted or the descriptor
 * table has no room (memdesc_table_reserve()), -ENOMEM.
 */
struct page *devmem_register(struct dev_pagemap *pgmap, unsigned long nr_pages, int nid)
{
	unsigned long nr_chunks;
	int err;

	if (!pgmap)
		return ERR_PTR(-EINVAL);
	if (pgmap->devmem.nr_pages)
		return ERR_PTR(-EBUSY);
	if (!devmem_pgmap_ok(pgmap, nr_pages))
		return ERR_PTR(-EINVAL);
	err = memdesc_table_reserve();
	if (err)
		return ERR_PTR(err);
	if (!devmem_swap_encoding_ok())
		return ERR_PTR(-EOPNOTSUPP);
	/* Before sizing anything by @nr_pages. */
	if (nr_pages > devmem_index_limit() - DEVMEM_CHUNK_PAGES)
		return ERR_PTR(-ENOSPC);
	if (nid < 0)
		nid = numa_mem_id();

	init_completion(&pgmap->done);
	err = percpu_ref_init(&pgmap->ref, devmem_pgmap_release, 0, GFP_KERNEL);
	if (err)
		return ERR_PTR(err);
	/* One bit and one count per chunk: 1 MiB and 32 MiB at 16 TiB. */
	nr_chunks = DIV_ROUND_UP(nr_pages, DEVMEM_CHUNK_PAGES);
	pgmap->devmem.populated = kvcalloc(BITS_TO_LONGS(nr_chunks), sizeof(long),
					   GFP_KERNEL);
	pgmap->devmem.handed_out = kvcalloc(nr_chunks, sizeof(atomic_t), GFP_KERNEL);
	if (!pgmap->devmem.populated || !pgmap->devmem.handed_out) {
		err = -ENOMEM;
		goto free_chunks;
	}
	mutex_init(&pgmap->devmem.populate_lock);
	pgmap->devmem.nid = nid;

	err = devmem_index_alloc(pgmap, nr_pages, &pgmap->devmem.first);
	if (err)
		goto free_chunks;
	WRITE_ONCE(pgmap->devmem.nr_pages, nr_pages);
	return devmem_index_to_page(pgmap->devmem.first);

free_chunks:
	kvfree(pgmap->devmem.handed_out);
	pgmap->devmem.handed_out = NULL;
	kvfree(pgmap->devmem.populated);
	pgmap->devmem.populated = NULL;
	percpu_ref_exit(&pgmap->ref);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(devmem_register);

/**
 * devmem_register_populated() - devmem_register() with every page populated
 * @pgmap: as for devmem_register()
 * @nr_pages: as for devmem_register()
 * @nid: as for devmem_register()
 *
 * What memremap_pages() gave a MEMORY_DEVICE_PRIVATE pagemap: a struct page
 * for every page from the start, at the same cost, so that a driver that
 * walks or hands out its pages as it did under 6.12 keeps working unchanged.
 * cocci/devmem_register.cocci converts to it.  A driver that populates
 * chunks as it first hands their pages out calls devmem_register() and
 * devmem_populate() instead, and pays for the device memory it uses.
 *
 * Return: as devmem_register(); -ENOMEM also if the descriptors cannot be
 * had, with nothing left registered.
 */
struct page *devmem_register_populated(struct dev_pagemap *pgmap, unsigned long nr_pages,
				       int nid)
{
	struct page *page = devmem_register(pgmap, nr_pages, nid);
	int err;

	if (IS_ERR(page))
		return page;
	err = devmem_populate(pgmap, 0, nr_pages);
	if (err) {
		devmem_unregister(pgmap);
		return ERR_PTR(err);
	}
	return page;
}
EXPORT_SYMBOL_GPL(devmem_register_populated);

/**
 * devmem_unregister() - undo devmem_register()
 * @pgmap: the registered pagemap
 *
 * Waits, as memunmap_pages() does, until the driver has freed every page it
 * allocated, then frees the descriptors of every populated chunk and the
 * index range.
 *
 * Return: 0, or -ENOENT if @pgmap is not registered (for instance a second
 * call), after one warning.
 */
int devmem_unregister(struct dev_pagemap *pgmap)
{
	unsigned long first, nr, chunk;

	if (!pgmap || !pgmap->devmem.nr_pages) {
		pr_warn_once("%s: the pagemap is not registered\n", __func__);
		return -ENOENT;
	}
	first = devmem_index_val(pgmap->devmem.first);
	nr = pgmap->devmem.nr_pages;

	percpu_ref_kill(&pgmap->ref);
	wait_for_completion(&pgmap->done);
	percpu_ref_exit(&pgmap->ref);

	devmem_wait_lockless_walkers();
	for_each_set_bit(chunk, pgmap->devmem.populated, DIV_ROUND_UP(nr, DEVMEM_CHUNK_PAGES))
		memdesc_table_depopulate(first + chunk * DEVMEM_CHUNK_PAGES,
					 DEVMEM_CHUNK_PAGES);
	/* First: devmem_index_for_each() reads what is freed below. */
	devmem_index_free(pgmap->devmem.first);
	kvfree(pgmap->devmem.handed_out);
	pgmap->devmem.handed_out = NULL;
	kvfree(pgmap->devmem.populated);
	pgmap->devmem.populated = NULL;
	mutex_destroy(&pgmap->devmem.populate_lock);
	WRITE_ONCE(pgmap->devmem.nr_pages, 0);
	return 0;
}
EXPORT_SYMBOL_GPL(devmem_unregister);

/**
 * devmem_first_index() - the device index of a registration's first page
 * @pgmap: a pagemap registered with devmem_register()
 *
 * Page i of the registration has index devmem_index_add(first, i): what a
 * driver gives migrate_devmem_range() to evict it all.
 *
 * Return: the index of page 0.
 */
devmem_index_t devmem_first_index(const struct dev_pagemap *pgmap)
{
	return pgmap->devmem.first;
}
EXPORT_SYMBOL_GPL(devmem_first_index);

/**
 * devmem_nr_pages() - the size of a registration
 * @pgmap: a pagemap registered with devmem_register()
 *
 * What range_len(&pgmap->range) >> PAGE_SHIFT was for a pagemap with a
 * physical range: a device-private pagemap has none.
 *
 * Return: the number of pages registered, 0 if @pgmap is not registered.
 */
unsigned long devmem_nr_pages(const struct dev_pagemap *pgmap)
{
	return READ_ONCE(pgmap->devmem.nr_pages);
}
EXPORT_SYMBOL_GPL(devmem_nr_pages);

static void devm_devmem_release(void *pgmap)
{
	devmem_unregister(pgmap);
}

static struct page *devm_devmem_add(struct device *dev, struct dev_pagemap *pgmap,
				    struct page *page)
{
	int err;

	if (IS_ERR(page))
		return page;
	err = devm_add_action_or_reset(dev, devm_devmem_release, pgmap);
	return err ? ERR_PTR(err) : page;
}

/**
 * devm_devmem_register() - devmem_register() undone when @dev is unbound
 * @dev: the device that owns the memory; its node is used for descriptors
 * @pgmap: as for devmem_register()
 * @nr_pages: as for devmem_register()
 *
 * Return: as devmem_register().
 */
struct page *devm_devmem_register(struct device *dev, struct dev_pagemap *pgmap,
				  unsigned long nr_pages)
{
	return devm_devmem_add(dev, pgmap, devmem_register(pgmap, nr_pages, dev_to_node(dev)));
}
EXPORT_SYMBOL_GPL(devm_devmem_register);

/**
 * devm_devmem_register_populated() - devmem_register_populated() undone when
 *	@dev is unbound
 * @dev: as for devm_devmem_register()
 * @pgmap: as for devmem_register()
 * @nr_pages: as for devmem_register()
 *
 * Return: as devmem_register_populated().
 */
struct page *devm_devmem_register_populated(struct device *dev, struct dev_pagemap *pgmap,
					    unsigned long nr_pages)
{
	return devm_devmem_add(dev, pgmap,
			       devmem_register_populated(pgmap, nr_pages, dev_to_node(dev)));
}
EXPORT_SYMBOL_GPL(devm_devmem_register_populated);

/**
 * devm_devmem_unregister() - unregister early what devm_devmem_register() did
 * @dev: the device passed to devm_devmem_register()
 * @pgmap: the pagemap
 */
void devm_devmem_unregister(struct device *dev, struct dev_pagemap *pgmap)
{
	devm_release_action(dev, devm_devmem_release, pgmap);
}
EXPORT_SYMBOL_GPL(devm_devmem_unregister);
