/* The first page of a pagemap from the start of its range. */
static struct page *first_page(struct chunk *chunk, struct dev_pagemap *pgmap)
{
	struct page *a = pfn_to_page(chunk->pagemap.range.start >> PAGE_SHIFT);
	struct page *b = pfn_to_page(PHYS_PFN(pgmap->range.start));

	return a == b ? a : NULL;
}
