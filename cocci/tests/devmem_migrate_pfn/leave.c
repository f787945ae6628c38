/* A PFN read from a present PTE is a real PFN: left alone. */
static unsigned long present(pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	return migrate_pfn(pfn) | MIGRATE_PFN_MIGRATE;
}

static struct page *decode(unsigned long mpfn)
{
	return migrate_pfn_to_page(mpfn);
}
