/* The helper builds PFN-based ones itself (not compiled: migrate.h has it). */
static inline unsigned long migrate_pfn_from_page(const struct page *page)
{
	if (devmem_page(page))
		return devmem_index_val(devmem_page_to_index(page)) << MIGRATE_PFN_SHIFT;
	return migrate_pfn(page_to_pfn(page));
}
