static swp_entry_t unmap(struct page *page, pte_t pte, bool exclusive)
{
	if (pte_write(pte))
		return make_writable_migration_entry(page_to_pfn(page));
	else if (exclusive)
		return make_readable_exclusive_migration_entry(page_to_pfn(page + 1));
	return make_readable_migration_entry(page_to_pfn(page));
}
