/*
 * The PFN bits of an HMM PFN taken apart by hand where the range can hold
 * device-private pages of the driver's own (dev_private_owner): no exact
 * form, reported.
 */
static unsigned long mirror_chunks(struct hmm_range *range, unsigned long npages)
{
	unsigned long i, n = 0, hmm_pfn;

	for (i = 0; i < npages;) {
		unsigned long len;

		hmm_pfn = range->hmm_pfns[i];
		len = 1UL << hmm_pfn_to_map_order(hmm_pfn);
		len -= (hmm_pfn & ~HMM_PFN_FLAGS) & (len - 1);
		i += len;
		n++;
	}
	return n;
}

static phys_addr_t mirror_phys(unsigned long *pfns, unsigned long i)
{
	if (!hmm_pfn_to_page(pfns[i]))
		return 0;
	return pfns[i] << PAGE_SHIFT;
}

static int mirror_fault(struct mmu_interval_notifier *mni, unsigned long *pfns, void *owner)
{
	struct hmm_range range = {
		.notifier = mni,
		.hmm_pfns = pfns,
		.dev_private_owner = owner,
	};

	return hmm_range_fault(&range);
}
