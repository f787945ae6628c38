// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for large device-private folios: compound descriptors as a
 * driver allocates, frees and splits them.
 */
#include <linux/delay.h>
#include <linux/devmem.h>
#include <linux/kthread.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "devmem_kunit.h"

#define CHUNK		DEVMEM_CHUNK_PAGES
/* The order of a PMD-sized folio with 4K pages, and of a chunk. */
#define ORDER		MEMDESC_CHUNK_ORDER

struct devmem_compound_ctx {
	struct dev_pagemap *pgmap;
	struct page *first;
};

static int devmem_compound_init(struct kunit *test)
{
	struct devmem_compound_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->pgmap = devmem_kunit_pgmap(test);
	ctx->first = devmem_register(ctx->pgmap, 2 * CHUNK, NUMA_NO_NODE);
	if (IS_ERR(ctx->first))
		return PTR_ERR(ctx->first);
	if (devmem_populate(ctx->pgmap, 0, 2 * CHUNK)) {
		devmem_unregister(ctx->pgmap);
		return -ENOMEM;
	}
	devmem_kunit_frees = 0;
	devmem_kunit_folio_frees = 0;
	devmem_kunit_folio_free_pages = 0;
	devmem_kunit_splits = 0;
	test->priv = ctx;
	return 0;
}

static void devmem_compound_exit(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;

	devmem_unregister(ctx->pgmap);
}

/* The second chunk, as one PMD-sized folio. */
static struct folio *alloc_pmd_folio(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct page *head = ctx->first + CHUNK;

	KUNIT_ASSERT_EQ(test, zone_device_folio_init(head, ORDER), 0);
	return page_folio(head);
}

static void devmem_compound_layout(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);
	struct page *head = &folio->page;
	const unsigned long idx[] = { 0, 1, 2, 3, CHUNK / 2, CHUNK - 1 };
	int i;

	KUNIT_EXPECT_TRUE(test, folio_test_large(folio));
	KUNIT_EXPECT_EQ(test, folio_order(folio), ORDER);
	KUNIT_EXPECT_EQ(test, folio_nr_pages(folio), CHUNK);
	KUNIT_EXPECT_TRUE(test, folio_test_locked(folio));
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	KUNIT_EXPECT_EQ(test, folio_mapcount(folio), 0);
	KUNIT_EXPECT_TRUE(test, folio_is_device_private(folio));

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		struct page *page = head + idx[i];
		devmem_index_t index = devmem_page_to_index(page);
		swp_entry_t entry = make_writable_device_private_entry(index);

		KUNIT_EXPECT_PTR_EQ(test, page_folio(page), folio);
		KUNIT_EXPECT_EQ(test, !!PageTail(page), idx[i] != 0);
		KUNIT_EXPECT_PTR_EQ(test, page_pgmap(page), ctx->pgmap);
		KUNIT_EXPECT_TRUE(test, is_device_private_page(page));
		KUNIT_EXPECT_FALSE(test, is_device_coherent_page(page));
		KUNIT_EXPECT_EQ(test, devmem_index_val(index),
				devmem_index_val(devmem_page_to_index(head)) + idx[i]);
		KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_to_page(entry), page);
		KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_folio(entry), folio);
		KUNIT_EXPECT_EQ(test, folio_page_idx(folio, page), idx[i]);
	}

	folio_unlock(folio);
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_free_pages, CHUNK);
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, 0);

	/* Back to the driver as free order-0 pages. */
	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		struct page *page = head + idx[i];

		KUNIT_EXPECT_FALSE(test, PageHead(page));
		KUNIT_EXPECT_FALSE(test, PageTail(page));
		KUNIT_EXPECT_PTR_EQ(test, page->pgmap, ctx->pgmap);
		KUNIT_EXPECT_NULL(test, page->mapping);
		KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	}
}

