/* Walks of a device-private pagemap by PFN: reported. */
static void add_free_pages(struct chunk *chunk)
{
	unsigned long pfn, pfn_first, pfn_last;

	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	pfn_first = chunk->pagemap.range.start >> PAGE_SHIFT;
	pfn_last = pfn_first + (range_len(&chunk->pagemap.range) >> PAGE_SHIFT);
	for (pfn = pfn_first; pfn < pfn_last; pfn++)
		put_free(pfn_to_page(pfn));
}

static unsigned long addr_to_pfn(struct adev *adev, unsigned long addr)
{
	return (addr + adev->pgmap.range.start) >> PAGE_SHIFT;
}
