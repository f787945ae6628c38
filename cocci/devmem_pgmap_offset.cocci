// SPDX-License-Identifier: GPL-2.0-only
/// Drivers compute a page's offset in its device memory from its PFN and
/// the start of the pagemap's physical range.  A device-private page has
/// neither: pgmap_page_offset() gives the page number in its pagemap, from
/// the device index for device-private pages and from the PFN for others,
/// so the rewrite is exact for both.  It assumes, as the code it rewrites
/// does, that R is the pagemap of P.
//
// Confidence: Moderate
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@depends on patch@
expression P;
expression R;
@@
(
- (page_to_pfn(P) << PAGE_SHIFT) - R.range.start
+ pgmap_page_offset(P) << PAGE_SHIFT
|
- (page_to_pfn(P) << PAGE_SHIFT) - R->range.start
+ pgmap_page_offset(P) << PAGE_SHIFT
|
- page_to_pfn(P) - (R.range.start >> PAGE_SHIFT)
+ pgmap_page_offset(P)
|
- page_to_pfn(P) - (R->range.start >> PAGE_SHIFT)
+ pgmap_page_offset(P)
)

@r depends on !patch@
expression P;
expression R;
position p;
@@
(
* (page_to_pfn@p(P) << PAGE_SHIFT) - R.range.start
|
* (page_to_pfn@p(P) << PAGE_SHIFT) - R->range.start
|
* page_to_pfn@p(P) - (R.range.start >> PAGE_SHIFT)
|
* page_to_pfn@p(P) - (R->range.start >> PAGE_SHIFT)
)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_pgmap_offset: in %s(): use pgmap_page_offset(): a device-private page has no PFN and its pagemap no range" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_pgmap_offset: in %s(): use pgmap_page_offset(): a device-private page has no PFN and its pagemap no range" % p[0].current_element)
