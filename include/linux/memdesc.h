/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The descriptor table: struct pages that have no PFN.
 *
 * Memory that is never mapped by the CPU (device-private memory) still needs
 * struct pages, because 6.12 core mm keeps its refcount, rmap, lock and memcg
 * state there.  Those descriptors live in one array in a sparse vmalloc area,
 * reserved when the first user needs it (memdesc_table_reserve()).  A slot
 * number is the only way to name a descriptor: slot -> descriptor and
 * descriptor -> slot are one add and one subtract against a global base that
 * is written once, with no lock and no tree.  Backing memory is mapped one
 * chunk (the descriptors of a PMD-sized extent) at a time by the owner of
 * the slots.
 */
#ifndef _LINUX_MEMDESC_H
#define _LINUX_MEMDESC_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/mm_types.h>

/*
 * Slots are handed out, populated and released in chunks: the descriptors of
 * 2 MiB of memory (a PMD with 4K pages), or more where that many descriptors
 * would not fill whole table pages.  A compile-time constant on every
 * architecture, unlike PMD_SHIFT.
 */
#define MEMDESC_CHUNK_ORDER	MAX(21 - PAGE_SHIFT, \
				    PAGE_SHIFT - __builtin_ctzl(sizeof(struct page)))
#define MEMDESC_CHUNK_SLOTS	BIT(MEMDESC_CHUNK_ORDER)

#ifdef CONFIG_MEMDESC_TABLE
/*
 * Written once, by memdesc_table_reserve(): NULL and 0 until then.  Anyone
 * holding a descriptor of the table got it after the reservation (through
 * an entry or a driver, ordered by their locks), so a plain READ_ONCE()
 * sees both; a reader racing the reservation holds no descriptor of the
 * table and gets "not in the table" from either value.
 */
extern struct page *memdesc_table;
extern unsigned long memdesc_table_slots;

/* A descriptor of the table, whether or not its chunk is populated. */
static inline bool memdesc_table_contains(const struct page *page)
{
	return (unsigned long)page - (unsigned long)READ_ONCE(memdesc_table) <
	       READ_ONCE(memdesc_table_slots) * sizeof(struct page);
}

static inline struct page *memdesc_slot_to_page(unsigned long slot)
{
	return READ_ONCE(memdesc_table) + slot;
}

static inline unsigned long memdesc_page_to_slot(const struct page *page)
{
	return page - READ_ONCE(memdesc_table);
}

int memdesc_table_reserve(void);
int memdesc_table_populate(unsigned long slot, unsigned long nr, int nid);
void memdesc_table_depopulate(unsigned long slot, unsigned long nr);
bool memdesc_table_populated(unsigned long slot);
unsigned long memdesc_table_bytes(void);
#else
static inline bool memdesc_table_contains(const struct page *page)
{
	return false;
}
#endif /* CONFIG_MEMDESC_TABLE */

#endif /* _LINUX_MEMDESC_H */
