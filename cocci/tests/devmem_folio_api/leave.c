/*
 * A driver of this tree's form: order-0 pages freed through .page_free, its
 * pagemap read from the page.  Nothing to change.
 */
struct bar_chunk {
	struct dev_pagemap pagemap;
	struct page *free_pages;
};

static struct bar_chunk *bar_chunk_of(struct page *page)
{
	return container_of(page->pgmap, struct bar_chunk, pagemap);
}

static void bar_page_free(struct page *page)
{
	struct bar_chunk *chunk = bar_chunk_of(page);

	page->zone_device_data = chunk->free_pages;
	chunk->free_pages = page;
}

static vm_fault_t bar_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops bar_ops = {
	.page_free = bar_page_free,
	.migrate_to_ram = bar_migrate_to_ram,
};

static int bar_init(struct bar_chunk *chunk)
{
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.ops = &bar_ops;
	return 0;
}
