/*
 * Pages just allocated from RAM, here and in a helper: the rewrite is
 * exact for them too, and nothing is reported (they are never
 * device-private).
 */
static struct page *get_sys_page(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page;

	page = alloc_page_vma(GFP_HIGHUSER, vma, addr);
	if (page)
		lock_page(page);
	return page;
}

static void copy_back(struct migrate_vma *args, unsigned long i)
{
	struct page *dpage = get_sys_page(args->vma, args->start);

	if (dpage)
		args->dst[i] = migrate_pfn(page_to_pfn(dpage));
}

static void evict_one(unsigned long *dst)
{
	struct page *dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);

	lock_page(dpage);
	*dst = migrate_pfn(page_to_pfn(dpage));
}
