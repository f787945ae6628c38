/*
 * A driver written for 6.19's large device folios: its free callback takes
 * the folio whole, its split callback stores the pagemap of each new folio,
 * and it reads the pagemap from the folio.
 */
struct foo_chunk {
	struct dev_pagemap pagemap;
	spinlock_t lock;
	struct page *free_pages;
	struct folio *free_folios;
	unsigned long freed;
};

static struct foo_chunk *foo_chunk_of(struct folio *folio)
{
	return container_of(folio->pgmap, struct foo_chunk, pagemap);
}

static void foo_folio_free(struct folio *folio)
{
	struct foo_chunk *chunk = foo_chunk_of(folio);

	spin_lock(&chunk->lock);
	chunk->freed += folio_nr_pages(folio);
	if (folio_order(folio)) {
		folio->page.zone_device_data = chunk->free_folios;
		chunk->free_folios = folio;
	} else {
		folio_page(folio, 0)->zone_device_data = chunk->free_pages;
		chunk->free_pages = &folio->page;
	}
	spin_unlock(&chunk->lock);
}

static void foo_folio_split(struct folio *head, struct folio *tail)
{
	if (!tail)
		return;
	tail->page.zone_device_data = head->page.zone_device_data;
	tail->pgmap = head->pgmap;
}

static vm_fault_t foo_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops foo_ops = {
	.folio_free = foo_folio_free,
	.folio_split = foo_folio_split,
	.migrate_to_ram = foo_migrate_to_ram,
};

static int foo_init(struct foo_chunk *chunk)
{
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.ops = &foo_ops;
	return 0;
}
