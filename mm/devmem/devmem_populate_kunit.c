// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for lazy population of device-private descriptors.
 */
#include <kunit/static_stub.h>
#include <linux/completion.h>
#include <linux/devmem.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/pagemap.h>

#include "devmem_kunit.h"

#define CHUNK		DEVMEM_CHUNK_PAGES
#define CHUNK_BYTES	(CHUNK * sizeof(struct page))

static struct dev_pagemap *register_lazy(struct kunit *test, unsigned long nr_pages)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	struct page *first = devmem_register(pgmap, nr_pages, NUMA_NO_NODE);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(first), "devmem_register: %pe", first);
	return pgmap;
}

static void devmem_populate_on_first_use(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct dev_pagemap *pgmap = register_lazy(test, 4 * CHUNK);
	struct page *page;

	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 4 * CHUNK - 1));

	/* One page of the third chunk: that chunk, and only that one. */
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 2 * CHUNK + 7, 1), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 2 * CHUNK - 1));
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, 2 * CHUNK));
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, 3 * CHUNK - 1));
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 3 * CHUNK));

	page = pgmap_offset_to_page(pgmap, 3 * CHUNK - 1);
	KUNIT_EXPECT_TRUE(test, is_device_private_page(page));
	KUNIT_EXPECT_PTR_EQ(test, page->pgmap, pgmap);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	KUNIT_EXPECT_EQ(test, pgmap_page_offset(page), 3 * CHUNK - 1);

	/* Again: nothing more. A range over two chunks: one more. */
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 2 * CHUNK, CHUNK), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 2 * CHUNK, CHUNK + 1), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + 2 * CHUNK_BYTES);

	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 4 * CHUNK, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 1, 4 * CHUNK), -EINVAL);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static void devmem_populate_release_on_chunk_free(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct dev_pagemap *pgmap = register_lazy(test, 2 * CHUNK);
	struct page *page;

	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, 2 * CHUNK), 0);
	page = pgmap_offset_to_page(pgmap, CHUNK + 3);

	/* A page in use keeps its chunk: nothing is released. */
	zone_device_page_init(page);
	unlock_page(page);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 0, 2 * CHUNK), -EBUSY);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + 2 * CHUNK_BYTES);
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, 0));

	/* The other chunk is free: it goes. */
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 0, CHUNK), 0);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);

	/* Once the driver frees its page, the whole chunk can go. */
	put_page(page);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, CHUNK, CHUNK), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);

	/* Not whole chunks, or outside: refused. */
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 1, CHUNK), -EINVAL);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 0, CHUNK - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 2 * CHUNK, CHUNK), -EINVAL);

	/* And populated again on next use. */
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, CHUNK, 1), 0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static int calls_before_failure;

/* memdesc_table_populate() that runs out of memory after some calls. */
static int populate_then_fail(unsigned long slot, unsigned long nr, int nid)
{
	struct kunit *test = kunit_get_current_test();
	int err;

	if (calls_before_failure-- <= 0)
		return -ENOMEM;
	kunit_deactivate_static_stub(test, memdesc_table_populate);
	err = memdesc_table_populate(slot, nr, nid);
	kunit_activate_static_stub(test, memdesc_table_populate, populate_then_fail);
	return err;
}

static void devmem_populate_failure(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct dev_pagemap *pgmap = register_lazy(test, 4 * CHUNK);

	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, CHUNK, 1), 0);

	/* Chunk 0 populates, chunk 1 is there already, chunk 2 fails. */
	calls_before_failure = 1;
	kunit_activate_static_stub(test, memdesc_table_populate, populate_then_fail);
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 0, 4 * CHUNK), -ENOMEM);
	kunit_deactivate_static_stub(test, memdesc_table_populate);

	/* As before the call: chunk 0 released again, chunk 1 kept. */
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, CHUNK));
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 2 * CHUNK));
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 3 * CHUNK));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);

	/* Memory is back: the same call succeeds. */
	KUNIT_EXPECT_EQ(test, devmem_populate(pgmap, 0, 4 * CHUNK), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + 4 * CHUNK_BYTES);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

/*
 * devmem_register_populated(), for drivers converted from memremap_pages():
 * every page of a registration that ends inside a chunk has its struct
 * page at once, and a failure leaves nothing registered.
 */
