/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of libnuma's API that tools/testing/selftests/mm/migration.c
 * uses, so that the guests' static programs build for every architecture
 * without a cross libnuma (numa.c).
 */
#ifndef DEVMEM_GUEST_NUMA_H
#define DEVMEM_GUEST_NUMA_H

struct bitmask {
	unsigned long size;	/* bits */
	unsigned long *maskp;
};

extern struct bitmask *numa_all_nodes_ptr;

int numa_available(void);
int numa_max_possible_node(void);
int numa_num_task_cpus(void);
int numa_bitmask_isbitset(const struct bitmask *bmp, unsigned int n);

#endif
