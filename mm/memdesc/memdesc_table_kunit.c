// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the descriptor table (include/linux/memdesc.h).
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/memdesc.h>
#include <linux/mm.h>

#include "table.h"

#define CHUNK_BYTES	(MEMDESC_CHUNK_SLOTS * sizeof(struct page))

static void memdesc_table_reserved(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, memdesc_table);
	KUNIT_EXPECT_GE(test, memdesc_table_slots, 2 * MEMDESC_CHUNK_SLOTS);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(memdesc_table_slots, MEMDESC_CHUNK_SLOTS));
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(memdesc_table));
}

static void memdesc_table_slot_round_trip(struct kunit *test)
{
	unsigned long last = memdesc_table_slots - 1;
	unsigned long slots[] = { 0, 1, MEMDESC_CHUNK_SLOTS - 1, MEMDESC_CHUNK_SLOTS,
				  last / 2, last - 1, last };
	int i;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		struct page *page = memdesc_slot_to_page(slots[i]);

		KUNIT_EXPECT_EQ(test, memdesc_page_to_slot(page), slots[i]);
		KUNIT_EXPECT_TRUE(test, memdesc_table_contains(page));
	}
}

static void memdesc_table_contains_bounds(struct kunit *test)
{
	struct page *first = memdesc_slot_to_page(0);
	struct page *last = memdesc_slot_to_page(memdesc_table_slots - 1);
	struct page *ram = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ram);
	KUNIT_EXPECT_TRUE(test, memdesc_table_contains(first));
	KUNIT_EXPECT_TRUE(test, memdesc_table_contains(last));
	KUNIT_EXPECT_FALSE(test, memdesc_table_contains(first - 1));
	KUNIT_EXPECT_FALSE(test, memdesc_table_contains(last + 1));
	/* A vmemmap page is never in the table. */
	KUNIT_EXPECT_FALSE(test, memdesc_table_contains(ram));
	__free_page(ram);
}

/* The last chunk of the table: registrations are allocated from the bottom. */
static unsigned long test_chunk(struct kunit *test)
{
	unsigned long slot = memdesc_table_slots - MEMDESC_CHUNK_SLOTS;

	if (memdesc_table_populated(slot))
		kunit_skip(test, "last chunk of the table is in use");
	return slot;
}