static void devmem_populate_at_registration(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes(), i, nr = 3 * CHUNK + 1;
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	struct page *first;

	calls_before_failure = 2;
	kunit_activate_static_stub(test, memdesc_table_populate, populate_then_fail);
	first = devmem_register_populated(pgmap, nr, NUMA_NO_NODE);
	kunit_deactivate_static_stub(test, memdesc_table_populate);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(first), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pgmap->devmem.nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);

	first = devmem_register_populated(pgmap, nr, NUMA_NO_NODE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(first), "devmem_register_populated: %pe", first);
	for (i = 0; i < nr; i += CHUNK)
		KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, i));
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, nr - 1));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + 4 * CHUNK_BYTES);
	/* Free struct pages, the last one too, as memremap_pages() left them. */
	KUNIT_EXPECT_EQ(test, page_ref_count(first + nr - 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, page_pgmap(first + nr - 1), pgmap);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

struct race {
	struct dev_pagemap *pgmap;
	struct completion go;
	atomic_t done;
	int err[4];
};

struct racer {
	struct race *race;
	int id;
};

static int populate_racer(void *arg)
{
	struct racer *r = arg;

	wait_for_completion(&r->race->go);
	r->race->err[r->id] = devmem_populate(r->race->pgmap, CHUNK / 2 + r->id, 1);
	atomic_inc(&r->race->done);
	return 0;
}

static void devmem_populate_concurrent(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct racer racers[4];
	struct race race = { .pgmap = register_lazy(test, 2 * CHUNK) };
	int i;

	init_completion(&race.go);
	atomic_set(&race.done, 0);
	for (i = 0; i < ARRAY_SIZE(racers); i++) {
		struct task_struct *t;

		racers[i].race = &race;
		racers[i].id = i;
		t = kthread_run(populate_racer, &racers[i], "devmem_racer/%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	}
	complete_all(&race.go);
	while (atomic_read(&race.done) < ARRAY_SIZE(racers))
		usleep_range(1000, 2000);

	for (i = 0; i < ARRAY_SIZE(racers); i++)
		KUNIT_EXPECT_EQ(test, race.err[i], 0);
	/* One chunk, populated once. */
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);
	KUNIT_EXPECT_TRUE(test, devmem_populated(race.pgmap, 0));
	KUNIT_EXPECT_FALSE(test, devmem_populated(race.pgmap, CHUNK));
	KUNIT_EXPECT_EQ(test, devmem_unregister(race.pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static int put_later(void *page)
{
	msleep(50);
	put_page(page);
	return 0;
}

/*
 * Chunks in every state at unregistration: never populated, populated and
 * free, populated then released, and one with a page the driver frees only
 * while devmem_unregister() waits for it.
 */
static void devmem_populate_unregister_any_state(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct dev_pagemap *pgmap = register_lazy(test, 4 * CHUNK);
	struct task_struct *t;
	struct page *page;

	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, 2 * CHUNK), 0);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 3 * CHUNK, CHUNK), 0);
	KUNIT_ASSERT_EQ(test, devmem_depopulate(pgmap, 3 * CHUNK, CHUNK), 0);

	page = pgmap_offset_to_page(pgmap, CHUNK + 1);
	zone_device_page_init(page);
	unlock_page(page);
	devmem_kunit_frees = 0;
	t = kthread_run(put_later, page, "devmem_put_later");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, 1);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
}

/*
 * A call over two chunks whose second chunk fails after a delay, and a
 * call for the first chunk alone from another thread during that delay:
 * the second call must never return a chunk that the first takes back.
 */
struct overlap {
	struct dev_pagemap *pgmap;
	struct completion failing;	/* the first call is in its delay */
	struct completion done;
	int err;
	bool populated_at_return;
	bool populated_later;
	bool pgmap_ok;
};

static struct overlap *overlap_ctx;

static int populate_first_then_fail_slowly(unsigned long slot, unsigned long nr, int nid)
{
	struct kunit *test = kunit_get_current_test();
	int err;

	if (calls_before_failure-- <= 0) {
		complete(&overlap_ctx->failing);
		msleep(200);
		return -ENOMEM;
	}
	kunit_deactivate_static_stub(test, memdesc_table_populate);
	err = memdesc_table_populate(slot, nr, nid);
	kunit_activate_static_stub(test, memdesc_table_populate,
				   populate_first_then_fail_slowly);
	return err;
}

static int overlap_populate(void *arg)
{
	struct overlap *o = arg;
	struct page *page;

	wait_for_completion(&o->failing);
	o->err = devmem_populate(o->pgmap, 0, 1);
	o->populated_at_return = devmem_populated(o->pgmap, 0);
	/* After the first call has given up and unwound. */
	msleep(400);
	o->populated_later = devmem_populated(o->pgmap, 0);
	if (o->populated_later) {
		page = pgmap_offset_to_page(o->pgmap, 0);
		o->pgmap_ok = page->pgmap == o->pgmap && !page_ref_count(page);
	}
	complete(&o->done);
	return 0;
}

