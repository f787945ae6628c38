// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for device indices and registration by page count.
 */
#include <linux/devmem.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "devmem.h"
#include "devmem_kunit.h"

#define CHUNK	DEVMEM_CHUNK_PAGES

static struct page *register_ok(struct kunit *test, struct dev_pagemap *pgmap,
				unsigned long nr_pages)
{
	struct page *page = devmem_register(pgmap, nr_pages, NUMA_NO_NODE);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(page), "devmem_register: %pe", page);
	return page;
}

static void devmem_index_register_first_last(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long before = memdesc_table_bytes();
	devmem_index_t first, last;
	struct page *page, *end;
	unsigned long nr = 2 * CHUNK;

	page = register_ok(test, pgmap, nr);
	/* Registration costs no descriptor memory; population does. */
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, nr), 0);
	first = pgmap->devmem.first;
	last = devmem_index_add(first, nr - 1);
	end = page + nr - 1;

	KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, nr);
	/* What drivers read instead of the fields. */
	KUNIT_EXPECT_EQ(test, devmem_nr_pages(pgmap), nr);
	KUNIT_EXPECT_EQ(test, devmem_index_val(devmem_first_index(pgmap)),
			devmem_index_val(first));
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(devmem_index_val(first), CHUNK));
	KUNIT_EXPECT_NE(test, devmem_index_val(first), 0UL);
	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_page(first), page);
	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_page(last), end);
	KUNIT_EXPECT_EQ(test, devmem_index_val(devmem_page_to_index(page)),
			devmem_index_val(first));
	KUNIT_EXPECT_EQ(test, devmem_index_val(devmem_page_to_index(end)),
			devmem_index_val(last));
	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_pgmap(first), pgmap);
	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_pgmap(last), pgmap);
	KUNIT_EXPECT_NULL(test, devmem_index_to_pgmap(devmem_index_add(last, 1)));

	/* What core mm reads from a ZONE_DEVICE page works unchanged. */
	KUNIT_EXPECT_TRUE(test, devmem_page(page));
	KUNIT_EXPECT_TRUE(test, is_device_private_page(end));
	KUNIT_EXPECT_TRUE(test, folio_is_device_private(page_folio(page)));
	KUNIT_EXPECT_TRUE(test, is_zone_device_page(page));
	KUNIT_EXPECT_EQ(test, page_zonenum(end), ZONE_DEVICE);
	KUNIT_EXPECT_EQ(test, page_to_nid(end), numa_mem_id());
	KUNIT_EXPECT_PTR_EQ(test, page_pgdat(end), NODE_DATA(numa_mem_id()));
	KUNIT_EXPECT_PTR_EQ(test, end->pgmap, pgmap);
	KUNIT_EXPECT_EQ(test, page_ref_count(end), 0);
	KUNIT_EXPECT_FALSE(test, folio_test_large(page_folio(end)));

	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + nr * sizeof(struct page));
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, devmem_nr_pages(pgmap), 0UL);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_EXPECT_NULL(test, devmem_index_to_pgmap(first));
}

static void devmem_index_space_bounds(struct kunit *test)
{
	unsigned long limit = devmem_index_limit();
	devmem_index_t last = devmem_index(limit - 1);
	struct page *page = devmem_index_to_page(last);

	KUNIT_EXPECT_GT(test, limit, 2 * CHUNK);
	KUNIT_EXPECT_LE(test, limit, memdesc_table_slots);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(limit, CHUNK));
	KUNIT_EXPECT_TRUE(test, devmem_page(page));
	KUNIT_EXPECT_EQ(test, devmem_index_val(devmem_page_to_index(page)), limit - 1);
	KUNIT_EXPECT_TRUE(test, devmem_page(devmem_index_to_page(devmem_index(0))));
	KUNIT_EXPECT_TRUE(test, devmem_swap_encoding_ok());
}

