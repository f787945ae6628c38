// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: what device-private memory costs the kernel, measured the same
 * way on stock 6.12 (memremap_pages() of a free physical range) and on the
 * devmem series (devmem_register() by page count).  Built out of tree
 * against each kernel; prints "devmem_bench: key value unit" lines.
 */
#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>

static char *sizes = "1,16,64,240";
module_param(sizes, charp, 0444);
MODULE_PARM_DESC(sizes, "GiB to register, one registration each");
static unsigned long lookups = 10000000;
module_param(lookups, ulong, 0444);
MODULE_PARM_DESC(lookups, "entry -> page lookups to time");
static bool use16g = true;
module_param(use16g, bool, 0444);
MODULE_PARM_DESC(use16g, "measure descriptor memory with 1% and 100% of 16 GiB in use");
static unsigned long probe_max;
module_param(probe_max, ulong, 0444);
MODULE_PARM_DESC(probe_max, "find the largest registration accepted, in GiB, up to this many");

static void bench_page_free(struct page *page)
{
}

static vm_fault_t bench_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops bench_ops = {
	.page_free = bench_page_free,
	.migrate_to_ram = bench_migrate_to_ram,
};

struct bench_reg {
	struct dev_pagemap pgmap;
	struct resource *res;
	struct page *first;
	const char *failed_at;	/* the call that refused a registration */
};

/*
 * Descriptor memory, in KiB: nr_memmap_pages of /proc/vmstat, which counts
 * the vmemmap pages stock allocates for a pagemap and the descriptor table
 * pages of the devmem series alike.  The counter is not exported: read it
 * where user space does.
 */
static long memmap_kib(void)
{
	static const char key[] = "\nnr_memmap_pages ";
	size_t len = 32768;
	char *buf = kvzalloc(len, GFP_KERNEL);
	struct file *f = filp_open("/proc/vmstat", O_RDONLY, 0);
	long pages = -1;
	loff_t pos = 0;
	ssize_t n;
	char *p;

	if (buf && !IS_ERR(f)) {
		/* A seq_file read returns a page or so at a time. */
		do {
			n = kernel_read(f, buf + pos, len - 1 - pos, &pos);
		} while (n > 0 && pos < len - 1);
		p = strstr(buf, key);
		if (!p || sscanf(p + sizeof(key) - 1, "%ld", &pages) != 1)
			pages = -1;
	}
	if (!IS_ERR(f))
		filp_close(f, NULL);
	kvfree(buf);
	return pages < 0 ? -1 : pages << (PAGE_SHIFT - 10);
}

static unsigned long bench_free_mib(void)
{
	return (global_zone_page_state(NR_FREE_PAGES) << PAGE_SHIFT) >> 20;
}

static int bench_register(struct bench_reg *r, unsigned long bytes)
{
	memset(r, 0, sizeof(*r));
	r->pgmap.type = MEMORY_DEVICE_PRIVATE;
	r->pgmap.ops = &bench_ops;
	r->pgmap.owner = r;
#ifdef CONFIG_DEVMEM_INDEX
	r->first = devmem_register(&r->pgmap, bytes >> PAGE_SHIFT, NUMA_NO_NODE);
	r->failed_at = "devmem_register()";
	return PTR_ERR_OR_ZERO(r->first);
#else
	{
		unsigned long need;
		void *ptr;

		r->failed_at = "request_free_mem_region()";
		r->res = request_free_mem_region(&iomem_resource, bytes, "devmem_bench");
		if (IS_ERR(r->res))
			return PTR_ERR(r->res);
		/*
		 * memremap_pages() allocates the struct pages of the whole range
		 * at once: where they come near free memory it may not fail but
		 * run the system out of memory (an arm64 guest panics), and when
		 * it fails it keeps what it allocated.  Refuse before it, with a
		 * quarter to spare, and say so.
		 */
		need = ((bytes >> PAGE_SHIFT) * sizeof(struct page)) >> 20;
		if (need + need / 4 + 64 > bench_free_mib()) {
			r->failed_at = "free memory for its struct pages (checked before memremap_pages())";
			release_mem_region(r->res->start, resource_size(r->res));
			return -ENOMEM;
		}
		r->failed_at = "memremap_pages()";
		r->pgmap.range.start = r->res->start;
		r->pgmap.range.end = r->res->end;
		r->pgmap.nr_range = 1;
		ptr = memremap_pages(&r->pgmap, NUMA_NO_NODE);
		if (IS_ERR(ptr)) {
			release_mem_region(r->res->start, resource_size(r->res));
			return PTR_ERR(ptr);
		}
		r->first = pfn_to_page(PHYS_PFN(r->res->start));
		return 0;
	}
#endif
}

