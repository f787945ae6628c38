/*
 * A driver's pagemap lookups by page: a local or parameter of type struct
 * page *, and the faulting page of a vm_fault.  Each becomes page_pgmap().
 * A store stays.
 */
struct foo_chunk {
	struct dev_pagemap pagemap;
	unsigned long id;
};

static struct foo_chunk *page_to_chunk(struct page *page)
{
	return container_of(page->pgmap, struct foo_chunk, pagemap);
}

static void *page_owner_of(struct vm_fault *vmf)
{
	return vmf->page->pgmap->owner;
}

static void foo_set(struct page *page, struct foo_chunk *c)
{
	page->pgmap = &c->pagemap;
}

static int foo_init(struct foo_chunk *c)
{
	c->pagemap.type = MEMORY_DEVICE_PRIVATE;
	return 0;
}
