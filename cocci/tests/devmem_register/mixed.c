/* Private and coherent pagemaps from one function: reported, not rewritten. */
static int init_zone_device(struct adev *adev, bool coherent)
{
	struct dev_pagemap *pgmap = &adev->pgmap;
	struct resource *res;

	if (coherent) {
		pgmap->range.start = adev->aper_base;
		pgmap->type = MEMORY_DEVICE_COHERENT;
	} else {
		res = devm_request_free_mem_region(adev->dev, &iomem_resource, adev->size);
		pgmap->range.start = res->start;
		pgmap->type = MEMORY_DEVICE_PRIVATE;
	}
	return PTR_ERR_OR_ZERO(devm_memremap_pages(adev->dev, pgmap));
}

static void evict(struct adev *adev, unsigned long *src)
{
	migrate_device_range(src, adev->pgmap.range.start >> PAGE_SHIFT, 512);
}
