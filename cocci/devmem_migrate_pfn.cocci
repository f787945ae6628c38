// SPDX-License-Identifier: GPL-2.0-only
/// A migrate PFN built with migrate_pfn(page_to_pfn(P)) holds a fake PFN
/// for a device-private page, which has no PFN: the page is lost, or a RAM
/// page is found in its place.  migrate_pfn_from_page() holds the device
/// index (with MIGRATE_PFN_DEVICE) for device-private pages and the PFN for
/// all others, so the rewrite is exact for system and coherent pages too.
/// Patch mode rewrites every such call; the other modes leave out pages the
/// function (or a helper it calls) has just allocated from RAM, which can
/// never be device-private.
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

// Pages allocated from RAM: by a page allocator, or by a helper of the
// file that returns what one gave it.  Keyed by file, function and name.
@initialize:python@
@@
ram_pages = set()
ram_fns = set()

// Only a file that makes migrate PFNs is looked at (spatch --use-coccigrep
// skips the others unparsed).
@mfile depends on !patch@
@@
migrate_pfn(...)

@ram_alloc depends on !patch && mfile@
expression P;
identifier alloc =~ "^(alloc_pages?|alloc_page_vma|alloc_pages_node|alloc_pages_mpol)$";
position p;
@@
P@p = alloc(...)

@script:python@
P << ram_alloc.P;
p << ram_alloc.p;
@@
ram_pages.add((p[0].file, p[0].current_element, P))

@ram_alloc_decl depends on !patch && mfile@
type T;
identifier P;
identifier alloc =~ "^(alloc_pages?|alloc_page_vma|alloc_pages_node|alloc_pages_mpol)$";
position p;
@@
T P@p = alloc(...);

@script:python@
P << ram_alloc_decl.P;
p << ram_alloc_decl.p;
@@
ram_pages.add((p[0].file, p[0].current_element, P))

@ram_return depends on !patch && mfile@
expression P;
position p;
@@
return@p P;

@script:python@
P << ram_return.P;
p << ram_return.p;
@@
if (p[0].file, p[0].current_element, P) in ram_pages:
    ram_fns.add((p[0].file, p[0].current_element))

@ram_helper depends on !patch && mfile@
expression P;
identifier fn;
position p;
@@
P@p = fn(...)

@script:python@
P << ram_helper.P;
fn << ram_helper.fn;
p << ram_helper.p;
@@
if (p[0].file, fn) in ram_fns:
    ram_pages.add((p[0].file, p[0].current_element, P))

@r depends on !patch && mfile@
expression P;
position p : script:python() { p[0].current_element != "migrate_pfn_from_page" };
@@
(
  migrate_pfn@p(page_to_pfn(P))
|
  migrate_pfn@p(folio_pfn(P))
)

@script:python@
P << r.P;
p << r.p;
@@
if (p[0].file, p[0].current_element, P) in ram_pages:
    cocci.include_match(False)

@depends on context@
expression r.P;
position r.p;
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
