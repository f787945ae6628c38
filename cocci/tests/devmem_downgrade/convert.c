/* fork: a writable device-private entry becomes read-only in both. */
static swp_entry_t cow(swp_entry_t entry)
{
	if (is_writable_device_private_entry(entry))
		entry = make_readable_device_private_entry(swp_offset(entry));
	return entry;
}
