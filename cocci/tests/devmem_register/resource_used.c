/* The resource is used after registration: reported, left to a person. */
static int uvmem_init(unsigned long size)
{
	struct resource *res;
	void *addr;

	res = request_free_mem_region(&iomem_resource, size, "uvmem");
	if (IS_ERR(res))
		return PTR_ERR(res);
	uvmem_pgmap.type = MEMORY_DEVICE_PRIVATE;
	uvmem_pgmap.range.start = res->start;
	uvmem_pgmap.range.end = res->end;
	uvmem_pgmap.nr_range = 1;
	addr = memremap_pages(&uvmem_pgmap, NUMA_NO_NODE);
	if (IS_ERR(addr)) {
		release_mem_region(res->start, size);
		return PTR_ERR(addr);
	}
	uvmem_first_pfn = res->start >> PAGE_SHIFT;
	return 0;
}
