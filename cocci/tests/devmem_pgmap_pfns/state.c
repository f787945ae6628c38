/*
 * Device PFNs kept in per-GFN state with a flag bit (powerpc's uvmem):
 * packed by a helper two calls down, unpacked into an out-parameter, made
 * a page by the caller, and printed.  Patch mode rewrites the source and
 * the sinks, so the state holds indices; report mode also names the
 * places in between.
 */
#define GFN_DEV		(1UL << 63)
#define GFN_PFN_MASK	(~GFN_DEV)

struct gfn_slot {
	unsigned long *pfns;
	unsigned long nr;
};

static struct dev_pagemap baz_pgmap;

static void baz_mark(struct gfn_slot *s, unsigned long gfn, unsigned long pfn)
{
	if (gfn < s->nr)
		s->pfns[gfn] = pfn | GFN_DEV;
}

static void baz_secure(struct gfn_slot *s, unsigned long gfn, unsigned long pfn)
{
	baz_mark(s, gfn, pfn);
}

static bool baz_lookup(struct gfn_slot *s, unsigned long gfn, unsigned long *pfn)
{
	if (gfn >= s->nr || !(s->pfns[gfn] & GFN_DEV))
		return false;
	*pfn = s->pfns[gfn] & GFN_PFN_MASK;
	return true;
}

static struct page *baz_get(struct gfn_slot *s, unsigned long gfn, unsigned long bit)
{
	unsigned long first = baz_pgmap.range.start >> PAGE_SHIFT;
	unsigned long pfn = first + bit;

	baz_secure(s, gfn, pfn);
	pr_debug("gfn %lx on device pfn %lx\n", gfn, pfn);
	return pfn_to_page(pfn);
}

static struct page *baz_page(struct gfn_slot *s, unsigned long gfn)
{
	unsigned long pfn;

	if (!baz_lookup(s, gfn, &pfn))
		return NULL;
	return pfn_to_page(pfn);
}

static int baz_init(void)
{
	baz_pgmap.type = MEMORY_DEVICE_PRIVATE;
	return 0;
}
