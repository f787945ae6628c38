// SPDX-License-Identifier: GPL-2.0
/*
 * oot_dmem: device-private memory for a pretend accelerator.
 *
 * The "device memory" is a vmalloc()ed buffer.  It is described to the
 * kernel as MEMORY_DEVICE_PRIVATE pages, so that anonymous memory of a
 * process can be migrated into it (OOT_DMEM_IOC_MIGRATE_TO_DEV) and comes
 * back to system memory when the CPU touches it, or all at once on
 * eviction (OOT_DMEM_IOC_EVICT, last close, module unload).
 *
 * Written against Linux 6.12.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "oot_dmem_uapi.h"

static unsigned int mem_mb = 64;
module_param(mem_mb, uint, 0444);
MODULE_PARM_DESC(mem_mb, "Size of the device memory in MiB (default 64)");

/* Pages handed to one migrate_vma_setup() call. */
#define OOT_DMEM_BATCH		64UL
#define OOT_DMEM_EVICT_TRIES	10

struct oot_dmem {
	struct miscdevice misc;
	struct dev_pagemap pgmap;
	void *vram;			/* backing store of the device memory */
	unsigned long npages;
	unsigned long base_pfn;		/* PFN of the first device page */

	spinlock_t lock;		/* protects free_list and nfree */
	struct page *free_list;		/* linked through zone_device_data */
	unsigned long nfree;

	atomic_t users;
	atomic_long_t to_dev;
	atomic_long_t to_ram;
	atomic_long_t evicted;
};

static struct oot_dmem *page_to_dmem(struct page *page)
{
	return container_of(page->pgmap, struct oot_dmem, pgmap);
}

/* Where the data of a device page lives in the backing store. */
static unsigned long oot_dmem_page_offset(struct oot_dmem *dmem,
					  struct page *page)
{
	return (page_to_pfn(page) - dmem->base_pfn) << PAGE_SHIFT;
}

static void *oot_dmem_vaddr(struct oot_dmem *dmem, struct page *page)
{
	return dmem->vram + oot_dmem_page_offset(dmem, page);
}

/* Takes a free device page; returns its PFN, or 0 if the device is full. */
static unsigned long oot_dmem_alloc_pfn(struct oot_dmem *dmem)
{
	struct page *page;

	spin_lock(&dmem->lock);
	page = dmem->free_list;
	if (page) {
		dmem->free_list = page->zone_device_data;
		dmem->nfree--;
	}
	spin_unlock(&dmem->lock);
	if (!page)
		return 0;

	zone_device_page_init(page);	/* refcount 1, locked */
	return page_to_pfn(page);
}

static void oot_dmem_page_free(struct page *page)
{
	struct oot_dmem *dmem = page_to_dmem(page);

	spin_lock(&dmem->lock);
	page->zone_device_data = dmem->free_list;
	dmem->free_list = page;
	dmem->nfree++;
	spin_unlock(&dmem->lock);
}

static unsigned long oot_dmem_used(struct oot_dmem *dmem)
{
	unsigned long used;

	spin_lock(&dmem->lock);
	used = dmem->npages - dmem->nfree;
	spin_unlock(&dmem->lock);
	return used;
}

