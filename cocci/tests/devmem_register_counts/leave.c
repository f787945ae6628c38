/* Still registered with memremap_pages(): the range is real, left alone. */
static int chunk_alloc(struct chunk *chunk, struct resource *res)
{
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.range.start = res->start;
	chunk->pagemap.range.end = res->end;
	chunk->pagemap.nr_range = 1;
	return PTR_ERR_OR_ZERO(memremap_pages(&chunk->pagemap, numa_node_id()));
}

static unsigned long chunk_pages(struct chunk *chunk)
{
	return range_len(&chunk->pagemap.range) >> PAGE_SHIFT;
}
