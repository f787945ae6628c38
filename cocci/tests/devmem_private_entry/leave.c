/* Device-exclusive entries point at GUP'd RAM pages: they keep the PFN. */
static swp_entry_t exclusive(struct page *subpage)
{
	return make_readable_device_exclusive_entry(page_to_pfn(subpage));
}

/* fork and mprotect pass the index through. */
static swp_entry_t downgrade(swp_entry_t entry)
{
	return make_readable_device_private_entry(swp_offset_devmem_index(entry));
}
