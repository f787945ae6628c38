/* Only device-private pagemaps, with error labels and a teardown. */
static int chunk_alloc(struct drm *drm, struct chunk *chunk)
{
	struct resource *res;
	void *ptr;
	int ret;

	res = request_free_mem_region(&iomem_resource, CHUNK_SIZE, "drv");
	if (IS_ERR(res)) {
		ret = PTR_ERR(res);
		goto out_free;
	}
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.range.start = res->start;
	chunk->pagemap.range.end = res->end;
	chunk->pagemap.nr_range = 1;
	chunk->pagemap.ops = &drv_pagemap_ops;

	ret = bo_new(drm, CHUNK_SIZE, &chunk->bo);
	if (ret)
		goto out_release;

	ptr = memremap_pages(&chunk->pagemap, numa_node_id());
	if (IS_ERR(ptr)) {
		ret = PTR_ERR(ptr);
		goto out_bo_free;
	}
	return 0;

out_bo_free:
	bo_free(chunk->bo);
out_release:
	release_mem_region(chunk->pagemap.range.start, range_len(&chunk->pagemap.range));
out_free:
	kfree(chunk);
	return ret;
}

static void chunk_fini(struct chunk *chunk)
{
	memunmap_pages(&chunk->pagemap);
	release_mem_region(chunk->pagemap.range.start,
			   range_len(&chunk->pagemap.range));
	kfree(chunk);
}

/* devm_ variant, with a pointer to the pagemap. */
static int devm_init(struct device *dev, struct dev_pagemap *pgmap, unsigned long size)
{
	struct resource *res;
	void *r;

	res = devm_request_free_mem_region(dev, &iomem_resource, size);
	if (IS_ERR(res))
		return PTR_ERR(res);
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->range.start = res->start;
	pgmap->range.end = res->end;
	pgmap->nr_range = 1;
	r = devm_memremap_pages(dev, pgmap);
	return PTR_ERR_OR_ZERO(r);
}
