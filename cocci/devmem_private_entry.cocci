// SPDX-License-Identifier: GPL-2.0-only
/// A device-private swap entry names its page by device index, not by PFN:
/// make_{readable,writable}_device_private_entry(page_to_pfn(P)) stores a
/// fake PFN that pfn_swap_entry_to_page() would decode as an index.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@depends on patch@
expression P;
@@
(
  make_readable_device_private_entry(
- page_to_pfn(P)
+ devmem_page_to_index(P)
  )
|
  make_writable_device_private_entry(
- page_to_pfn(P)
+ devmem_page_to_index(P)
  )
)

@r depends on !patch@
expression P;
position p;
@@
(
* make_readable_device_private_entry@p(page_to_pfn(P))
|
* make_writable_device_private_entry@p(page_to_pfn(P))
)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_private_entry: in %s(): pass devmem_page_to_index(): device-private entries hold a device index" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_private_entry: in %s(): pass devmem_page_to_index(): device-private entries hold a device index" % p[0].current_element)
