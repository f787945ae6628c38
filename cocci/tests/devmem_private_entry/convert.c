static swp_entry_t insert(struct page *page, bool write)
{
	if (write)
		return make_writable_device_private_entry(page_to_pfn(page));
	return make_readable_device_private_entry(page_to_pfn(page));
}
