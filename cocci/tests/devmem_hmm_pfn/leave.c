/*
 * A range with no dev_private_owner never holds a device-private page
 * (hmm_range_fault() migrates them back first): the PFN bits are a PFN.
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

static int mirror_fault(struct mmu_interval_notifier *mni, unsigned long *pfns)
{
	struct hmm_range range = {
		.notifier = mni,
		.hmm_pfns = pfns,
	};

	return hmm_range_fault(&range);
}
