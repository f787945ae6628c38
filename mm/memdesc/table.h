/* SPDX-License-Identifier: GPL-2.0 */
/* The descriptor table's internals, for its KUnit suite. */
#ifndef _MM_MEMDESC_TABLE_H
#define _MM_MEMDESC_TABLE_H

#include <kunit/visibility.h>

#if IS_ENABLED(CONFIG_KUNIT)
int memdesc_table_map_chunk(unsigned long slot, int nid);
#endif

#endif /* _MM_MEMDESC_TABLE_H */
