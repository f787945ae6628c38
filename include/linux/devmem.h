/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device-private memory without PFNs.
 *
 * A device-private page is named by a device index: its slot in the
 * descriptor table (include/linux/memdesc.h).  Device-private swap entries,
 * their migration entries, migrate PFNs and HMM PFNs carry a devmem_index_t
 * where 6.12 put a fake PFN.  The type is __bitwise so that sparse flags any
 * place that passes a PFN where an index is expected, or the reverse.
 *
 * See Documentation/mm/devmem.rst.
 */
#ifndef _LINUX_DEVMEM_H
#define _LINUX_DEVMEM_H

#include <linux/memdesc.h>
#include <linux/mmdebug.h>
#include <linux/types.h>

struct dev_pagemap;
struct device;

typedef unsigned long __bitwise devmem_index_t;

/* Pages registered, populated and released together. */
#define DEVMEM_CHUNK_PAGES	MEMDESC_CHUNK_SLOTS

static inline devmem_index_t devmem_index(unsigned long val)
{
	return (__force devmem_index_t)val;
}

static inline unsigned long devmem_index_val(devmem_index_t index)
{
	return (__force unsigned long)index;
}

static inline devmem_index_t devmem_index_add(devmem_index_t index, unsigned long n)
{
	return devmem_index(devmem_index_val(index) + n);
}

#ifdef CONFIG_DEVMEM_INDEX
/*
 * True for a descriptor of the table.  Decides on the address alone, so it
 * is safe on any page pointer and costs no load of the page.
 */
static inline bool devmem_page(const struct page *page)
{
	return memdesc_table_contains(page);
}

/*
 * The entry -> descriptor step of the fault path: one load of the table
 * base, one add.  @index must come from a live entry of a registered range.
 */
static inline struct page *devmem_index_to_page(devmem_index_t index)
{
	VM_WARN_ON_ONCE(devmem_index_val(index) >= memdesc_table_slots);
	return memdesc_slot_to_page(devmem_index_val(index));
}

static inline devmem_index_t devmem_page_to_index(const struct page *page)
{
	VM_WARN_ON_ONCE(!devmem_page(page));
	return devmem_index(memdesc_page_to_slot(page));
}

struct page *devmem_register(struct dev_pagemap *pgmap, unsigned long nr_pages,
			     int nid);
struct page *devmem_register_populated(struct dev_pagemap *pgmap, unsigned long nr_pages,
				       int nid);
int devmem_unregister(struct dev_pagemap *pgmap);
devmem_index_t devmem_first_index(const struct dev_pagemap *pgmap);
unsigned long devmem_nr_pages(const struct dev_pagemap *pgmap);
struct page *devm_devmem_register(struct device *dev, struct dev_pagemap *pgmap,
				  unsigned long nr_pages);
struct page *devm_devmem_register_populated(struct device *dev, struct dev_pagemap *pgmap,
					    unsigned long nr_pages);
void devm_devmem_unregister(struct device *dev, struct dev_pagemap *pgmap);
int devmem_populate(struct dev_pagemap *pgmap, unsigned long offset,
		    unsigned long nr_pages);
int devmem_depopulate(struct dev_pagemap *pgmap, unsigned long offset,
		      unsigned long nr_pages);
bool devmem_populated(struct dev_pagemap *pgmap, unsigned long offset);
void devmem_pages_handed_out(struct dev_pagemap *pgmap, unsigned long offset,
			     unsigned long nr);
void devmem_pages_returned(struct dev_pagemap *pgmap, unsigned long offset,
			   unsigned long nr);
struct dev_pagemap *devmem_index_to_pgmap(devmem_index_t index);
unsigned long devmem_index_limit(void);
bool devmem_swap_encoding_ok(void);
int devmem_split_folio(struct folio *folio, struct page *extra_page);
#else
static inline bool devmem_page(const struct page *page)
{
	return false;
}

static inline struct page *devmem_index_to_page(devmem_index_t index)
{
	return NULL;
}

static inline devmem_index_t devmem_page_to_index(const struct page *page)
{
	return devmem_index(0);
}
#endif /* CONFIG_DEVMEM_INDEX */

#endif /* _LINUX_DEVMEM_H */
