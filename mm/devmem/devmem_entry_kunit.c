// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for device indices in swap entries, migration entries,
 * migrate PFNs and HMM PFNs.
 */
#include <linux/devmem.h>
#include <linux/hmm.h>
#include <linux/mman.h>
#include <linux/migrate.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/swap.h>
#include <linux/swapops.h>

#include "devmem_kunit.h"

struct devmem_entry_ctx {
	struct dev_pagemap *pgmap;
	struct page *first;
};

static int devmem_entry_init(struct kunit *test)
{
	struct devmem_entry_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->pgmap = devmem_kunit_pgmap(test);
	ctx->first = devmem_register(ctx->pgmap, DEVMEM_CHUNK_PAGES, NUMA_NO_NODE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->first));
	KUNIT_ASSERT_EQ(test, devmem_populate(ctx->pgmap, 0, DEVMEM_CHUNK_PAGES), 0);
	test->priv = ctx;
	return 0;
}

static void devmem_entry_exit(struct kunit *test)
{
	struct devmem_entry_ctx *ctx = test->priv;

	if (ctx && !IS_ERR_OR_NULL(ctx->first))
		devmem_unregister(ctx->pgmap);
}

static struct page *last_page(struct kunit *test)
{
	struct devmem_entry_ctx *ctx = test->priv;

	return ctx->first + DEVMEM_CHUNK_PAGES - 1;
}

/* The entry as a page table holds it. */
static swp_entry_t through_pte(swp_entry_t entry)
{
	return pte_to_swp_entry(swp_entry_to_pte(entry));
}

static void devmem_entry_device_private(struct kunit *test)
{
	struct page *page = last_page(test);
	devmem_index_t index = devmem_page_to_index(page);
	swp_entry_t w = through_pte(make_writable_device_private_entry(index));
	swp_entry_t r = through_pte(make_readable_device_private_entry(index));

	KUNIT_EXPECT_TRUE(test, is_device_private_entry(w));
	KUNIT_EXPECT_TRUE(test, is_writable_device_private_entry(w));
	KUNIT_EXPECT_TRUE(test, is_device_private_entry(r));
	KUNIT_EXPECT_FALSE(test, is_writable_device_private_entry(r));
	KUNIT_EXPECT_FALSE(test, is_migration_entry(w));
	KUNIT_EXPECT_TRUE(test, is_pfn_swap_entry(w));
	KUNIT_EXPECT_TRUE(test, swp_entry_has_devmem_index(r));
	KUNIT_EXPECT_EQ(test, devmem_index_val(swp_offset_devmem_index(w)),
			devmem_index_val(index));
	KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_to_page(w), page);
	KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_folio(r), page_folio(page));

	/* fork and mprotect downgrade by rebuilding from the raw offset. */
	r = through_pte(make_readable_device_private_entry(swp_offset_devmem_index(w)));
	KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_to_page(r), page);
}

/* pfn_swap_entry_to_page() of a migration entry wants the folio locked. */
static struct page *migration_entry_page(struct kunit *test, swp_entry_t entry,
					 struct page *expect)
{
	struct folio *folio = page_folio(expect);
	struct page *page;

	KUNIT_ASSERT_TRUE(test, folio_trylock(folio));
	page = pfn_swap_entry_to_page(entry);
	folio_unlock(folio);
	return page;
}

static void devmem_entry_migration_kinds(struct kunit *test)
{
	struct page *page = last_page(test);
	swp_entry_t e[] = {
		through_pte(make_writable_migration_entry_from_page(page)),
		through_pte(make_readable_migration_entry_from_page(page)),
		through_pte(make_readable_exclusive_migration_entry_from_page(page)),
	};
	int i;

	KUNIT_EXPECT_TRUE(test, is_writable_migration_entry(e[0]));
	KUNIT_EXPECT_TRUE(test, is_readable_migration_entry(e[1]));
	KUNIT_EXPECT_TRUE(test, is_readable_exclusive_migration_entry(e[2]));
	for (i = 0; i < ARRAY_SIZE(e); i++) {
		KUNIT_EXPECT_TRUE(test, is_migration_entry(e[i]));
		KUNIT_EXPECT_TRUE(test, is_pfn_swap_entry(e[i]));
		KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(e[i]));
		KUNIT_EXPECT_FALSE(test, is_device_private_entry(e[i]));
		KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, e[i], page), page);
	}
}

