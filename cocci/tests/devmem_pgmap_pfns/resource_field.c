/*
 * PFNs of the reserved range kept in a field, a helper's return value and
 * a loop variable, as an out-of-tree driver keeps them: every use becomes
 * the device index; the registration is devmem_register.cocci's.
 */
struct foo_dev {
	struct dev_pagemap pgmap;
	unsigned long base_pfn;
	struct page *free_list;
	void *vram;
};

static unsigned long foo_page_offset(struct foo_dev *fd, struct page *page)
{
	return (page_to_pfn(page) - fd->base_pfn) << PAGE_SHIFT;
}

static unsigned long foo_alloc_pfn(struct foo_dev *fd)
{
	struct page *page = fd->free_list;

	if (!page)
		return 0;
	fd->free_list = page->zone_device_data;
	zone_device_page_init(page);
	return page_to_pfn(page);
}

static void foo_page_free(struct page *page)
{
	struct foo_dev *fd = container_of(page->pgmap, struct foo_dev, pgmap);

	page->zone_device_data = fd->free_list;
	fd->free_list = page;
}

static const struct dev_pagemap_ops foo_pgmap_ops = {
	.page_free	= foo_page_free,
};

static void foo_fill_dst(struct foo_dev *fd, struct migrate_vma *args)
{
	unsigned long i, pfn;

	for (i = 0; i < args->npages; i++) {
		pfn = foo_alloc_pfn(fd);
		if (!pfn)
			continue;
		memset(fd->vram + foo_page_offset(fd, pfn_to_page(pfn)), 0, PAGE_SIZE);
		args->dst[i] = migrate_pfn(pfn) | MIGRATE_PFN_WRITE;
	}
}

static int foo_evict(struct foo_dev *fd, unsigned long *src, unsigned long n)
{
	pr_debug("evicting from pfn %#lx\n", fd->base_pfn);
	return migrate_device_range(src, fd->base_pfn, n);
}

static int foo_add_memory(struct foo_dev *fd, struct device *dev, unsigned long size)
{
	struct resource *res;
	unsigned long pfn;
	void *addr;

	res = devm_request_free_mem_region(dev, &iomem_resource, size);
	if (IS_ERR(res))
		return PTR_ERR(res);
	fd->pgmap.type = MEMORY_DEVICE_PRIVATE;
	fd->pgmap.range.start = res->start;
	fd->pgmap.range.end = res->end;
	fd->pgmap.nr_range = 1;
	fd->pgmap.ops = &foo_pgmap_ops;
	addr = devm_memremap_pages(dev, &fd->pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	fd->base_pfn = PHYS_PFN(res->start);
	for (pfn = PHYS_PFN(res->start); pfn < PHYS_PFN(res->end + 1); pfn++)
		foo_page_free(pfn_to_page(pfn));
	return 0;
}