static void devmem_index_many_pagemaps(struct kunit *test)
{
	struct dev_pagemap *pgmaps[16];
	unsigned long before = memdesc_table_bytes();
	int i, j;

	for (i = 0; i < ARRAY_SIZE(pgmaps); i++) {
		pgmaps[i] = devmem_kunit_pgmap(test);
		register_ok(test, pgmaps[i], (i % 3 + 1) * CHUNK);
	}
	/* Disjoint ranges, each found from any of its indices. */
	for (i = 0; i < ARRAY_SIZE(pgmaps); i++) {
		unsigned long a = devmem_index_val(pgmaps[i]->devmem.first);
		unsigned long a_end = a + pgmaps[i]->devmem.nr_pages;

		KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_pgmap(devmem_index(a_end - 1)),
				    pgmaps[i]);
		for (j = i + 1; j < ARRAY_SIZE(pgmaps); j++) {
			unsigned long b = devmem_index_val(pgmaps[j]->devmem.first);
			unsigned long b_end = b + pgmaps[j]->devmem.nr_pages;

			KUNIT_EXPECT_TRUE(test, a_end <= b || b_end <= a);
		}
	}
	for (i = 0; i < ARRAY_SIZE(pgmaps); i++)
		KUNIT_EXPECT_EQ(test, devmem_unregister(pgmaps[i]), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

/*
 * Drivers register what the device has: nouveau 2 MiB chunks, amdkfd VRAM
 * aligned to 2 MiB, uvmem the firmware's size.  A chunk is 2 MiB of pages
 * with 4K pages but 4 MiB with 16K and 64 MiB with 64K pages, so sizes that
 * end inside a chunk must work on every page size.
 */
static void devmem_index_register_any_size(struct kunit *test)
{
	const unsigned long sizes[] = {
		SZ_2M >> PAGE_SHIFT, 1, CHUNK - 1, CHUNK + 1, 3 * (SZ_2M >> PAGE_SHIFT),
		(SZ_256M >> PAGE_SHIFT) + 5,
	};
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	struct dev_pagemap *next = devmem_kunit_pgmap(test);
	unsigned long before = memdesc_table_bytes();
	unsigned long i, nr, chunks, first, tail;
	struct page *page;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		nr = sizes[i];
		chunks = DIV_ROUND_UP(nr, CHUNK);
		page = register_ok(test, pgmap, nr);
		first = devmem_index_val(pgmap->devmem.first);
		KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, nr);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(first, CHUNK));

		/* The next registration starts at the next chunk. */
		register_ok(test, next, CHUNK);
		KUNIT_EXPECT_GE(test, devmem_index_val(next->devmem.first),
				first + chunks * CHUNK);

		KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 0, nr), 0);
		KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, nr - 1, 2), -EINVAL);
		KUNIT_EXPECT_EQ(test, memdesc_table_bytes(),
				before + chunks * CHUNK * sizeof(struct page));
		KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, nr - 1));
		KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, nr));
		KUNIT_EXPECT_PTR_EQ(test, (page + nr - 1)->pgmap, pgmap);
		KUNIT_EXPECT_EQ(test, pgmap_page_offset(page + nr - 1), nr - 1);
		KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_pgmap(devmem_index(first + nr - 1)),
				    pgmap);
		/* The rest of the last chunk, if any, belongs to nobody. */
		if (nr % CHUNK)
			KUNIT_EXPECT_NULL(test, devmem_index_to_pgmap(devmem_index(first + nr)));

		/* The last chunk goes back whole, named up to the registration's end. */
		tail = round_down(nr - 1, CHUNK);
		if (nr - tail > 1)
			KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, tail, nr - tail - 1),
					-EINVAL);
		KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, tail, nr - tail), 0);
		KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, nr - 1));
		KUNIT_EXPECT_EQ(test, memdesc_table_bytes(),
				before + (chunks - 1) * CHUNK * sizeof(struct page));

		KUNIT_EXPECT_EQ(test, devmem_unregister(next), 0);
		KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
		KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	}
}

static void devmem_index_bad_input(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long before = memdesc_table_bytes();

	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(NULL, CHUNK, NUMA_NO_NODE)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, 0, NUMA_NO_NODE)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, ULONG_MAX, NUMA_NO_NODE)),
			-ENOSPC);
	/* Too many for the index space: refused before anything is sized by it. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, 1UL << 50, NUMA_NO_NODE)),
			-ENOSPC);

	pgmap->type = MEMORY_DEVICE_COHERENT;
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, CHUNK, NUMA_NO_NODE)), -EINVAL);
	pgmap->type = MEMORY_DEVICE_PRIVATE;

	pgmap->owner = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, CHUNK, NUMA_NO_NODE)), -EINVAL);
	pgmap->owner = pgmap;

	pgmap->nr_range = 1;
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, CHUNK, NUMA_NO_NODE)), -EINVAL);
	pgmap->nr_range = 0;

	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, 0UL);
	/* Still usable after all that. */
	register_ok(test, pgmap, CHUNK);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
}

