// SPDX-License-Identifier: GPL-2.0
/*
 * A libnuma stand-in for the mm migration selftest in the test guests:
 * the online nodes from sysfs, the CPUs from sched_getaffinity(), and
 * move_pages() as the system call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "numa.h"
#include "numaif.h"

#define NODE_BITS	64

static unsigned long online_nodes;
static struct bitmask all_nodes = { NODE_BITS, &online_nodes };
struct bitmask *numa_all_nodes_ptr = &all_nodes;

/* "0-1,3" from /sys/devices/system/node/online into online_nodes. */
static void __attribute__((constructor)) numa_read_online(void)
{
	FILE *f = fopen("/sys/devices/system/node/online", "r");
	int lo, hi, n;
	char sep;

	if (!f)
		return;
	while (fscanf(f, "%d", &lo) == 1) {
		hi = lo;
		sep = fgetc(f);
		if (sep == '-') {
			if (fscanf(f, "%d", &hi) != 1)
				break;
			sep = fgetc(f);
		}
		for (n = lo; n <= hi && n < NODE_BITS; n++)
			online_nodes |= 1UL << n;
		if (sep != ',')
			break;
	}
	fclose(f);
}

int numa_available(void)
{
	return online_nodes ? 0 : -1;
}

/* As libnuma: the highest node number a node mask can hold. */
int numa_max_possible_node(void)
{
	return NODE_BITS - 1;
}

int numa_num_task_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

int numa_bitmask_isbitset(const struct bitmask *bmp, unsigned int n)
{
	return n < bmp->size && (bmp->maskp[n / 64] >> (n % 64)) & 1;
}

long move_pages(int pid, unsigned long count, void **pages, const int *nodes,
		int *status, int flags)
{
	return syscall(__NR_move_pages, pid, count, pages, nodes, status, flags);
}
