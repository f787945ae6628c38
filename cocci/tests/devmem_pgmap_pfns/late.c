/*
 * The first PFN taken before the pagemap is registered: the device index
 * is not known there, so nothing is rewritten; the rule reports it.
 */
static unsigned long baz_first;

static int baz_init(struct dev_pagemap *pgmap, unsigned long size)
{
	struct resource *res;
	void *addr;

	res = request_free_mem_region(&iomem_resource, size, "baz");
	if (IS_ERR(res))
		return PTR_ERR(res);
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->range.start = res->start;
	pgmap->range.end = res->end;
	pgmap->nr_range = 1;
	baz_first = PHYS_PFN(res->start);
	addr = memremap_pages(pgmap, NUMA_NO_NODE);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	return 0;
}

static struct page *baz_page(unsigned long i)
{
	return pfn_to_page(baz_first + i);
}