static void devmem_index_exhaustion(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long before = memdesc_table_bytes();
	unsigned long limit = devmem_index_limit();
	devmem_index_t *held, first;
	unsigned long size = limit;
	int n = 0, i;

	/* More than the whole space: no range fits, nothing is allocated. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, limit, NUMA_NO_NODE)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, 0UL);

	/*
	 * Fill what is left of the index space (address space only: nothing
	 * is populated), halving the request whenever it no longer fits.
	 */
	held = kunit_kcalloc(test, 2 * BITS_PER_LONG, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	while (size >= CHUNK && n < 2 * BITS_PER_LONG) {
		if (devmem_index_alloc(pgmap, size, &first) == 0)
			held[n++] = first;
		else
			size = round_down(size / 2, CHUNK);
	}
	KUNIT_EXPECT_LT(test, size, CHUNK);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, CHUNK, NUMA_NO_NODE)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, 0UL);

	for (i = 0; i < n; i++)
		devmem_index_free(held[i]);
	/* Room again once the space is given back. */
	register_ok(test, pgmap, CHUNK);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static void devmem_index_double_register_unregister(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	devmem_index_t first;

	register_ok(test, pgmap, CHUNK);
	first = pgmap->devmem.first;
	KUNIT_EXPECT_EQ(test, PTR_ERR(devmem_register(pgmap, CHUNK, NUMA_NO_NODE)), -EBUSY);
	KUNIT_EXPECT_EQ(test, devmem_index_val(pgmap->devmem.first), devmem_index_val(first));
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), -ENOENT);
	KUNIT_EXPECT_EQ(test, devmem_unregister(NULL), -ENOENT);
}

static int count_one(struct resource *res, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/* Resources that request_free_mem_region() made for device-private memory. */
static int count_device_private_resources(void)
{
	int n = 0;

	walk_iomem_res_desc(IORES_DESC_DEVICE_PRIVATE_MEMORY, IORESOURCE_MEM, 0, -1,
			    &n, count_one);
	return n;
}

static void devmem_index_no_iomem_resource(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	struct dev_pagemap *old = devmem_kunit_pgmap(test);
	int before, during;

	before = count_device_private_resources();
	register_ok(test, pgmap, 8 * CHUNK);
	during = count_device_private_resources();
	KUNIT_EXPECT_EQ(test, during, before);
	/* lib/test_hmm's private chunks registered none either. */
	KUNIT_EXPECT_EQ(test, before, 0);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);

	/* The PFN-based registration refuses device-private pagemaps, warning once. */
	old->nr_range = 1;
	old->range.start = 0;
	old->range.end = SZ_2M - 1;
	kunit_info(test, "devmem-expect-warning: %s", "at mm/memremap.c");
	KUNIT_EXPECT_EQ(test, PTR_ERR(memremap_pages(old, NUMA_NO_NODE)), -EINVAL);
}

/* The debugfs listing of registrations, into a buffer. */
static char *registrations(struct kunit *test)
{
	struct seq_file m = { .size = SZ_16K };

	m.buf = kunit_kzalloc(test, m.size + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	devmem_registrations_show(&m, NULL);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	return m.buf;
}

/* /proc/iomem shows none: devmem/registrations in debugfs lists them. */
static void devmem_index_registrations_listed(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long first, nr = 3 * CHUNK;
	char *list, *line, *end, *range, *want;

	register_ok(test, pgmap, nr);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, CHUNK, 1), 0);
	first = devmem_index_val(pgmap->devmem.first);
	range = kunit_kzalloc(test, 64, GFP_KERNEL);
	want = kunit_kzalloc(test, 160, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, range);
	KUNIT_ASSERT_NOT_NULL(test, want);
	snprintf(range, 64, "indices [%#lx, %#lx)", first, first + nr);
	snprintf(want, 160, "pages %lu (%lu MiB) %s chunks 1/3 descriptors %lu KiB",
		 nr, nr >> (20 - PAGE_SHIFT), range, CHUNK * sizeof(struct page) >> 10);

	list = registrations(test);
	line = strstr(list, range);
	KUNIT_ASSERT_NOT_NULL_MSG(test, line, "%s not in:\n%s", range, list);
	while (line > list && line[-1] != '\n')
		line--;
	end = strchr(line, '\n');
	if (end)
		*end = 0;
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(line, want), "%s", line);
	if (IS_ENABLED(CONFIG_KALLSYMS))
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(line, "driver devmem_kunit_page_free"),
					  "%s", line);

	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_NULL(test, strstr(registrations(test), range));
}

static struct kunit_case devmem_index_test_cases[] = {
	KUNIT_CASE(devmem_index_register_first_last),
	KUNIT_CASE(devmem_index_space_bounds),
	KUNIT_CASE(devmem_index_many_pagemaps),
	KUNIT_CASE(devmem_index_register_any_size),
	KUNIT_CASE(devmem_index_bad_input),
	KUNIT_CASE(devmem_index_exhaustion),
	KUNIT_CASE(devmem_index_double_register_unregister),
	KUNIT_CASE(devmem_index_no_iomem_resource),
	KUNIT_CASE(devmem_index_registrations_listed),
	{}
};

static struct kunit_suite devmem_index_test_suite = {
	.name = "devmem_index",
	.suite_init = devmem_kunit_suite_init,
	.test_cases = devmem_index_test_cases,
};

kunit_test_suite(devmem_index_test_suite);
