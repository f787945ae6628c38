/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the devmem KUnit suites: a pagemap as a driver would set it up. */
#ifndef _MM_DEVMEM_KUNIT_H
#define _MM_DEVMEM_KUNIT_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/memremap.h>

/* Pages the driver got back through ops->page_free. */
extern int devmem_kunit_frees;
/* How long ops->page_free takes, to race a free against other calls. */
extern unsigned int devmem_kunit_free_delay_ms;
/* Completed as ops->page_free starts, if set. */
extern struct completion *devmem_kunit_freeing;

/* Large folios the driver got back through ops->pages_free, and their pages. */
extern int devmem_kunit_folio_frees;
extern long devmem_kunit_folio_free_pages;

/* Large folios split, as ops->folio_split saw them. */
extern int devmem_kunit_splits;
extern unsigned int devmem_kunit_split_order;
/* Completed, then delayed, from inside a split, to race it against other calls. */
extern struct completion *devmem_kunit_splitting;

extern const struct dev_pagemap_ops devmem_kunit_ops;
extern const struct dev_pagemap_ops devmem_kunit_page_only_ops;

struct dev_pagemap *devmem_kunit_pgmap(struct kunit *test);
int devmem_kunit_suite_init(struct kunit_suite *suite);

#endif /* _MM_DEVMEM_KUNIT_H */
