/* Device pages and system pages alike get migrate_pfn_from_page(). */
static unsigned long to_device(struct page *dpage)
{
	return migrate_pfn(page_to_pfn(dpage)) | MIGRATE_PFN_WRITE;
}

static void to_ram(unsigned long *dst, struct folio *dfolio)
{
	*dst = migrate_pfn(folio_pfn(dfolio));
}