/* fork (COW) and mprotect make writable migration entries read-only. */
static void devmem_entry_migration_downgrades(struct kunit *test)
{
	struct page *page = last_page(test);
	swp_entry_t w = through_pte(make_writable_migration_entry_from_page(page));
	swp_entry_t fork = through_pte(make_readable_migration_entry(swp_offset(w)));
	swp_entry_t mprot = through_pte(make_readable_exclusive_migration_entry(swp_offset(w)));
	swp_entry_t again = through_pte(make_readable_migration_entry(swp_offset(mprot)));

	KUNIT_EXPECT_TRUE(test, is_readable_migration_entry(fork));
	KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(fork));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, fork, page), page);
	KUNIT_EXPECT_TRUE(test, is_readable_exclusive_migration_entry(mprot));
	KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(mprot));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, mprot, page), page);
	KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(again));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, again, page), page);

	/* The A/D bits sit beside the device bit without disturbing it. */
	w = make_migration_entry_dirty(make_migration_entry_young(w));
	w = through_pte(w);
	KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(w));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, w, page), page);
}

/*
 * An index is never decoded as a PFN, nor a PFN as an index: a RAM page
 * whose PFN equals a device index keeps its own identity, and the other way
 * round.
 */
static void devmem_entry_index_is_no_pfn(struct kunit *test)
{
	struct page *ram = alloc_page(GFP_KERNEL);
	struct page *dev = last_page(test);
	swp_entry_t ram_entry, dev_entry;

	KUNIT_ASSERT_NOT_NULL(test, ram);
	ram_entry = through_pte(make_writable_migration_entry_from_page(ram));
	KUNIT_EXPECT_FALSE(test, is_device_private_migration_entry(ram_entry));
	KUNIT_EXPECT_FALSE(test, swp_entry_has_devmem_index(ram_entry));
	KUNIT_EXPECT_EQ(test, swp_offset_pfn(ram_entry), page_to_pfn(ram));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, ram_entry, ram), ram);

	/* Same number, other kind: the device page, never the RAM page. */
	dev_entry = through_pte(make_writable_device_private_entry(devmem_index(page_to_pfn(ram))));
	KUNIT_EXPECT_PTR_NE(test, pfn_swap_entry_to_page(dev_entry), ram);
	KUNIT_EXPECT_TRUE(test, devmem_page(pfn_swap_entry_to_page(dev_entry)));

	dev_entry = through_pte(make_writable_migration_entry_from_page(dev));
	KUNIT_EXPECT_NE(test, swp_offset(dev_entry) & SWP_PFN_MASK,
			swp_offset(dev_entry));
	KUNIT_EXPECT_PTR_NE(test, migration_entry_page(test, dev_entry, dev),
			    pfn_to_page(swp_offset(dev_entry) & SWP_PFN_MASK));
	__free_page(ram);
}

