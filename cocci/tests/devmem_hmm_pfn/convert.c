/*
 * A mirror that maps device pages by their place in the device's memory
 * (amdkfd's svm_range_dma_map_dev()) and looks pages up from the masked
 * bits.  Both have an exact form with hmm_pfn_to_page().
 */
static void mirror_map(struct adev *adev, dma_addr_t *addr, unsigned long *hmm_pfns,
		       unsigned long npages)
{
	struct page *page;
	unsigned long i;

	for (i = 0; i < npages; i++) {
		page = hmm_pfn_to_page(hmm_pfns[i]);
		if (is_zone_device_page(page)) {
			addr[i] = (hmm_pfns[i] << PAGE_SHIFT) +
				  adev->aper_base -
				  adev->pgmap.range.start;
			continue;
		}
		addr[i] = PFN_PHYS(hmm_pfns[i]) + adev->aper_base -
			  adev->pgmap.range.start;
	}
}

static struct page *mirror_page(struct hmm_range *range, unsigned long i)
{
	return pfn_to_page(range->hmm_pfns[i] & ~HMM_PFN_FLAGS);
}

static int mirror_init(struct adev *adev)
{
	adev->pgmap.type = MEMORY_DEVICE_PRIVATE;
	return 0;
}
