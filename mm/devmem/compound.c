// SPDX-License-Identifier: GPL-2.0
/*
 * Large device-private folios: splitting them into pages.
 *
 * A driver hands out a PMD-sized device folio with zone_device_folio_init()
 * and gets it back whole through ops->pages_free.  When only part of such a
 * folio is to leave the device (a CPU fault that cannot get a THP, or a
 * migration to order-0 pages), the folio is split while it is unmapped:
 * every mapping is a migration entry that names its own page by device
 * index, so the entries stay valid and each page becomes a folio of its
 * own, locked and referenced like the folio was.
 */
#include <kunit/visibility.h>
#include <linux/devmem.h>
#include <linux/memcontrol.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/page_ref.h>

#include "devmem.h"

/**
 * devmem_split_folio() - split an unmapped large device-private folio
 * @folio: a locked large device-private folio that is mapped nowhere (its
 *	mappings, if any, replaced by migration entries)
 * @extra_page: a page of @folio for which the caller holds one more
 *	reference (a fault's), or NULL
 *
 * The caller holds one reference on @folio, and one more for @extra_page.
 * On success it holds one reference on every page of @folio, one more on
 * @extra_page, and every page is a locked order-0 folio with the mapping,
 * index, memcg and pagemap of the folio it was part of.  The driver's
 * ops->folio_split, if it has one, then gives the pages their own
 * zone_device_data (the tails' is NULL, the head keeps its own).
 *
 * Return: 0, -EINVAL if @folio is not such a folio, or -EBUSY if somebody
 * else holds a reference; @folio is unchanged on error.
 */
int devmem_split_folio(struct folio *folio, struct page *extra_page)
{
	struct page *head = &folio->page;
	struct dev_pagemap *pgmap;
	int expected, order, i;

	if (WARN_ON_ONCE(!folio_is_device_private(folio) ||
			 !folio_test_large(folio) ||
			 !folio_test_locked(folio)))
		return -EINVAL;
	if (extra_page && WARN_ON_ONCE(page_folio(extra_page) != folio))
		return -EINVAL;
	if (folio_mapped(folio))
		return -EBUSY;

	expected = extra_page ? 2 : 1;
	if (!folio_ref_freeze(folio, expected))
		return -EBUSY;

	pgmap = folio->page.pgmap;
	order = folio_order(folio);
	split_page_memcg(head, order, 0);
	/* As __split_huge_page() does; order-0 pages are not counted. */
	if (folio_test_anon(folio))
		mod_mthp_stat(order, MTHP_STAT_NR_ANON, -1);

	/* From the last page: page 1 holds the folio's order until then. */
	for (i = (1 << order) - 1; i > 0; i--) {
		devmem_page_reset(head + i, pgmap, head);
		page_ref_unfreeze(head + i, head + i == extra_page ? 2 : 1);
	}
	ClearPageHead(head);
	if (pgmap->ops->folio_split)
		pgmap->ops->folio_split(head, order);
	page_ref_unfreeze(head, head == extra_page ? 2 : 1);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(devmem_split_folio);
