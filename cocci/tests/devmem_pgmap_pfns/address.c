/*
 * Device addresses (the reserved start kept in a field, a pagemap start in a
 * local) turned into PFNs, a page turned into an address and offset from
 * one, and PFNs handed from one function to another in an array: every
 * site is reported; none is rewritten, as the addresses would stay.
 */
struct priv {
	struct dev_pagemap pgmap;
	unsigned long base;
};

static unsigned long addr_of(struct priv *pr, struct page *p)
{
	unsigned long x = page_to_pfn(p) << PAGE_SHIFT;

	return x - pr->pgmap.range.start;
}

static unsigned long off_of(struct priv *pr, struct page *p)
{
	return (page_to_pfn(p) << PAGE_SHIFT) - pr->base;
}

static void fill(struct priv *pr, unsigned long *pfn, unsigned long off, unsigned long n)
{
	unsigned long i, j = 0, base = pr->pgmap.range.start;

	for (i = 0; i < n; i++)
		pfn[j++] = PHYS_PFN(off + base) + i;
}

static void use(unsigned long *dst, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct page *page = pfn_to_page(dst[i]);

		zone_device_page_init(page);
		dst[i] = migrate_pfn(dst[i]);
	}
}

static int init(struct priv *pr, struct device *dev, unsigned long *d)
{
	struct resource *res;

	res = devm_request_free_mem_region(dev, &iomem_resource, SZ_2M);
	if (IS_ERR(res))
		return PTR_ERR(res);
	pr->pgmap.type = MEMORY_DEVICE_PRIVATE;
	pr->pgmap.range.start = res->start;
	pr->pgmap.range.end = res->end;
	pr->pgmap.nr_range = 1;
	pr->base = res->start;
	fill(pr, d, 0, 4);
	use(d, 4);
	return 0;
}
