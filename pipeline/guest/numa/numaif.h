/* SPDX-License-Identifier: GPL-2.0 */
/* move_pages(2) and its flags, as libnuma's numaif.h has them (numa.c). */
#ifndef DEVMEM_GUEST_NUMAIF_H
#define DEVMEM_GUEST_NUMAIF_H

#define MPOL_MF_MOVE		(1 << 1)
#define MPOL_MF_MOVE_ALL	(1 << 2)

long move_pages(int pid, unsigned long count, void **pages, const int *nodes,
		int *status, int flags);

#endif