/* CPU fault on a device page: bring that page back to system memory. */
static vm_fault_t oot_dmem_migrate_to_ram(struct vm_fault *vmf)
{
	struct oot_dmem *dmem = page_to_dmem(vmf->page);
	unsigned long src = 0, dst = 0;
	struct migrate_vma args = {
		.vma		= vmf->vma,
		.start		= vmf->address,
		.end		= vmf->address + PAGE_SIZE,
		.src		= &src,
		.dst		= &dst,
		.pgmap_owner	= dmem,
		.flags		= MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page	= vmf->page,
	};
	struct page *spage, *dpage;
	vm_fault_t ret = 0;

	if (migrate_vma_setup(&args))
		return VM_FAULT_SIGBUS;

	spage = migrate_pfn_to_page(src);
	if (spage && (src & MIGRATE_PFN_MIGRATE)) {
		dpage = alloc_page_vma(GFP_HIGHUSER_MOVABLE, vmf->vma,
				       vmf->address);
		if (!dpage) {
			ret = VM_FAULT_OOM;
			goto out;
		}
		lock_page(dpage);
		memcpy_to_page(dpage, 0, oot_dmem_vaddr(dmem, spage), PAGE_SIZE);
		dst = migrate_pfn(page_to_pfn(dpage));
		if (src & MIGRATE_PFN_WRITE)
			dst |= MIGRATE_PFN_WRITE;
		dev_dbg(dmem->misc.this_device, "fault at %#lx: device pfn %#lx\n",
			vmf->address, page_to_pfn(spage));
	}
	migrate_vma_pages(&args);
	if (src & MIGRATE_PFN_MIGRATE)
		atomic_long_inc(&dmem->to_ram);
out:
	migrate_vma_finalize(&args);
	return ret;
}

static const struct dev_pagemap_ops oot_dmem_pgmap_ops = {
	.page_free	= oot_dmem_page_free,
	.migrate_to_ram	= oot_dmem_migrate_to_ram,
};

static void oot_dmem_alloc_and_copy(struct oot_dmem *dmem,
				    struct migrate_vma *args)
{
	unsigned long i;

	for (i = 0; i < args->npages; i++) {
		struct page *spage = migrate_pfn_to_page(args->src[i]);
		unsigned long pfn;
		void *vaddr;

		args->dst[i] = 0;
		if (!(args->src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		pfn = oot_dmem_alloc_pfn(dmem);
		if (!pfn)
			continue;	/* device full: the page stays in RAM */

		vaddr = oot_dmem_vaddr(dmem, pfn_to_page(pfn));
		if (spage)
			memcpy_from_page(vaddr, spage, 0, PAGE_SIZE);
		else
			memset(vaddr, 0, PAGE_SIZE);
		args->dst[i] = migrate_pfn(pfn);
		if ((args->src[i] & MIGRATE_PFN_WRITE) ||
		    (!spage && (args->vma->vm_flags & VM_WRITE)))
			args->dst[i] |= MIGRATE_PFN_WRITE;
	}
}

static unsigned long oot_dmem_count_migrated(const unsigned long *src,
					     unsigned long npages)
{
	unsigned long i, n = 0;

	for (i = 0; i < npages; i++)
		if (src[i] & MIGRATE_PFN_MIGRATE)
			n++;
	return n;
}

static int oot_dmem_migrate_to_dev(struct oot_dmem *dmem,
				   struct oot_dmem_migrate *req)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = req->addr, end, addr, next;
	struct migrate_vma args = {};
	unsigned long *src, *dst;
	int ret = 0;

	if (!req->npages || req->npages > dmem->npages ||
	    !PAGE_ALIGNED(start))
		return -EINVAL;
	end = start + (req->npages << PAGE_SHIFT);
	if (end < start)
		return -EINVAL;

	src = kcalloc(OOT_DMEM_BATCH, sizeof(*src), GFP_KERNEL);
	dst = kcalloc(OOT_DMEM_BATCH, sizeof(*dst), GFP_KERNEL);
	if (!src || !dst) {
		ret = -ENOMEM;
		goto out_free;
	}

	req->migrated = 0;
	mmap_read_lock(mm);
	for (addr = start; addr < end; addr = next) {
		struct vm_area_struct *vma = vma_lookup(mm, addr);

		if (!vma) {
			ret = -EFAULT;
			break;
		}
		next = min3(end, vma->vm_end, addr + (OOT_DMEM_BATCH << PAGE_SHIFT));

		args.vma = vma;
		args.src = src;
		args.dst = dst;
		args.start = addr;
		args.end = next;
		args.pgmap_owner = dmem;
		args.flags = MIGRATE_VMA_SELECT_SYSTEM;
		ret = migrate_vma_setup(&args);
		if (ret)
			break;

		oot_dmem_alloc_and_copy(dmem, &args);
		migrate_vma_pages(&args);
		req->migrated += oot_dmem_count_migrated(src, args.npages);
		migrate_vma_finalize(&args);
	}
	mmap_read_unlock(mm);
	atomic_long_add(req->migrated, &dmem->to_dev);

out_free:
	kfree(dst);
	kfree(src);
	return ret;
}

/* Moves every page on the device back to system memory. */
static long oot_dmem_evict(struct oot_dmem *dmem)
{
	unsigned long npages = dmem->npages;
	unsigned long *src, *dst, i;
	long moved;
	int ret;

	src = kvcalloc(npages, sizeof(*src), GFP_KERNEL);
	dst = kvcalloc(npages, sizeof(*dst), GFP_KERNEL);
	if (!src || !dst) {
		moved = -ENOMEM;
		goto out;
	}

	ret = migrate_device_range(src, dmem->base_pfn, npages);
	if (ret) {
		moved = ret;
		goto out;
	}
	for (i = 0; i < npages; i++) {
		struct page *spage = migrate_pfn_to_page(src[i]);
		struct page *dpage;

		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);
		lock_page(dpage);
		memcpy_to_page(dpage, 0, oot_dmem_vaddr(dmem, spage), PAGE_SIZE);
		dst[i] = migrate_pfn(page_to_pfn(dpage));
		if (src[i] & MIGRATE_PFN_WRITE)
			dst[i] |= MIGRATE_PFN_WRITE;
	}
	migrate_device_pages(src, dst, npages);
	moved = oot_dmem_count_migrated(src, npages);
	migrate_device_finalize(src, dst, npages);
	atomic_long_add(moved, &dmem->evicted);
	dev_dbg(dmem->misc.this_device, "evicted %ld pages from pfn %#lx\n",
		moved, dmem->base_pfn);
out:
	kvfree(dst);
	kvfree(src);
	return moved;
}