static void devmem_populate_overlap_failure(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct overlap o = { .pgmap = register_lazy(test, 2 * CHUNK) };
	struct task_struct *t;

	init_completion(&o.failing);
	init_completion(&o.done);
	overlap_ctx = &o;
	t = kthread_run(overlap_populate, &o, "devmem_overlap");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	/* Static stubs act in this thread only: the other call is real. */
	calls_before_failure = 1;
	kunit_activate_static_stub(test, memdesc_table_populate,
				   populate_first_then_fail_slowly);
	KUNIT_EXPECT_EQ(test, devmem_populate(o.pgmap, 0, 2 * CHUNK), -ENOMEM);
	kunit_deactivate_static_stub(test, memdesc_table_populate);
	wait_for_completion(&o.done);

	KUNIT_EXPECT_EQ(test, o.err, 0);
	KUNIT_EXPECT_TRUE(test, o.populated_at_return);
	KUNIT_EXPECT_TRUE(test, o.populated_later);
	KUNIT_EXPECT_TRUE(test, o.pgmap_ok);
	KUNIT_EXPECT_FALSE(test, devmem_populated(o.pgmap, CHUNK));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);
	KUNIT_EXPECT_EQ(test, devmem_unregister(o.pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static int put_page_fn(void *page)
{
	put_page(page);
	return 0;
}

/*
 * The driver's page_free runs (slowly) for the last page of a chunk:
 * until free_zone_device_folio() has returned, the chunk stays mapped.
 */
static void devmem_populate_depopulate_during_free(struct kunit *test)
{
	unsigned long before = memdesc_table_bytes();
	struct dev_pagemap *pgmap = register_lazy(test, CHUNK);
	DECLARE_COMPLETION_ONSTACK(freeing);
	struct task_struct *t;
	struct page *page;
	int i;

	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, CHUNK), 0);
	page = pgmap_offset_to_page(pgmap, 5);
	zone_device_page_init(page);
	unlock_page(page);

	devmem_kunit_frees = 0;
	devmem_kunit_freeing = &freeing;
	devmem_kunit_free_delay_ms = 300;
	t = kthread_run(put_page_fn, page, "devmem_free");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&freeing);
	/* page_free is running: its page is not free yet. */
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 0, CHUNK), -EBUSY);
	KUNIT_EXPECT_TRUE(test, devmem_populated(pgmap, 0));

	for (i = 0; i < 100 && devmem_depopulate(pgmap, 0, CHUNK) == -EBUSY; i++)
		msleep(20);
	devmem_kunit_free_delay_ms = 0;
	devmem_kunit_freeing = NULL;
	KUNIT_EXPECT_EQ(test, devmem_kunit_frees, 1);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
}

struct lockless_walker {
	struct completion inside, finished;
	bool done;
};

/* As hmm_range_fault() between pte_offset_map() and pte_unmap(). */
static int lockless_walker_fn(void *arg)
{
	struct lockless_walker *w = arg;

	rcu_read_lock();
	complete(&w->inside);
	mdelay(200);
	WRITE_ONCE(w->done, true);
	rcu_read_unlock();
	kthread_complete_and_exit(&w->finished, 0);
}

/*
 * A walker that read a device-private entry without the PTE lock may read
 * the descriptor it names after the page was freed: the chunk's
 * descriptors go only once every such walker is done.
 */
static void devmem_populate_depopulate_waits_for_walkers(struct kunit *test)
{
	struct dev_pagemap *pgmap = register_lazy(test, CHUNK);
	struct lockless_walker w = { .done = false };
	struct task_struct *t;
	bool walker_done;

	init_completion(&w.inside);
	init_completion(&w.finished);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, CHUNK), 0);
	t = kthread_run(lockless_walker_fn, &w, "devmem_walker");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&w.inside);
	KUNIT_EXPECT_EQ(test, devmem_depopulate(pgmap, 0, CHUNK), 0);
	walker_done = READ_ONCE(w.done);
	KUNIT_EXPECT_TRUE(test, walker_done);
	KUNIT_EXPECT_FALSE(test, devmem_populated(pgmap, 0));
	wait_for_completion(&w.finished);
	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
}

static struct kunit_case devmem_populate_test_cases[] = {
	KUNIT_CASE(devmem_populate_on_first_use),
	KUNIT_CASE(devmem_populate_release_on_chunk_free),
	KUNIT_CASE(devmem_populate_failure),
	KUNIT_CASE(devmem_populate_at_registration),
	KUNIT_CASE(devmem_populate_concurrent),
	KUNIT_CASE(devmem_populate_overlap_failure),
	KUNIT_CASE(devmem_populate_depopulate_during_free),
	KUNIT_CASE(devmem_populate_depopulate_waits_for_walkers),
	KUNIT_CASE(devmem_populate_unregister_any_state),
	{}
};

static struct kunit_suite devmem_populate_test_suite = {
	.name = "devmem_populate",
	.suite_init = devmem_kunit_suite_init,
	.test_cases = devmem_populate_test_cases,
};

kunit_test_suite(devmem_populate_test_suite);
