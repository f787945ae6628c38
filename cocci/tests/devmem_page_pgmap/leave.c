/*
 * No device-private pagemap in the file (a coherent one), and a store to
 * page->pgmap: left alone, nothing reported.
 */
static struct dev_pagemap *coherent_pgmap_of(struct page *page)
{
	return page->pgmap;
}

static void coherent_init(struct dev_pagemap *pgmap)
{
	pgmap->type = MEMORY_DEVICE_COHERENT;
}
