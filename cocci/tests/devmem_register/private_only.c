/* A driver that builds only device-private pagemaps. */
static int chunk_alloc(struct chunk *chunk)
{
	struct resource *res;
	void *ptr;

	res = request_free_mem_region(&iomem_resource, SZ_2M, "chunk");
	if (IS_ERR(res))
		return PTR_ERR(res);
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.range.start = res->start;
	chunk->pagemap.range.end = res->end;
	chunk->pagemap.nr_range = 1;
	ptr = memremap_pages(&chunk->pagemap, numa_node_id());
	return PTR_ERR_OR_ZERO(ptr);
}

static void chunk_evict(struct chunk *chunk, unsigned long *src)
{
	migrate_device_range(src, chunk->pagemap.range.start >> PAGE_SHIFT, 512);
}
