/* The PFN is taken first: the entry comes from the folio's first page. */
static swp_entry_t device_private(struct folio *folio, bool write)
{
	unsigned long pfn = folio_pfn(folio);
	swp_entry_t entry;

	if (write)
		entry = make_writable_migration_entry(pfn);
	else
		entry = make_readable_migration_entry(pfn);
	return entry;
}
