static unsigned long vram_offset(struct chunk *chunk, struct page *page)
{
	return (page_to_pfn(page) << PAGE_SHIFT) - chunk->pagemap.range.start;
}

static unsigned long bit(struct page *page)
{
	return page_to_pfn(page) - (uvmem_pgmap.range.start >> PAGE_SHIFT);
}
