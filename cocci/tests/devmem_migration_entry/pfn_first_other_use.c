/* The PFN has another use: it stays. */
static void keep_pfn(struct page *page, struct vm_area_struct *vma)
{
	unsigned long pfn = page_to_pfn(page);
	swp_entry_t entry = make_readable_migration_entry(pfn);

	flush_cache_page(vma, 0, pfn);
	set_entry(entry);
}