/* A freed folio's pages are order-0 pages again: any of them goes out alone. */
static void devmem_compound_free_and_reuse(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);
	struct page *head = &folio->page;
	const unsigned long idx[] = { 0, 1, 2, 5, CHUNK - 1 };
	int i;

	folio_unlock(folio);
	folio_put(folio);
	KUNIT_ASSERT_EQ(test, devmem_kunit_folio_frees, 1);

	for (i = 0; i < ARRAY_SIZE(idx); i++) {
		struct page *page = head + idx[i];

		KUNIT_ASSERT_EQ(test, zone_device_folio_init(page, 0), 0);
		KUNIT_EXPECT_FALSE(test, PageTail(page));
		KUNIT_EXPECT_FALSE(test, folio_test_large(page_folio(page)));
		KUNIT_EXPECT_PTR_EQ(test, &page_folio(page)->page, page);
		KUNIT_EXPECT_PTR_EQ(test, page->pgmap, ctx->pgmap);
		KUNIT_EXPECT_NULL(test, page->mapping);
		KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
		KUNIT_EXPECT_TRUE(test, PageLocked(page));
		unlock_page(page);
		put_page(page);
	}
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, ARRAY_SIZE(idx));
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);

	/* And as one folio again. */
	folio = alloc_pmd_folio(test);
	KUNIT_EXPECT_EQ(test, folio_order(folio), ORDER);
	KUNIT_EXPECT_PTR_EQ(test, page_folio(head + CHUNK - 1), folio);
	folio_unlock(folio);
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 2);
}

static void devmem_compound_bad_order(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct page *head = ctx->first + CHUNK;

	KUNIT_EXPECT_EQ(test, zone_device_folio_init(head, MAX_PAGE_ORDER + 1),
			-EINVAL);
	/* A driver without pages_free could never get a large folio back. */
	ctx->pgmap->ops = &devmem_kunit_page_only_ops;
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(head, ORDER), -EINVAL);
	ctx->pgmap->ops = &devmem_kunit_ops;
	KUNIT_EXPECT_EQ(test, page_ref_count(head), 0);
	KUNIT_EXPECT_FALSE(test, PageHead(head));
}

/* A tail page's pgmap word is its compound_head: the offset still holds. */
static void devmem_compound_tail_offset(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);

	KUNIT_EXPECT_EQ(test, pgmap_page_offset(&folio->page), CHUNK);
	KUNIT_EXPECT_EQ(test, pgmap_page_offset(folio_page(folio, 1)), CHUNK + 1);
	KUNIT_EXPECT_EQ(test, pgmap_page_offset(folio_page(folio, CHUNK - 1)),
			2 * CHUNK - 1);
	KUNIT_EXPECT_PTR_EQ(test, pgmap_offset_to_page(ctx->pgmap, CHUNK + 9),
			    folio_page(folio, 9));
	folio_unlock(folio);
	folio_put(folio);
}

/* Each bad large folio: its errno, the pages left free, nothing taken. */
static void devmem_compound_bad_folio(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct page *first = ctx->first;

	/* Not aligned to its size. */
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(first + 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, page_ref_count(first + 1), 0);
	KUNIT_EXPECT_FALSE(test, PageHead(first + 1));
	/* Larger than a chunk: it would span two. */
	if (ORDER + 1 <= MAX_PAGE_ORDER) {
		KUNIT_EXPECT_EQ(test, zone_device_folio_init(first, ORDER + 1), -EINVAL);
		KUNIT_EXPECT_FALSE(test, PageHead(first));
	}
	/* A page of the range is handed out already. */
	KUNIT_ASSERT_EQ(test, zone_device_folio_init(first + 3, 0), 0);
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(first, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, page_ref_count(first), 0);
	KUNIT_EXPECT_FALSE(test, PageHead(first));
	unlock_page(first + 3);
	put_page(first + 3);
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, 1);
	/* Once free, the same range is fine; its tail is not a page to hand out. */
	KUNIT_ASSERT_EQ(test, zone_device_folio_init(first, 2), 0);
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(first + 1, 0), -EINVAL);
	folio_unlock(page_folio(first));
	folio_put(page_folio(first));
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, 0, CHUNK), 0);
}

/* A registration that ends inside a chunk: no folio reaches past its end. */
static void devmem_compound_past_registration_end(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long nr = CHUNK + CHUNK / 2;
	struct page *first, *head;

	first = devmem_register(pgmap, nr, NUMA_NO_NODE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(first));
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, nr), 0);
	head = first + CHUNK;
	/* Populated and free, but half of it is not the driver's. */
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(head, ORDER), -EINVAL);
	KUNIT_EXPECT_FALSE(test, PageHead(head));
	KUNIT_EXPECT_EQ(test, page_ref_count(head), 0);
	/* The half that is fits exactly. */
	KUNIT_ASSERT_EQ(test, zone_device_folio_init(head, ORDER - 1), 0);
	KUNIT_EXPECT_EQ(test, folio_nr_pages(page_folio(head)), CHUNK / 2);
	folio_unlock(page_folio(head));
	folio_put(page_folio(head));
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
}

