// SPDX-License-Identifier: GPL-2.0-only
/// A migration entry made from page_to_pfn(P) or folio_pfn(F) holds a fake
/// PFN when the page is device-private.  The _from_page() makers hold the
/// device index with SWP_MIG_DEVICE for device-private pages and the PFN
/// for all others.  The form that takes the PFN first,
///   unsigned long pfn = folio_pfn(F); ... make_*_migration_entry(pfn)
/// is reported in every mode but rewritten by hand (rmap.c has one).
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
- make_readable_migration_entry(page_to_pfn(P))
+ make_readable_migration_entry_from_page(P)
|
- make_readable_exclusive_migration_entry(page_to_pfn(P))
+ make_readable_exclusive_migration_entry_from_page(P)
|
- make_writable_migration_entry(page_to_pfn(P))
+ make_writable_migration_entry_from_page(P)
)

@pfnfirst_folio depends on patch exists@
identifier pfn;
expression F;
@@
  unsigned long pfn = folio_pfn(F);
  <...
(
- make_readable_migration_entry(pfn)
+ make_readable_migration_entry_from_page(&F->page)
|
- make_readable_exclusive_migration_entry(pfn)
+ make_readable_exclusive_migration_entry_from_page(&F->page)
|
- make_writable_migration_entry(pfn)
+ make_writable_migration_entry_from_page(&F->page)
)
  ...>

@depends on pfnfirst_folio@
identifier pfnfirst_folio.pfn;
expression pfnfirst_folio.F;
@@
- unsigned long pfn = folio_pfn(F);
  ... when != pfn

@pfnfirst_page depends on patch exists@
identifier pfn;
expression F;
@@
  unsigned long pfn = page_to_pfn(F);
  <...
(
- make_readable_migration_entry(pfn)
+ make_readable_migration_entry_from_page(F)
|
- make_readable_exclusive_migration_entry(pfn)
+ make_readable_exclusive_migration_entry_from_page(F)
|
- make_writable_migration_entry(pfn)
+ make_writable_migration_entry_from_page(F)
)
  ...>

@depends on pfnfirst_page@
identifier pfnfirst_page.pfn;
expression pfnfirst_page.F;
@@
- unsigned long pfn = page_to_pfn(F);
  ... when != pfn

@r depends on !patch@
expression P;
position p;
@@
(
* make_readable_migration_entry@p(page_to_pfn(P))
|
* make_readable_exclusive_migration_entry@p(page_to_pfn(P))
|
* make_writable_migration_entry@p(page_to_pfn(P))
|
* make_readable_migration_entry@p(folio_pfn(P))
|
* make_readable_exclusive_migration_entry@p(folio_pfn(P))
|
* make_writable_migration_entry@p(folio_pfn(P))
)

@r2 depends on !patch exists@
identifier pfn;
expression F;
position p;
@@
(
  unsigned long pfn = folio_pfn(F);
|
  unsigned long pfn = page_to_pfn(F);
)
  ...
(
* make_readable_migration_entry@p(pfn)
|
* make_readable_exclusive_migration_entry@p(pfn)
|
* make_writable_migration_entry@p(pfn)
)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_migration_entry: in %s(): use make_*_migration_entry_from_page(): a device-private page has no PFN" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_migration_entry: in %s(): use make_*_migration_entry_from_page(): a device-private page has no PFN" % p[0].current_element)

@script:python depends on org@
p << r2.p;
@@
coccilib.org.print_todo(p[0], "devmem_migration_entry: in %s(): PFN taken first (folio_pfn(), page_to_pfn()) for a migration entry: use make_*_migration_entry_from_page()" % p[0].current_element)

@script:python depends on report@
p << r2.p;
@@
coccilib.report.print_report(p[0], "devmem_migration_entry: in %s(): PFN taken first (folio_pfn(), page_to_pfn()) for a migration entry: use make_*_migration_entry_from_page()" % p[0].current_element)
