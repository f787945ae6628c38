// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for mm/migrate_device.c: what migrate_vma_setup() does with
 * system memory it meets busy, a case no driver can provoke on purpose.
 * The test thread gets an mm of its own (kunit_vm_mmap()) and faults a
 * THP into it.
 */
#include <kunit/test.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

/*
 * A PMD-mapped THP at a PMD-aligned address of a fresh anonymous mapping,
 * returned with a reference (from GUP), or NULL if THP is not available.
 */
static struct folio *migrate_device_kunit_thp(struct kunit *test,
					      unsigned long *start)
{
	unsigned long addr;
	struct page *page;
	char byte = 1;
	long got;

	/* 512 MiB with 64K pages: more than a test guest has. */
	if (HPAGE_PMD_SIZE > SZ_32M)
		kunit_skip(test, "a THP is %lu MiB here", HPAGE_PMD_SIZE >> 20);
	addr = kunit_vm_mmap(test, NULL, 0, 2 * HPAGE_PMD_SIZE,
			     PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	/* vm_mmap() returns an errno as an address. */
	KUNIT_ASSERT_FALSE_MSG(test, !addr || IS_ERR_VALUE(addr), "vm_mmap: %ld", (long)addr);
	addr = ALIGN(addr, HPAGE_PMD_SIZE);
	KUNIT_ASSERT_EQ(test, do_madvise(current->mm, addr, HPAGE_PMD_SIZE,
					 MADV_HUGEPAGE), 0);
	KUNIT_ASSERT_EQ(test, copy_to_user((void __user *)addr, &byte, 1), 0);

	mmap_read_lock(current->mm);
	got = get_user_pages(addr, 1, 0, &page);
	mmap_read_unlock(current->mm);
	KUNIT_ASSERT_EQ(test, got, 1);
	if (!folio_test_pmd_mappable(page_folio(page))) {
		put_page(page);
		return NULL;
	}
	*start = addr;
	return page_folio(page);
}

/*
 * A migration of one page of a PMD-mapped THP that another task holds
 * locked: collection cannot split it and skips the range, and must leave
 * the folio's reference count as it found it.  A reference left behind
 * keeps the THP allocated (and charged) after its last unmap.
 */
static void migrate_device_busy_thp(struct kunit *test)
{
	unsigned long src[1] = {}, dst[1] = {}, start;
	struct migrate_vma args = {
		.src = src,
		.dst = dst,
		.flags = MIGRATE_VMA_SELECT_SYSTEM,
		.pgmap_owner = test,
	};
	struct folio *folio;
	int refs, ret;

	folio = migrate_device_kunit_thp(test, &start);
	if (!folio)
		kunit_skip(test, "no THP at a PMD-aligned address");
	/* Mapped by its PMD: the path under test, not the PTE one. */
	KUNIT_ASSERT_EQ(test, folio_entire_mapcount(folio), 1);
	folio_lock(folio);
	refs = folio_ref_count(folio);

	mmap_read_lock(current->mm);
	args.vma = vma_lookup(current->mm, start);
	args.start = start + PAGE_SIZE;
	args.end = start + 2 * PAGE_SIZE;
	ret = migrate_vma_setup(&args);
	if (!ret)
		migrate_vma_finalize(&args);
	mmap_read_unlock(current->mm);

	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, args.cpages, 0);
	KUNIT_EXPECT_EQ(test, src[0], 0);
	KUNIT_EXPECT_TRUE(test, folio_test_pmd_mappable(folio));
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), refs);
	folio_unlock(folio);
	folio_put(folio);
}

static struct kunit_case migrate_device_cases[] = {
	KUNIT_CASE(migrate_device_busy_thp),
	{}
};

static struct kunit_suite migrate_device_suite = {
	.name = "migrate_device",
	.test_cases = migrate_device_cases,
};

kunit_test_suite(migrate_device_suite);