static void bench_unregister(struct bench_reg *r)
{
#ifdef CONFIG_DEVMEM_INDEX
	devmem_unregister(&r->pgmap);
#else
	memunmap_pages(&r->pgmap);
	release_mem_region(r->res->start, resource_size(r->res));
#endif
}

/* Give @pages pages descriptors (stock has them all from registration). */
static int bench_use(struct bench_reg *r, unsigned long pages)
{
#ifdef CONFIG_DEVMEM_INDEX
	return devmem_populate(&r->pgmap, 0, pages);
#else
	return 0;
#endif
}

static unsigned long bench_pa_bytes(struct bench_reg *r)
{
	return r->res ? resource_size(r->res) : 0;
}

static void bench_sizes(void)
{
	char *list = kstrdup(sizes, GFP_KERNEL), *s = list, *tok;
	struct bench_reg *r = kzalloc(sizeof(*r), GFP_KERNEL);

	while (list && r && (tok = strsep(&s, ","))) {
		unsigned long gib, bytes;
		long before, after;
		ktime_t t0;
		s64 us;
		int err;

		if (kstrtoul(tok, 0, &gib))
			continue;
		bytes = gib << 30;
		before = memmap_kib();
		t0 = ktime_get();
		err = bench_register(r, bytes);
		us = ktime_us_delta(ktime_get(), t0);
		after = memmap_kib();
		if (err) {
			pr_info("devmem_bench: register_%lug_error %d errno\n", gib, err);
			pr_info("devmem_bench: registering %lu GiB failed in %s: %pe after %lld us\n",
				gib, r->failed_at, ERR_PTR(err), us);
			continue;
		}
		pr_info("devmem_bench: register_%lug_us %lld us\n", gib, us);
		pr_info("devmem_bench: register_%lug_mem_kib %ld KiB\n", gib, after - before);
		pr_info("devmem_bench: register_%lug_pa_gib %lu GiB\n", gib,
			bench_pa_bytes(r) >> 30);
		bench_unregister(r);
	}
	kfree(r);
	kfree(list);
}

static void bench_use_16g(void)
{
	unsigned long pages = (16UL << 30) >> PAGE_SHIFT;
	struct bench_reg *r = kzalloc(sizeof(*r), GFP_KERNEL);
	long before;

	if (!r)
		return;
	before = memmap_kib();
	if (bench_register(r, 16UL << 30)) {
		pr_info("devmem_bench: use_16g_error 1 errno\n");
		kfree(r);
		return;
	}
	if (!bench_use(r, pages / 100))
		pr_info("devmem_bench: use_1pct_mem_kib %ld KiB\n", memmap_kib() - before);
	if (!bench_use(r, pages))
		pr_info("devmem_bench: use_100pct_mem_kib %ld KiB\n", memmap_kib() - before);
	bench_unregister(r);
	kfree(r);
}

/* One timed pass of @lookups entry -> page lookups, in picoseconds each. */
static s64 bench_lookup_pass(const swp_entry_t *entries, unsigned long *sum)
{
	unsigned long i;
	ktime_t t0;

	t0 = ktime_get();
	for (i = 0; i < lookups; i++) {
		struct page *page = pfn_swap_entry_to_page(READ_ONCE(entries[i & 511]));

		*sum += (unsigned long)page;
	}
	return ktime_to_ns(ktime_sub(ktime_get(), t0)) * 1000 / (s64)lookups;
}

static int bench_cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The fault path's entry -> page step: pfn_swap_entry_to_page() of a
 * device-private entry, over the 512 pages of a chunk.  The median of
 * LOOKUP_PASSES passes: one pass is at the mercy of the host.
 */
#define LOOKUP_PASSES 5
static void bench_lookup(void)
{
	struct bench_reg *r = kzalloc(sizeof(*r), GFP_KERNEL);
	swp_entry_t *entries = kmalloc_array(512, sizeof(*entries), GFP_KERNEL);
	s64 ps[LOOKUP_PASSES];
	unsigned long i, sum = 0;

	if (!lookups) {
		kfree(entries);
		kfree(r);
		return;
	}
	if (!r || !entries || bench_register(r, 2UL << 20) || bench_use(r, 512)) {
		pr_info("devmem_bench: lookup_error 1 errno\n");
		kfree(entries);
		kfree(r);
		return;
	}
	for (i = 0; i < 512; i++)
#ifdef CONFIG_DEVMEM_INDEX
		entries[i] = make_writable_device_private_entry(devmem_page_to_index(r->first + i));
#else
		entries[i] = make_writable_device_private_entry(page_to_pfn(r->first + i));
#endif
	for (i = 0; i < LOOKUP_PASSES; i++) {
		ps[i] = bench_lookup_pass(entries, &sum);
		pr_info("devmem_bench: lookup_pass_ps %lld ps\n", ps[i]);
	}
	sort(ps, LOOKUP_PASSES, sizeof(ps[0]), bench_cmp_s64, NULL);
	pr_info("devmem_bench: lookup_ps %lld ps\n", ps[LOOKUP_PASSES / 2]);
	pr_info("devmem_bench: lookup_check %d\n", sum == 0);
	bench_unregister(r);
	kfree(entries);
	kfree(r);
}

