// SPDX-License-Identifier: GPL-2.0
/*
 * The pagemap the devmem KUnit suites register, with ops that count what
 * the driver gets back and can be slowed down to race against other calls.
 * One object with the suites (mm/devmem/Makefile): they share this state.
 */
#include <linux/delay.h>
#include <linux/memdesc.h>
#include <linux/mm.h>

#include "devmem_kunit.h"

int devmem_kunit_frees;
unsigned int devmem_kunit_free_delay_ms;
struct completion *devmem_kunit_freeing;
int devmem_kunit_folio_frees;
long devmem_kunit_folio_free_pages;
int devmem_kunit_splits;
unsigned int devmem_kunit_split_order;
struct completion *devmem_kunit_splitting;

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

static void devmem_kunit_pages_free(struct page *page, unsigned int order)
{
	devmem_kunit_folio_frees++;
	devmem_kunit_folio_free_pages += 1L << order;
}

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

const struct dev_pagemap_ops devmem_kunit_ops = {
	.page_free = devmem_kunit_page_free,
	.pages_free = devmem_kunit_pages_free,
	.folio_split = devmem_kunit_folio_split,
	.migrate_to_ram = devmem_kunit_migrate_to_ram,
};

/* A driver that takes back pages only, no large folios. */
const struct dev_pagemap_ops devmem_kunit_page_only_ops = {
	.page_free = devmem_kunit_page_free,
	.migrate_to_ram = devmem_kunit_migrate_to_ram,
};

struct dev_pagemap *devmem_kunit_pgmap(struct kunit *test)
{
	struct dev_pagemap *pgmap = kunit_kzalloc(test, sizeof(*pgmap), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pgmap);
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->ops = &devmem_kunit_ops;
	pgmap->owner = pgmap;
	return pgmap;
}

/* The table is reserved by the first registration; some cases need it before. */
int devmem_kunit_suite_init(struct kunit_suite *suite)
{
	return memdesc_table_reserve();
}
