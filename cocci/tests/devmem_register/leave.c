/* A DAX-style pagemap with a real range: nothing to report. */
static void *dax_map(struct dev_pagemap *pgmap, struct resource *res)
{
	pgmap->range.start = res->start;
	pgmap->type = MEMORY_DEVICE_FS_DAX;
	return memremap_pages(pgmap, 0);
}
