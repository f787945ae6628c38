/* Arithmetic against a base that is no pagemap range: left alone. */
static unsigned long rel(struct page *page, unsigned long base_pfn)
{
	return page_to_pfn(page) - base_pfn;
}
