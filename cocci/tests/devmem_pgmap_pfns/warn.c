/*
 * A page printed by PFN in a warning that fires when it is a device page:
 * a device-private page has no PFN.  A print of a page known to be RAM
 * stays.
 */
static struct page *qux_source(unsigned long *src)
{
	struct page *spage = migrate_pfn_to_page(*src);

	if (WARN(spage && is_zone_device_page(spage),
		 "page already on the device, pfn %lx\n", page_to_pfn(spage)))
		return NULL;
	if (WARN(spage && !is_zone_device_page(spage) && PageHWPoison(spage),
		 "poisoned page, pfn %lx\n", page_to_pfn(spage)))
		return NULL;
	return spage;
}

static int qux_init(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	return 0;
}
