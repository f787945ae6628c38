/* Migration and device-exclusive entries keep their offset as it is. */
static swp_entry_t mprotect_downgrade(swp_entry_t entry)
{
	if (is_writable_migration_entry(entry))
		return make_readable_migration_entry(swp_offset(entry));
	if (is_writable_device_exclusive_entry(entry))
		return make_readable_device_exclusive_entry(swp_offset(entry));
	return entry;
}
