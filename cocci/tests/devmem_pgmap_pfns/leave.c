/*
 * PFNs of system pages in a file with a device-private pagemap: nothing to
 * change or report.
 */
static struct dev_pagemap qux_pgmap;

static void qux_init(void)
{
	qux_pgmap.type = MEMORY_DEVICE_PRIVATE;
}

static void qux_copy_back(struct migrate_vma *args)
{
	unsigned long i, pfn;

	for (i = 0; i < args->npages; i++) {
		struct page *spage = migrate_pfn_to_page(args->src[i]);
		struct page *dpage = alloc_page(GFP_HIGHUSER);

		if (!spage || !dpage)
			continue;
		pfn = page_to_pfn(dpage);
		copy_highpage(pfn_to_page(pfn), spage);
		args->dst[i] = migrate_pfn(pfn);
	}
}

static void qux_to_device(struct migrate_vma *args)
{
	unsigned long i;

	args->flags = MIGRATE_VMA_SELECT_SYSTEM;
	for (i = 0; i < args->npages; i++) {
		struct page *spage = migrate_pfn_to_page(args->src[i]);

		if (spage)
			pr_debug("system page at pfn %#lx\n", page_to_pfn(spage));
	}
}
