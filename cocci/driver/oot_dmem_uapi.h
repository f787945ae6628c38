/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * oot_dmem: user-space interface of the out-of-tree device-memory driver.
 *
 * /dev/oot_dmem moves anonymous memory of the calling process to the
 * device and back.  Pages on the device come back to system memory when
 * the CPU touches them, or all at once with OOT_DMEM_IOC_EVICT.
 */
#ifndef _UAPI_OOT_DMEM_H
#define _UAPI_OOT_DMEM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct oot_dmem_migrate - OOT_DMEM_IOC_MIGRATE_TO_DEV argument
 * @addr: start of the range, page aligned (in)
 * @npages: number of pages (in)
 * @migrated: pages of the range that are now in device memory (out)
 */
struct oot_dmem_migrate {
	__u64 addr;
	__u64 npages;
	__u64 migrated;
};

/**
 * struct oot_dmem_stats - OOT_DMEM_IOC_STATS argument
 * @total_pages: size of the device memory, in pages
 * @used_pages: pages of device memory holding process data
 * @migrated_to_dev: pages moved to the device since load
 * @migrated_to_ram: pages moved back on CPU faults since load
 * @evicted: pages moved back by eviction since load
 */
struct oot_dmem_stats {
	__u64 total_pages;
	__u64 used_pages;
	__u64 migrated_to_dev;
	__u64 migrated_to_ram;
	__u64 evicted;
};

#define OOT_DMEM_IOC_MAGIC		'D'
#define OOT_DMEM_IOC_MIGRATE_TO_DEV	_IOWR(OOT_DMEM_IOC_MAGIC, 0x40, struct oot_dmem_migrate)
/* Moves every page on the device back; writes the number moved. */
#define OOT_DMEM_IOC_EVICT		_IOR(OOT_DMEM_IOC_MAGIC, 0x41, __u64)
#define OOT_DMEM_IOC_STATS		_IOR(OOT_DMEM_IOC_MAGIC, 0x42, struct oot_dmem_stats)

#endif /* _UAPI_OOT_DMEM_H */
