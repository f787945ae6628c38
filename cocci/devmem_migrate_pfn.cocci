// SPDX-License-Identifier: GPL-2.0-only
/// A migrate PFN built with migrate_pfn(page_to_pfn(P)) holds a fake PFN
/// for a device-private page, which has no PFN: the page is lost, or a RAM
/// page is found in its place.  migrate_pfn_from_page() holds the device
/// index (with MIGRATE_PFN_DEVICE) for device-private pages and the PFN for
/// all others, so the rewrite is exact for system and coherent pages too.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

// Not in the helper that does it right.
@depends on patch@
expression P;
expression F;
position p : script:python() { p[0].current_element != "migrate_pfn_from_page" };
@@
(
- migrate_pfn@p(page_to_pfn(P))
+ migrate_pfn_from_page(P)
|
- migrate_pfn@p(folio_pfn(F))
+ migrate_pfn_from_page(&F->page)
)

@r depends on !patch@
expression P;
position p : script:python() { p[0].current_element != "migrate_pfn_from_page" };
@@
(
* migrate_pfn@p(page_to_pfn(P))
|
* migrate_pfn@p(folio_pfn(P))
)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_migrate_pfn: in %s(): use migrate_pfn_from_page(): a device-private page has no PFN" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_migrate_pfn: in %s(): use migrate_pfn_from_page(): a device-private page has no PFN" % p[0].current_element)