static void devmem_entry_migrate_pfn(struct kunit *test)
{
	struct page *dev = last_page(test);
	struct page *ram = alloc_page(GFP_KERNEL);
	unsigned long mpfn;

	KUNIT_ASSERT_NOT_NULL(test, ram);
	mpfn = migrate_pfn_from_page(dev) | MIGRATE_PFN_MIGRATE | MIGRATE_PFN_WRITE;
	KUNIT_EXPECT_TRUE(test, mpfn & MIGRATE_PFN_DEVICE);
	KUNIT_EXPECT_EQ(test, mpfn >> MIGRATE_PFN_SHIFT,
			devmem_index_val(devmem_page_to_index(dev)));
	KUNIT_EXPECT_PTR_EQ(test, migrate_pfn_to_page(mpfn), dev);

	mpfn = migrate_pfn_from_page(ram) | MIGRATE_PFN_MIGRATE;
	KUNIT_EXPECT_FALSE(test, mpfn & MIGRATE_PFN_DEVICE);
	/* A page with a PFN keeps 6.12's encoding. */
	KUNIT_EXPECT_EQ(test, mpfn >> MIGRATE_PFN_SHIFT, page_to_pfn(ram));
	KUNIT_EXPECT_EQ(test, mpfn & ((1UL << MIGRATE_PFN_SHIFT) - 1),
			MIGRATE_PFN_VALID | MIGRATE_PFN_MIGRATE);
	KUNIT_EXPECT_PTR_EQ(test, migrate_pfn_to_page(mpfn), ram);
	KUNIT_EXPECT_NULL(test, migrate_pfn_to_page(0));
	__free_page(ram);
}

static void devmem_entry_hmm_pfn(struct kunit *test)
{
	struct page *dev = last_page(test);
	unsigned long hmm_pfn;

	hmm_pfn = hmm_pfn_from_devmem_index(devmem_page_to_index(dev)) |
		  HMM_PFN_VALID | HMM_PFN_WRITE;
	KUNIT_EXPECT_PTR_EQ(test, hmm_pfn_to_page(hmm_pfn), dev);
	KUNIT_EXPECT_EQ(test, hmm_pfn_to_map_order(hmm_pfn), 0U);

	/* The largest order still fits beside the new flag. */
	hmm_pfn |= 0x1FUL << HMM_PFN_ORDER_SHIFT;
	KUNIT_EXPECT_EQ(test, hmm_pfn_to_map_order(hmm_pfn), 0x1FU);
	KUNIT_EXPECT_PTR_EQ(test, hmm_pfn_to_page(hmm_pfn), dev);
	KUNIT_EXPECT_TRUE(test, hmm_pfn & HMM_PFN_DEVICE_PRIVATE);
	KUNIT_EXPECT_TRUE(test, hmm_pfn & HMM_PFN_VALID);
	KUNIT_EXPECT_TRUE(test, hmm_pfn & HMM_PFN_WRITE);
	KUNIT_EXPECT_FALSE(test, hmm_pfn & HMM_PFN_ERROR);
}

/* The PTE of @addr in the test's mm, locked. */
static pte_t *test_pte_lock(struct mm_struct *mm, unsigned long addr,
			    spinlock_t **ptl)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_offset(pgd, addr);
	pud_t *pud = pud_offset(p4d, addr);
	pmd_t *pmd = pmd_offset(pud, addr);

	return pte_offset_map_lock(mm, pmd, addr, ptl);
}

static bool walk_matches(struct vm_area_struct *vma, unsigned long addr,
			 unsigned long pfn, unsigned int flags)
{
	struct page_vma_mapped_walk pvmw = {
		.pfn = pfn,
		.nr_pages = 1,
		.pgoff = linear_page_index(vma, addr),
		.vma = vma,
		.address = addr,
		.flags = flags,
	};

	if (!page_vma_mapped_walk(&pvmw))
		return false;
	page_vma_mapped_walk_done(&pvmw);
	return true;
}

static void set_test_pte(struct mm_struct *mm, unsigned long addr, pte_t pte)
{
	spinlock_t *ptl;	/* the page table lock of the test PTE */
	pte_t *ptep = test_pte_lock(mm, addr, &ptl);

	set_pte_at(mm, addr, ptep, pte);
	pte_unmap_unlock(ptep, ptl);
}

