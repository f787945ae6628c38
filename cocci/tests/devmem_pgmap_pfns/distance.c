/*
 * The place of a page in its folio by PFN, in a driver with large
 * device-private folios: the folios may be device folios, which have no
 * PFN; reported, as no form is exact for both kinds.
 */
static unsigned long quux_offset(struct folio *head, struct page *page)
{
	struct folio *tail = page_folio(page);

	return folio_pfn(tail) - folio_pfn(head);
}

static unsigned long quux_page_idx(struct folio *folio, struct page *page)
{
	return page_to_pfn(page) - folio_pfn(folio);
}

static int quux_init(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	return 0;
}
