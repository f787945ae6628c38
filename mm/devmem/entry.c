// SPDX-License-Identifier: GPL-2.0
/*
 * Device indices in page table entries.
 *
 * A device-private swap entry holds the index in its offset; a migration
 * entry of a device-private folio holds it with SWP_MIG_DEVICE, a bit above
 * every PFN and above the A/D bits (include/linux/swapops.h).  Whether the
 * architecture's swap PTE format keeps that bit is checked here, once per
 * registration, rather than assumed.
 */
#define pr_fmt(fmt) "devmem: " fmt

#include <kunit/visibility.h>
#include <linux/devmem.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>

/*
 * swp_entry() masks the offset: compare what comes out of the PTE with the
 * type and offset that went in, not with the masked entry, so that an
 * offset bit lost on the way in is caught too.
 */
static bool swp_entry_survives_pte(swp_entry_t entry, unsigned int type,
				   pgoff_t offset)
{
	pte_t pte = swp_entry_to_pte(entry);
	swp_entry_t back;

	if (!is_swap_pte(pte))
		return false;
	back = pte_to_swp_entry(pte);
	return swp_type(back) == type && swp_offset(back) == offset;
}

/**
 * devmem_swap_encoding_ok() - whether PTEs can carry every device index
 *
 * Checks that an index with every bit set that an index below
 * devmem_index_limit() may have survives the trip into a PTE and back, in
 * a device-private entry and in each kind of migration entry.  The limit
 * depends on the page size and the architecture (table size, swap offset
 * bits), so this runs for the kernel at hand rather than being assumed.
 *
 * Return: true if device-private memory can be registered.
 */
bool devmem_swap_encoding_ok(void)
{
	unsigned long limit = devmem_index_limit();
	devmem_index_t last;
	pgoff_t offset;

	if (limit <= DEVMEM_CHUNK_PAGES)
		return false;
	/* limit - 1 need not have all its low bits set: test them all. */
	last = devmem_index(GENMASK(fls_long(limit - 1) - 1, 0));
	offset = devmem_index_val(last) | SWP_MIG_DEVICE;
	if (swp_entry_survives_pte(make_writable_device_private_entry(last),
				   SWP_DEVICE_WRITE, devmem_index_val(last)) &&
	    swp_entry_survives_pte(make_readable_device_private_entry(last),
				   SWP_DEVICE_READ, devmem_index_val(last)) &&
	    swp_entry_survives_pte(make_writable_migration_entry(offset),
				   SWP_MIGRATION_WRITE, offset) &&
	    swp_entry_survives_pte(make_readable_migration_entry(offset),
				   SWP_MIGRATION_READ, offset) &&
	    swp_entry_survives_pte(make_readable_exclusive_migration_entry(offset),
				   SWP_MIGRATION_READ_EXCLUSIVE, offset))
		return true;
	pr_warn_once("this architecture's swap PTEs cannot hold device index %#lx with SWP_MIG_DEVICE: device-private memory is unavailable\n",
		     devmem_index_val(last));
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(devmem_swap_encoding_ok);