static struct oot_dmem *file_to_dmem(struct file *file)
{
	return container_of(file->private_data, struct oot_dmem, misc);
}

static int oot_dmem_open(struct inode *inode, struct file *file)
{
	atomic_inc(&file_to_dmem(file)->users);
	return 0;
}

static int oot_dmem_release(struct inode *inode, struct file *file)
{
	struct oot_dmem *dmem = file_to_dmem(file);

	/* Nobody left to ask for the data: give it back to the processes. */
	if (atomic_dec_and_test(&dmem->users) && oot_dmem_used(dmem))
		oot_dmem_evict(dmem);
	return 0;
}

static long oot_dmem_ioctl_migrate(struct oot_dmem *dmem, void __user *uarg)
{
	struct oot_dmem_migrate req;
	int ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	ret = oot_dmem_migrate_to_dev(dmem, &req);
	if (ret)
		return ret;
	return copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : 0;
}

static long oot_dmem_ioctl_evict(struct oot_dmem *dmem, void __user *uarg)
{
	long moved = oot_dmem_evict(dmem);
	u64 val = moved;

	if (moved < 0)
		return moved;
	return copy_to_user(uarg, &val, sizeof(val)) ? -EFAULT : 0;
}

static long oot_dmem_ioctl_stats(struct oot_dmem *dmem, void __user *uarg)
{
	struct oot_dmem_stats st = {
		.total_pages	 = dmem->npages,
		.used_pages	 = oot_dmem_used(dmem),
		.migrated_to_dev = atomic_long_read(&dmem->to_dev),
		.migrated_to_ram = atomic_long_read(&dmem->to_ram),
		.evicted	 = atomic_long_read(&dmem->evicted),
	};

	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long oot_dmem_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct oot_dmem *dmem = file_to_dmem(file);
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case OOT_DMEM_IOC_MIGRATE_TO_DEV:
		return oot_dmem_ioctl_migrate(dmem, uarg);
	case OOT_DMEM_IOC_EVICT:
		return oot_dmem_ioctl_evict(dmem, uarg);
	case OOT_DMEM_IOC_STATS:
		return oot_dmem_ioctl_stats(dmem, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations oot_dmem_fops = {
	.owner		= THIS_MODULE,
	.open		= oot_dmem_open,
	.release	= oot_dmem_release,
	.unlocked_ioctl	= oot_dmem_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct oot_dmem oot_dmem_dev = {
	.misc = {
		.minor	= MISC_DYNAMIC_MINOR,
		.name	= "oot_dmem",
		.fops	= &oot_dmem_fops,
		.mode	= 0666,
	},
};

/* Registers the device memory; devm undoes it when the misc device goes. */
static int oot_dmem_add_memory(struct oot_dmem *dmem, struct device *dev)
{
	struct resource *res;
	unsigned long pfn;
	void *addr;

	res = devm_request_free_mem_region(dev, &iomem_resource,
					   dmem->npages << PAGE_SHIFT);
	if (IS_ERR(res))
		return PTR_ERR(res);

	dmem->pgmap.type = MEMORY_DEVICE_PRIVATE;
	dmem->pgmap.range.start = res->start;
	dmem->pgmap.range.end = res->end;
	dmem->pgmap.nr_range = 1;
	dmem->pgmap.ops = &oot_dmem_pgmap_ops;
	dmem->pgmap.owner = dmem;
	addr = devm_memremap_pages(dev, &dmem->pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	/*
	 * The region is rounded up to a memory section: only the first
	 * npages have backing store.
	 */
	dmem->base_pfn = PHYS_PFN(res->start);
	spin_lock(&dmem->lock);
	for (pfn = dmem->base_pfn; pfn < dmem->base_pfn + dmem->npages; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->zone_device_data = dmem->free_list;
		dmem->free_list = page;
		dmem->nfree++;
	}
	spin_unlock(&dmem->lock);

	dev_dbg(dev, "%lu pages of device memory at pfn %#lx\n",
		dmem->npages, dmem->base_pfn);
	return 0;
}

static int __init oot_dmem_init(void)
{
	struct oot_dmem *dmem = &oot_dmem_dev;
	int ret;

	if (!mem_mb)
		return -EINVAL;
	dmem->npages = ((unsigned long)mem_mb << 20) >> PAGE_SHIFT;
	spin_lock_init(&dmem->lock);
	dmem->vram = vmalloc(dmem->npages << PAGE_SHIFT);
	if (!dmem->vram)
		return -ENOMEM;

	ret = misc_register(&dmem->misc);
	if (ret)
		goto err_vfree;
	ret = oot_dmem_add_memory(dmem, dmem->misc.this_device);
	if (ret)
		goto err_deregister;
	pr_info("%u MiB of device memory\n", mem_mb);
	return 0;

err_deregister:
	misc_deregister(&dmem->misc);
err_vfree:
	vfree(dmem->vram);
	return ret;
}

static void __exit oot_dmem_exit(void)
{
	struct oot_dmem *dmem = &oot_dmem_dev;
	int tries;

	/*
	 * The devm teardown of the pagemap waits for every device page to
	 * be freed: move what processes still have here back to RAM first.
	 */
	for (tries = 0; oot_dmem_used(dmem) && tries < OOT_DMEM_EVICT_TRIES; tries++)
		oot_dmem_evict(dmem);
	WARN(oot_dmem_used(dmem), "%lu device pages still in use\n",
	     oot_dmem_used(dmem));

	misc_deregister(&dmem->misc);
	vfree(dmem->vram);
}

module_init(oot_dmem_init);
module_exit(oot_dmem_exit);

MODULE_DESCRIPTION("Device-private memory for a pretend accelerator");
MODULE_LICENSE("GPL");
