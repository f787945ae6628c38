/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MM_DEVMEM_DEVMEM_H
#define _MM_DEVMEM_DEVMEM_H

#include <linux/devmem.h>

int devmem_index_alloc(struct dev_pagemap *pgmap, unsigned long nr_pages,
		       devmem_index_t *first);
void devmem_index_free(devmem_index_t first);
void devmem_wait_lockless_walkers(void);
void devmem_index_for_each(void (*fn)(struct dev_pagemap *pgmap, devmem_index_t first, void *arg),
			   void *arg);

void devmem_page_reset(struct page *page, struct dev_pagemap *pgmap,
		       const struct page *head);

struct seq_file;
int devmem_registrations_show(struct seq_file *m, void *unused);

#endif /* _MM_DEVMEM_DEVMEM_H */
