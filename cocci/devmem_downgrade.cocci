// SPDX-License-Identifier: GPL-2.0-only
/// fork and mprotect make a writable device-private entry read-only by
/// rebuilding it from swp_offset() under the read type.  The offset of a
/// device-private entry is a device index, and the entry makers take a
/// devmem_index_t: pass swp_offset_devmem_index(), which says so (and which
/// sparse checks).  Read-only downgrades of migration entries need no
/// change: SWP_MIG_DEVICE is part of the offset they copy.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm

virtual patch
virtual context
virtual org
virtual report

@depends on patch@
expression E;
@@
(
  make_readable_device_private_entry(
- swp_offset(E)
+ swp_offset_devmem_index(E)
  )
|
  make_writable_device_private_entry(
- swp_offset(E)
+ swp_offset_devmem_index(E)
  )
)

@r depends on !patch@
expression E;
position p;
@@
(
* make_readable_device_private_entry@p(swp_offset(E))
|
* make_writable_device_private_entry@p(swp_offset(E))
)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_downgrade: in %s(): pass swp_offset_devmem_index(): a device-private entry holds a device index" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_downgrade: in %s(): pass swp_offset_devmem_index(): a device-private entry holds a device index" % p[0].current_element)
