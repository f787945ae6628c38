/* The first page through a variable (nouveau): the variable goes with it. */
static void add_free_pages(struct chunk *chunk)
{
	struct page *page;
	unsigned long i, pfn_first;

	pfn_first = chunk->pagemap.range.start >> PAGE_SHIFT;
	page = pfn_to_page(pfn_first);
	for (i = 0; i < 511; ++i, ++page)
		put_free(page);
}

static struct page *first_of(struct dev_pagemap *pgmap)
{
	unsigned long pfn = PHYS_PFN(pgmap->range.start);

	return pfn_to_page(pfn);
}

/* The variable is used again: a walk by PFN, reported, not rewritten. */
static void walk(struct chunk *chunk)
{
	unsigned long pfn_first, i;

	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	pfn_first = chunk->pagemap.range.start >> PAGE_SHIFT;
	put_free(pfn_to_page(pfn_first));
	for (i = 1; i < 512; i++)
		put_free(pfn_to_page(pfn_first + i));
}
