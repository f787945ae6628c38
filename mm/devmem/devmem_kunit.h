/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the devmem KUnit suites: a pagemap as a driver would set it up. */
#ifndef _MM_DEVMEM_KUNIT_H
#define _MM_DEVMEM_KUNIT_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/memdesc.h>
#include <linux/memremap.h>
#include <linux/mm.h>

/* Pages the driver got back through ops->page_free. */
static int devmem_kunit_frees;
/* How long ops->page_free takes, to race a free against other calls. */
static unsigned int devmem_kunit_free_delay_ms;
static struct completion *devmem_kunit_freeing;

static void devmem_kunit_page_free(struct page *page)
{
	if (devmem_kunit_freeing)
		complete(devmem_kunit_freeing);
	if (devmem_kunit_free_delay_ms)
		msleep(devmem_kunit_free_delay_ms);
	/* As drivers do: their per-page data says where the page goes back. */
	WRITE_ONCE(page->zone_device_data, NULL);
	devmem_kunit_frees++;
}

/* Large folios the driver got back through ops->pages_free, and their pages. */
static int devmem_kunit_folio_frees;
static long devmem_kunit_folio_free_pages;

static void devmem_kunit_pages_free(struct page *page, unsigned int order)
{
	devmem_kunit_folio_frees++;
	devmem_kunit_folio_free_pages += 1L << order;
}

/* Large folios split, as ops->folio_split saw them. */
static int devmem_kunit_splits;
static unsigned int devmem_kunit_split_order;

/* Signalled, then delayed, from inside a split, to race it against other calls. */
static struct completion *devmem_kunit_splitting;

static void devmem_kunit_folio_split(struct page *head, unsigned int order)
{
	if (devmem_kunit_splitting) {
		complete(devmem_kunit_splitting);
		msleep(200);
	}
	devmem_kunit_splits++;
	devmem_kunit_split_order = order;
}

static vm_fault_t devmem_kunit_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops devmem_kunit_ops = {
	.page_free = devmem_kunit_page_free,
	.pages_free = devmem_kunit_pages_free,
	.folio_split = devmem_kunit_folio_split,
	.migrate_to_ram = devmem_kunit_migrate_to_ram,
};

static inline struct dev_pagemap *devmem_kunit_pgmap(struct kunit *test)
{
	struct dev_pagemap *pgmap = kunit_kzalloc(test, sizeof(*pgmap), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pgmap);
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->ops = &devmem_kunit_ops;
	pgmap->owner = pgmap;
	return pgmap;
}

/* The table is reserved by the first registration; some cases need it before. */
static inline int devmem_kunit_suite_init(struct kunit_suite *suite)
{
	return memdesc_table_reserve();
}

#endif /* _MM_DEVMEM_KUNIT_H */