/* What bounds a registration on this kernel, besides memory. */
static void bench_bounds(void)
{
#ifdef CONFIG_DEVMEM_INDEX
	pr_info("devmem_bench: bound: descriptor table %lu slots (%lu GiB of device memory), index space %lu GiB\n",
		memdesc_table_slots, (memdesc_table_slots << PAGE_SHIFT) >> 30,
		(devmem_index_limit() << PAGE_SHIFT) >> 30);
	pr_info("devmem_bench: bound: index bits in a swap entry %d (%lu GiB)\n",
		SWP_PFN_BITS, (1UL << (SWP_PFN_BITS + PAGE_SHIFT - 30)));
#else
	struct range pluggable = mhp_get_pluggable_range(true);
	u64 end = min_t(u64, pluggable.end, iomem_resource.end) + 1;

	pr_info("devmem_bench: bound: a free physical range below %llu GiB (hotpluggable, within the CPU's physical addresses), struct pages from memory: %lu MiB free\n",
		end >> 30, bench_free_mib());
#endif
}

/*
 * One probe of bench_probe_max(): register @gib and unregister it.  Sets
 * @kept if a refusal kept memory, as stock 6.12 keeps the struct pages of a
 * memremap_pages() that failed half way: every later probe would be refused
 * for it.
 */
static int bench_probe(struct bench_reg *r, unsigned long gib, bool *kept)
{
	unsigned long before = bench_free_mib();
	int err = bench_register(r, gib << 30);

	if (err) {
		pr_info("devmem_bench: probe %lu GiB: %s: %pe, %lu MiB free\n", gib,
			r->failed_at, ERR_PTR(err), bench_free_mib());
		*kept = bench_free_mib() + 64 < before;
		return err;
	}
	bench_unregister(r);
	pr_info("devmem_bench: probe %lu GiB: ok, %lu MiB free\n", gib, bench_free_mib());
	return 0;
}

/*
 * The largest registration the running kernel accepts, to the GiB: a real
 * attempt each time, so whatever bounds it (index or address space, memory)
 * is what is found.  Doubling from 1 GiB, then halving the gap between the
 * last size accepted and the first refused, unless a refusal kept memory.
 */
static void bench_probe_max(void)
{
	struct bench_reg *r = kzalloc(sizeof(*r), GFP_KERNEL);
	unsigned long lo = 0, hi = 0, gib;
	const char *refused_at = NULL;
	bool kept = false;

	if (!r)
		return;
	bench_bounds();
	for (gib = 1; gib <= probe_max; gib *= 2) {
		if (bench_probe(r, gib, &kept)) {
			hi = gib;
			refused_at = r->failed_at;
			break;
		}
		lo = gib;
	}
	while (hi && hi - lo > 1 && !kept) {
		gib = lo + (hi - lo) / 2;
		if (bench_probe(r, gib, &kept)) {
			hi = gib;
			refused_at = r->failed_at;
			continue;
		}
		lo = gib;
	}
	if (kept)
		pr_info("devmem_bench: probing stopped: the refused registration kept its memory\n");
	pr_info("devmem_bench: max_register_gib %lu GiB\n", lo);
	if (refused_at)
		pr_info("devmem_bench: %lu GiB refused by %s\n", hi, refused_at);
	kfree(r);
}

static int __init devmem_bench_init(void)
{
	pr_info("devmem_bench: kernel %s\n", IS_ENABLED(CONFIG_DEVMEM_INDEX) ? "devmem" : "stock");
	bench_sizes();
	if (use16g)
		bench_use_16g();
	bench_lookup();
	if (probe_max)
		bench_probe_max();
	pr_info("devmem_bench: done 1\n");
	return 0;
}

static void __exit devmem_bench_exit(void)
{
}

module_init(devmem_bench_init);
module_exit(devmem_bench_exit);
MODULE_DESCRIPTION("Cost of device-private memory registration, stock or devmem");
MODULE_LICENSE("GPL");