/*
 * page_vma_mapped_walk() compares like with like: a device-private walk
 * never matches a present PTE or an entry that holds a PFN, even when its
 * index equals that PFN, and a PFN walk never matches an entry that holds an
 * index.  The entries are written straight into the PTE of a private
 * mapping and the original PTE is put back before the mapping goes.
 */
static void devmem_entry_rmap_walk(struct kunit *test)
{
	struct page *dev = last_page(test);
	unsigned long index = devmem_index_val(devmem_page_to_index(dev));
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned long addr, pfn;
	spinlock_t *ptl;	/* the page table lock of the test PTE */
	pte_t *ptep, saved;
	struct page *ram;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	KUNIT_ASSERT_EQ(test, put_user((char)0x5a, (char __user *)addr), 0);
	mm = current->mm;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	ptep = test_pte_lock(mm, addr, &ptl);
	saved = ptep_get(ptep);
	pte_unmap_unlock(ptep, ptl);
	KUNIT_ASSERT_TRUE(test, pte_present(saved));
	ram = pte_page(saved);
	pfn = page_to_pfn(ram);

	/* A present PTE: found by PFN, never by an index of the same value. */
	KUNIT_EXPECT_TRUE(test, walk_matches(vma, addr, pfn, 0));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, pfn, PVMW_DEVICE_PRIVATE));

	/* A migration entry of the RAM page: likewise. */
	set_test_pte(mm, addr, swp_entry_to_pte(make_readable_migration_entry_from_page(ram)));
	KUNIT_EXPECT_TRUE(test, walk_matches(vma, addr, pfn, PVMW_MIGRATION));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, pfn,
					      PVMW_MIGRATION | PVMW_DEVICE_PRIVATE));

	/* A device-private entry: found by index, never by a PFN of that value. */
	set_test_pte(mm, addr,
		     swp_entry_to_pte(make_readable_device_private_entry(devmem_index(index))));
	KUNIT_EXPECT_TRUE(test, walk_matches(vma, addr, index, PVMW_DEVICE_PRIVATE));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, index, 0));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, index + 1, PVMW_DEVICE_PRIVATE));

	/* A migration entry of the device page: likewise. */
	set_test_pte(mm, addr, swp_entry_to_pte(make_writable_migration_entry_from_page(dev)));
	KUNIT_EXPECT_TRUE(test, walk_matches(vma, addr, index,
					     PVMW_MIGRATION | PVMW_DEVICE_PRIVATE));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, index, PVMW_MIGRATION));
	KUNIT_EXPECT_FALSE(test, walk_matches(vma, addr, index, 0));

	set_test_pte(mm, addr, saved);
	KUNIT_EXPECT_TRUE(test, walk_matches(vma, addr, pfn, 0));
	mmap_read_unlock(mm);
}

/* Every encoding names @page, at whatever index it sits. */
static void expect_encodings(struct kunit *test, struct page *page)
{
	devmem_index_t index = devmem_page_to_index(page);
	swp_entry_t entry = through_pte(make_writable_device_private_entry(index));
	unsigned long mpfn = migrate_pfn_from_page(page) | MIGRATE_PFN_MIGRATE;
	unsigned long hmm_pfn = hmm_pfn_from_devmem_index(index) | HMM_PFN_VALID;

	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_page(index), page);
	KUNIT_EXPECT_PTR_EQ(test, pfn_swap_entry_to_page(entry), page);
	KUNIT_EXPECT_EQ(test, devmem_index_val(swp_offset_devmem_index(entry)),
			devmem_index_val(index));
	entry = through_pte(make_readable_exclusive_migration_entry_from_page(page));
	KUNIT_EXPECT_TRUE(test, is_device_private_migration_entry(entry));
	KUNIT_EXPECT_PTR_EQ(test, migration_entry_page(test, entry, page), page);
	KUNIT_EXPECT_PTR_EQ(test, migrate_pfn_to_page(mpfn), page);
	KUNIT_EXPECT_PTR_EQ(test, hmm_pfn_to_page(hmm_pfn), page);
	KUNIT_EXPECT_PTR_EQ(test, devmem_index_to_pgmap(index), page->pgmap);
}