struct unregister_ctx {
	struct dev_pagemap *pgmap;
	struct completion done;
};

static int unregister_fn(void *arg)
{
	struct unregister_ctx *u = arg;

	devmem_unregister(u->pgmap);
	complete(&u->done);
	return 0;
}

/*
 * A driver that allocates while its pagemap is being unregistered (the
 * unregistration waits for a page still in use): an errno, no reference
 * taken, no folio made, and the unregistration still finishes.
 */
static void devmem_compound_dying_pgmap(struct kunit *test)
{
	struct unregister_ctx u = { .pgmap = devmem_kunit_pgmap(test) };
	struct page *first = devmem_register(u.pgmap, CHUNK, NUMA_NO_NODE);
	struct task_struct *t;
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(first));
	KUNIT_ASSERT_EQ(test, devmem_populate(u.pgmap, 0, CHUNK), 0);
	KUNIT_ASSERT_EQ(test, zone_device_folio_init(first + 1, 0), 0);
	unlock_page(first + 1);
	init_completion(&u.done);
	t = kthread_run(unregister_fn, &u, "devmem_unregister");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	for (i = 0; i < 1000 && !percpu_ref_is_dying(&u.pgmap->ref); i++)
		usleep_range(1000, 2000);
	KUNIT_ASSERT_TRUE(test, percpu_ref_is_dying(&u.pgmap->ref));

	KUNIT_EXPECT_EQ(test, zone_device_folio_init(first + 2, 1), -ENODEV);
	KUNIT_EXPECT_EQ(test, zone_device_folio_init(first + 4, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, page_ref_count(first + 2), 0);
	KUNIT_EXPECT_FALSE(test, PageHead(first + 2));
	KUNIT_EXPECT_EQ(test, page_ref_count(first + 4), 0);

	put_page(first + 1);
	wait_for_completion(&u.done);
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, 1);
	KUNIT_EXPECT_EQ(test, u.pgmap->devmem.nr_pages, 0UL);
}

/*
 * A collection window that ends inside a large folio: the folio is not
 * collected whole (it does not fit) and, held by somebody, cannot be split,
 * so it is left alone, unlocked, with its reference; the migration runs
 * to its end without a warning.
 */
static void devmem_compound_window_cuts_folio(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);
	unsigned long n = CHUNK / 2, i;
	unsigned long *src, *dst;
	devmem_index_t first;

	src = kunit_kcalloc(test, n, sizeof(*src), GFP_KERNEL);
	dst = kunit_kcalloc(test, n, sizeof(*dst), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	folio_unlock(folio);

	first = devmem_index_add(ctx->pgmap->devmem.first, CHUNK);
	KUNIT_ASSERT_EQ(test, migrate_devmem_range(src, first, n), 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, src[i], 0UL);
	migrate_device_pages(src, dst, n);
	migrate_device_finalize(src, dst, n);

	KUNIT_EXPECT_TRUE(test, folio_test_large(folio));
	KUNIT_EXPECT_FALSE(test, folio_test_locked(folio));
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);
}

struct split_race {
	struct folio *folio;
	struct completion done;
	int err;
};

static int split_fn(void *arg)
{
	struct split_race *r = arg;

	r->err = devmem_split_folio(r->folio, NULL);
	complete(&r->done);
	return 0;
}

/*
 * A split runs (the head's references frozen, ops->folio_split slow) while
 * the driver tries to give the chunk back: the chunk stays, and its pages
 * stay handed out after the split until each is freed.
 */
static void devmem_compound_depopulate_during_split(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);
	struct split_race r = { .folio = folio };
	DECLARE_COMPLETION_ONSTACK(splitting);
	struct page *head = &folio->page;
	struct task_struct *t;
	unsigned long i;

	init_completion(&r.done);
	devmem_kunit_splitting = &splitting;
	t = kthread_run(split_fn, &r, "devmem_split");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&splitting);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, CHUNK, CHUNK), -EBUSY);
	KUNIT_EXPECT_TRUE(test, devmem_populated(ctx->pgmap, CHUNK));
	wait_for_completion(&r.done);
	devmem_kunit_splitting = NULL;
	KUNIT_ASSERT_EQ(test, r.err, 0);

	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, CHUNK, CHUNK), -EBUSY);
	for (i = 0; i < CHUNK; i++) {
		unlock_page(head + i);
		put_page(head + i);
	}
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, CHUNK);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, CHUNK, CHUNK), 0);
	KUNIT_EXPECT_FALSE(test, devmem_populated(ctx->pgmap, CHUNK));
}

