/*
 * A migration helper shared by drivers, as drm_pagemap is: the driver's
 * callback fills the destination array with the device PFNs of the pages
 * it allocated; the helper makes pages and migrate PFNs of them.  The
 * PFNs come from outside this file: reported, not rewritten.
 */
struct helper_ops {
	int (*populate_pfns)(void *priv, unsigned long npages, unsigned long *pfns);
};

static int helper_to_device(const struct helper_ops *ops, void *priv,
			    struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, unsigned long *buf, void *owner)
{
	unsigned long npages = (end - start) >> PAGE_SHIFT;
	struct migrate_vma migrate = {
		.start = start,
		.end = end,
		.pgmap_owner = owner,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
	};
	unsigned long i;
	int err;

	migrate.vma = vma;
	migrate.src = buf;
	migrate.dst = buf + npages;
	err = migrate_vma_setup(&migrate);
	if (err)
		return err;
	err = ops->populate_pfns(priv, npages, migrate.dst);
	if (err)
		goto out;
	for (i = 0; i < npages; ++i) {
		struct page *page = pfn_to_page(migrate.dst[i]);

		zone_device_page_init(page);
		migrate.dst[i] = migrate_pfn(migrate.dst[i]);
	}
	migrate_vma_pages(&migrate);
out:
	migrate_vma_finalize(&migrate);
	return err;
}

static int helper_to_ram(struct vm_area_struct *vma, unsigned long addr,
			 unsigned long *src, unsigned long *dst, void *owner)
{
	struct migrate_vma migrate = {
		.vma = vma,
		.start = addr,
		.end = addr + PAGE_SIZE,
		.src = src,
		.dst = dst,
		.pgmap_owner = owner,
		.flags = MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
	};
	struct page *page;
	int err;

	err = migrate_vma_setup(&migrate);
	if (err)
		return err;
	page = alloc_page(GFP_HIGHUSER);
	if (page)
		dst[0] = migrate_pfn(page_to_pfn(page));
	migrate_vma_pages(&migrate);
	migrate_vma_finalize(&migrate);
	return 0;
}