/* 4 TiB, and at least 2^30 pages, so that the last index needs 31 bits. */
#define MULTI_TIB_PAGES	MAX((4UL << 40) >> PAGE_SHIFT, 1UL << 30)

/*
 * The first and the last index of a registration of several TiB, as a
 * driver registering all of a large device's memory at probe gets them:
 * only their two chunks are populated, and every encoding reaches both.
 */
static void devmem_entry_multi_tib_first_last(struct kunit *test)
{
	struct dev_pagemap *pgmap = devmem_kunit_pgmap(test);
	unsigned long before = memdesc_table_bytes();
	unsigned long last_off = MULTI_TIB_PAGES - DEVMEM_CHUNK_PAGES;
	struct page *first, *last;

	if (devmem_index_limit() <= MULTI_TIB_PAGES)
		kunit_skip(test, "descriptor table of %lu GiB holds no %lu GiB registration",
			   (devmem_index_limit() << PAGE_SHIFT) >> 30,
			   (MULTI_TIB_PAGES << PAGE_SHIFT) >> 30);
	first = devmem_register(pgmap, MULTI_TIB_PAGES, NUMA_NO_NODE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(first), "devmem_register: %pe", first);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, 0, DEVMEM_CHUNK_PAGES), 0);
	KUNIT_ASSERT_EQ(test, devmem_populate(pgmap, last_off, DEVMEM_CHUNK_PAGES), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(),
			before + 2 * DEVMEM_CHUNK_PAGES * sizeof(struct page));

	last = pgmap_offset_to_page(pgmap, MULTI_TIB_PAGES - 1);
	KUNIT_EXPECT_PTR_EQ(test, pgmap_offset_to_page(pgmap, 0), first);
	KUNIT_EXPECT_EQ(test, pgmap_page_offset(last), MULTI_TIB_PAGES - 1);
	KUNIT_EXPECT_EQ(test, devmem_index_val(devmem_page_to_index(last)),
			devmem_index_val(pgmap->devmem.first) + MULTI_TIB_PAGES - 1);
	/* Past 30 bits of index: no truncation on the way. */
	KUNIT_EXPECT_GE(test, devmem_index_val(devmem_page_to_index(last)), 1UL << 30);
	KUNIT_EXPECT_TRUE(test, is_device_private_page(last));
	KUNIT_EXPECT_PTR_EQ(test, last->pgmap, pgmap);
	expect_encodings(test, first);
	expect_encodings(test, last);
	KUNIT_EXPECT_NULL(test,
			  devmem_index_to_pgmap(devmem_index_add(devmem_page_to_index(last), 1)));

	KUNIT_EXPECT_EQ(test, devmem_unregister(pgmap), 0);
	KUNIT_EXPECT_EQ(test, memdesc_table_bytes(), before);
}

static struct kunit_case devmem_entry_test_cases[] = {
	KUNIT_CASE(devmem_entry_device_private),
	KUNIT_CASE(devmem_entry_migration_kinds),
	KUNIT_CASE(devmem_entry_migration_downgrades),
	KUNIT_CASE(devmem_entry_index_is_no_pfn),
	KUNIT_CASE(devmem_entry_migrate_pfn),
	KUNIT_CASE(devmem_entry_hmm_pfn),
	KUNIT_CASE(devmem_entry_rmap_walk),
	KUNIT_CASE(devmem_entry_multi_tib_first_last),
	{}
};

static struct kunit_suite devmem_entry_test_suite = {
	.name = "devmem_entry",
	.suite_init = devmem_kunit_suite_init,
	.init = devmem_entry_init,
	.exit = devmem_entry_exit,
	.test_cases = devmem_entry_test_cases,
};

kunit_test_suite(devmem_entry_test_suite);