static void devmem_compound_split(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);
	struct page *head = &folio->page;
	struct page *extra = head + 7;
	unsigned long i;

	head->index = 1000;
	head->zone_device_data = ctx;
	folio_get(folio);
	KUNIT_ASSERT_EQ(test, devmem_split_folio(folio, extra), 0);
	KUNIT_EXPECT_EQ(test, devmem_kunit_splits, 1);
	KUNIT_EXPECT_EQ(test, devmem_kunit_split_order, ORDER);

	for (i = 0; i < CHUNK; i++) {
		struct page *page = head + i;
		struct folio *f = page_folio(page);

		KUNIT_EXPECT_PTR_EQ(test, &f->page, page);
		KUNIT_EXPECT_FALSE(test, folio_test_large(f));
		KUNIT_EXPECT_TRUE(test, folio_test_locked(f));
		KUNIT_EXPECT_EQ(test, folio_ref_count(f), page == extra ? 2 : 1);
		KUNIT_EXPECT_PTR_EQ(test, page->pgmap, ctx->pgmap);
		KUNIT_EXPECT_PTR_EQ(test, page_pgmap(page), ctx->pgmap);
		KUNIT_EXPECT_EQ(test, page->index, 1000 + i);
		KUNIT_EXPECT_PTR_EQ(test, page->zone_device_data, i ? NULL : (void *)ctx);
		KUNIT_EXPECT_TRUE(test, is_device_private_page(page));
		KUNIT_EXPECT_EQ(test, folio_mapcount(f), 0);
	}

	for (i = 0; i < CHUNK; i++) {
		unlock_page(head + i);
		put_page(head + i);
	}
	put_page(extra);
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, CHUNK);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 0);
}

/* A reference the caller does not know about: nothing is split. */
static void devmem_compound_split_busy(struct kunit *test)
{
	struct folio *folio = alloc_pmd_folio(test);

	folio_get(folio);
	KUNIT_EXPECT_EQ(test, devmem_split_folio(folio, NULL), -EBUSY);
	KUNIT_EXPECT_TRUE(test, folio_test_large(folio));
	KUNIT_EXPECT_EQ(test, folio_order(folio), ORDER);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 2);
	KUNIT_EXPECT_EQ(test, devmem_kunit_splits, 0);
	folio_put(folio);
	folio_unlock(folio);
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, devmem_kunit_folio_frees, 1);
}

/* Lazy population sees a folio in use through its head page. */
static void devmem_compound_keeps_chunk(struct kunit *test)
{
	struct devmem_compound_ctx *ctx = test->priv;
	struct folio *folio = alloc_pmd_folio(test);

	folio_unlock(folio);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, CHUNK, CHUNK), -EBUSY);
	KUNIT_EXPECT_TRUE(test, devmem_populated(ctx->pgmap, CHUNK));
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(ctx->pgmap, CHUNK, CHUNK), 0);
	KUNIT_EXPECT_FALSE(test, devmem_populated(ctx->pgmap, CHUNK));
}

static struct kunit_case devmem_compound_test_cases[] = {
	KUNIT_CASE(devmem_compound_layout),
	KUNIT_CASE(devmem_compound_free_and_reuse),
	KUNIT_CASE(devmem_compound_bad_order),
	KUNIT_CASE(devmem_compound_bad_folio),
	KUNIT_CASE(devmem_compound_past_registration_end),
	KUNIT_CASE(devmem_compound_dying_pgmap),
	KUNIT_CASE(devmem_compound_tail_offset),
	KUNIT_CASE(devmem_compound_window_cuts_folio),
	KUNIT_CASE(devmem_compound_split),
	KUNIT_CASE(devmem_compound_depopulate_during_split),
	KUNIT_CASE(devmem_compound_split_busy),
	KUNIT_CASE(devmem_compound_keeps_chunk),
	{}
};

static struct kunit_suite devmem_compound_test_suite = {
	.name = "devmem_compound",
	.suite_init = devmem_kunit_suite_init,
	.init = devmem_compound_init,
	.exit = devmem_compound_exit,
	.test_cases = devmem_compound_test_cases,
};

kunit_test_suite(devmem_compound_test_suite);
