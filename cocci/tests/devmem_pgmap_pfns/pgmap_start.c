/*
 * The first PFN of a device-private pagemap kept in a local and a field,
 * then used for eviction and a walk: the values become device indices.
 * The count that came from the range is devmem_register_counts.cocci's.
 */
struct bar_chunk {
	struct dev_pagemap pagemap;
	unsigned long first;
};

static int bar_chunk_init(struct bar_chunk *c, unsigned long size)
{
	c->pagemap.type = MEMORY_DEVICE_PRIVATE;
	c->first = c->pagemap.range.start >> PAGE_SHIFT;
	return 0;
}

static void bar_evict(struct bar_chunk *c, unsigned long *src)
{
	unsigned long start = c->pagemap.range.start >> PAGE_SHIFT;
	unsigned long n = range_len(&c->pagemap.range) >> PAGE_SHIFT;

	migrate_device_range(src, start, n);
}

static struct page *bar_nth_page(struct bar_chunk *c, unsigned long i)
{
	return pfn_to_page(c->first + i);
}

static void bar_fill(struct bar_chunk *c, unsigned long *pfns, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		pfns[i] = c->first + i;
	for (i = 0; i < n; i++)
		pfns[i] = migrate_pfn(pfns[i]);
}
