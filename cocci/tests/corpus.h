/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the corpus cases (cocci/tests/<rule>/<case>.c) take from the drivers they
 * were cut from, so that each case, and what the rule makes of it, compiles
 * as a kernel object (pipeline/tests/drivers.sh): the inputs a rule changes
 * or reports against the stock headers, every expected result against the
 * patched ones.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/hmm.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/range.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swapops.h>
#include <linux/topology.h>
#include <asm/cacheflush.h>
#if __has_include(<linux/devmem.h>)
#include <linux/devmem.h>
#endif

#define CHUNK_SIZE	SZ_2M

struct bo;

struct chunk {
	struct dev_pagemap pagemap;
	struct bo *bo;
};

struct adev {
	struct device *dev;
	struct dev_pagemap pgmap;
	unsigned long aper_base;
	unsigned long size;
};

struct drm;

extern const struct dev_pagemap_ops drv_pagemap_ops;
extern struct dev_pagemap uvmem_pgmap;
extern unsigned long uvmem_first_pfn;

int bo_new(struct drm *drm, unsigned long size, struct bo **bo);
void bo_free(struct bo *bo);
void put_free(struct page *page);
void set_entry(swp_entry_t entry);
