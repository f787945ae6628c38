/* Converted: the private pagemap by count, memremap_pages() for the other. */
static int allocate_chunk(struct chunk *devmem, bool private)
{
	if (private) {
		devmem->pagemap.type = MEMORY_DEVICE_PRIVATE;
		return PTR_ERR_OR_ZERO(devmem_register(&devmem->pagemap, 512, 0));
	}
	devmem->pagemap.type = MEMORY_DEVICE_COHERENT;
	devmem->pagemap.nr_range = 1;
	return PTR_ERR_OR_ZERO(memremap_pages(&devmem->pagemap, 0));
}
