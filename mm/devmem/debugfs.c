// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/devmem/registrations: the device-private registrations,
 * which /proc/iomem no longer shows since they take no physical range.  One
 * line each: the owner, the driver (its page_free callback), the size, the
 * device index range, the chunks populated and what their descriptors take.
 */
#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/devmem.h>
#include <linux/init.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "devmem.h"

/* Under the index lock (devmem_index_for_each()): must not sleep. */
static void devmem_registration_show(struct dev_pagemap *pgmap, devmem_index_t index,
				     void *arg)
{
	unsigned long first = devmem_index_val(index);
	unsigned long nr = READ_ONCE(pgmap->devmem.nr_pages);
	unsigned long chunks = DIV_ROUND_UP(nr, DEVMEM_CHUNK_PAGES);
	struct seq_file *m = arg;
	unsigned long populated;

	/* A figure to read, not to act on: populate may set bits meanwhile. */
	populated = data_race(bitmap_weight(pgmap->devmem.populated, chunks));
	seq_printf(m, "owner %p driver %ps pages %lu (%lu MiB) indices [%#lx, %#lx) chunks %lu/%lu descriptors %lu KiB node %d\n",
		   pgmap->owner, pgmap->ops ? pgmap->ops->page_free : NULL,
		   nr, nr >> (20 - PAGE_SHIFT), first, first + nr, populated, chunks,
		   populated * DEVMEM_CHUNK_PAGES * sizeof(struct page) >> 10,
		   pgmap->devmem.nid);
}

int devmem_registrations_show(struct seq_file *m, void *unused)
{
	devmem_index_for_each(devmem_registration_show, m);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(devmem_registrations_show);
DEFINE_SHOW_ATTRIBUTE(devmem_registrations);

static int __init devmem_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("devmem", NULL);

	debugfs_create_file("registrations", 0400, dir, NULL, &devmem_registrations_fops);
	return 0;
}
late_initcall(devmem_debugfs_init);