static void memdesc_table_populate_release(struct kunit *test)
{
	unsigned long slot = test_chunk(test);
	unsigned long before = memdesc_table_bytes();
	struct page *page;
	unsigned long i;

	KUNIT_ASSERT_EQ(test, memdesc_table_populate(slot, MEMDESC_CHUNK_SLOTS,
						     NUMA_NO_NODE), 0);
	KUNIT_EXPECT_TRUE(test, memdesc_table_populated(slot));
	KUNIT_EXPECT_TRUE(test, memdesc_table_populated(slot + MEMDESC_CHUNK_SLOTS - 1));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);

	/* Zeroed and writable from the first to the last descriptor. */
	for (i = 0; i < MEMDESC_CHUNK_SLOTS; i++) {
		page = memdesc_slot_to_page(slot + i);
		KUNIT_EXPECT_EQ(test, page->flags, 0UL);
		page->flags = i;
	}
	KUNIT_EXPECT_EQ(test, memdesc_slot_to_page(slot + 7)->flags, 7UL);

	/* Populating again keeps what is there. */
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(slot, MEMDESC_CHUNK_SLOTS,
						     NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, memdesc_slot_to_page(slot + 7)->flags, 7UL);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);

	memdesc_table_depopulate(slot, MEMDESC_CHUNK_SLOTS);
	KUNIT_EXPECT_FALSE(test, memdesc_table_populated(slot));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static void memdesc_table_bad_ranges(struct kunit *test)
{
	unsigned long slot = test_chunk(test);
	unsigned long before = memdesc_table_bytes();

	KUNIT_EXPECT_EQ(test, memdesc_table_populate(slot, 0, NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(slot + 1, MEMDESC_CHUNK_SLOTS,
						     NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(slot, MEMDESC_CHUNK_SLOTS - 1,
						     NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(slot, 2 * MEMDESC_CHUNK_SLOTS,
						     NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(memdesc_table_slots,
						     MEMDESC_CHUNK_SLOTS, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, memdesc_table_populate(ULONG_MAX & ~(MEMDESC_CHUNK_SLOTS - 1),
						     MEMDESC_CHUNK_SLOTS, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, memdesc_table_populated(memdesc_table_slots));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static int memdesc_table_kunit_init(struct kunit_suite *suite)
{
	return memdesc_table_reserve();
}

static int map_calls_before_failure;

/* memdesc_table_map_chunk() that runs out of memory after some calls. */
static int map_chunk_then_fail(unsigned long slot, int nid)
{
	struct kunit *test = kunit_get_current_test();
	int err;

	if (map_calls_before_failure-- <= 0)
		return -ENOMEM;
	kunit_deactivate_static_stub(test, memdesc_table_map_chunk);
	err = memdesc_table_map_chunk(slot, nid);
	kunit_activate_static_stub(test, memdesc_table_map_chunk, map_chunk_then_fail);
	return err;
}

/*
 * Three chunks at the top of the table, the middle one populated before:
 * the first maps, the middle is skipped, the third fails.  Only the first
 * is unmapped again; the middle one keeps its contents.
 */
static void memdesc_table_populate_partial_failure(struct kunit *test)
{
	unsigned long slot = memdesc_table_slots - 3 * MEMDESC_CHUNK_SLOTS;
	unsigned long mid = slot + MEMDESC_CHUNK_SLOTS;
	unsigned long before = memdesc_table_bytes();
	int err;

	if (memdesc_table_populated(slot) || memdesc_table_populated(mid) ||
	    memdesc_table_populated(mid + MEMDESC_CHUNK_SLOTS))
		kunit_skip(test, "top of the table is in use");
	KUNIT_ASSERT_EQ(test, memdesc_table_populate(mid, MEMDESC_CHUNK_SLOTS,
						     NUMA_NO_NODE), 0);
	memdesc_slot_to_page(mid + 3)->flags = 3;

	map_calls_before_failure = 1;
	kunit_activate_static_stub(test, memdesc_table_map_chunk, map_chunk_then_fail);
	err = memdesc_table_populate(slot, 3 * MEMDESC_CHUNK_SLOTS, NUMA_NO_NODE);
	kunit_deactivate_static_stub(test, memdesc_table_map_chunk);
	KUNIT_EXPECT_EQ(test, err, -ENOMEM);

	KUNIT_EXPECT_FALSE(test, memdesc_table_populated(slot));
	KUNIT_EXPECT_TRUE(test, memdesc_table_populated(mid));
	KUNIT_EXPECT_FALSE(test, memdesc_table_populated(mid + MEMDESC_CHUNK_SLOTS));
	if (memdesc_table_populated(mid))
		KUNIT_EXPECT_EQ(test, memdesc_slot_to_page(mid + 3)->flags, 3UL);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before + CHUNK_BYTES);

	memdesc_table_depopulate(slot, 3 * MEMDESC_CHUNK_SLOTS);
	KUNIT_EXPECT_FALSE(test, memdesc_table_populated(mid));
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static struct kunit_case memdesc_table_test_cases[] = {
	KUNIT_CASE(memdesc_table_reserved),
	KUNIT_CASE(memdesc_table_slot_round_trip),
	KUNIT_CASE(memdesc_table_contains_bounds),
	KUNIT_CASE(memdesc_table_populate_release),
	KUNIT_CASE(memdesc_table_bad_ranges),
	KUNIT_CASE(memdesc_table_populate_partial_failure),
	{}
};

static struct kunit_suite memdesc_table_test_suite = {
	.name = "memdesc_table",
	.suite_init = memdesc_table_kunit_init,
	.test_cases = memdesc_table_test_cases,
};

kunit_test_suite(memdesc_table_test_suite);

MODULE_DESCRIPTION("KUnit tests for the descriptor table");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
