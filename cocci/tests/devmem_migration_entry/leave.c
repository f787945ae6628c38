/* Read-only downgrades keep the offset, device bit included. */
static swp_entry_t fork_downgrade(swp_entry_t entry)
{
	return make_readable_migration_entry(swp_offset(entry));
}

static swp_entry_t poison(struct page *page)
{
	return make_hwpoison_entry(page);
}
