/* Counts from the range: reported here, devmem_register_counts converts. */
static int chunk_alloc(struct chunk *chunk)
{
	struct resource *res;
	void *ptr;

	res = request_free_mem_region(&iomem_resource, CHUNK_SIZE, "drv");
	if (IS_ERR(res))
		return PTR_ERR(res);
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.range.start = res->start;
	chunk->pagemap.range.end = res->end;
	chunk->pagemap.nr_range = 1;
	ptr = memremap_pages(&chunk->pagemap, numa_node_id());
	return PTR_ERR_OR_ZERO(ptr);
}

static void chunk_evict(struct chunk *chunk)
{
	unsigned long npages = range_len(&chunk->pagemap.range) >> PAGE_SHIFT;
	unsigned long *src_pfns = kvcalloc(npages, sizeof(*src_pfns), GFP_KERNEL);

	if (!src_pfns)
		return;
	migrate_device_range(src_pfns, chunk->pagemap.range.start >> PAGE_SHIFT, npages);
	kvfree(src_pfns);
}

static unsigned long chunk_bytes(struct dev_pagemap *pgmap)
{
	return range_len(&pgmap->range);
}
