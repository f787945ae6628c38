/* Registered by count (as devmem_register.cocci leaves nouveau): counts too. */
static int chunk_alloc(struct chunk *chunk)
{
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	return PTR_ERR_OR_ZERO(devmem_register_populated(&chunk->pagemap, 512,
							 numa_node_id()));
}

static void chunk_evict(struct chunk *chunk)
{
	unsigned long npages = range_len(&chunk->pagemap.range) >> PAGE_SHIFT;
	unsigned long *src_pfns = kvcalloc(npages, sizeof(*src_pfns), GFP_KERNEL);

	if (!src_pfns)
		return;
	migrate_devmem_range(src_pfns, devmem_first_index(&chunk->pagemap), npages);
	kvfree(src_pfns);
}

static unsigned long chunk_bytes(struct dev_pagemap *pgmap)
{
	return range_len(&pgmap->range);
}

static unsigned long chunk_pages(struct dev_pagemap *pgmap)
{
	return PHYS_PFN(range_len(&pgmap->range));
}
