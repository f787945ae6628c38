// SPDX-License-Identifier: GPL-2.0-only
/// Drivers compute a page's offset in its device memory from its PFN and
/// the start of the pagemap's physical range.  A device-private page has
/// neither: pgmap_page_offset() gives the page number in its pagemap, from
/// the device index for device-private pages and from the PFN for others,
/// so the rewrite is exact for both.  It assumes, as the code it rewrites
/// does, that R is the pagemap of P.
///
/// The first page of a pagemap taken as pfn_to_page() of the start of its
/// range, directly or through a variable that has no other use, becomes
/// pgmap_offset_to_page(pgmap, 0), exact for both too.  Other
/// uses of a pagemap's range start as a PFN, in a file that builds
/// device-private pagemaps, are walks of the pagemap by PFN (a loop from the
/// first PFN, a bitmap indexed by PFN): they are reported, to be rewritten
/// with pgmap_page_offset() and pgmap_offset_to_page().
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

@depends on patch@
expression R;
@@
(
- pfn_to_page(R.range.start >> PAGE_SHIFT)
+ pgmap_offset_to_page(&R, 0)
|
- pfn_to_page(PHYS_PFN(R.range.start))
+ pgmap_offset_to_page(&R, 0)
|
- pfn_to_page(R->range.start >> PAGE_SHIFT)
+ pgmap_offset_to_page(R, 0)
|
- pfn_to_page(PHYS_PFN(R->range.start))
+ pgmap_offset_to_page(R, 0)
)

// The same, where the range's first PFN was put in a variable first
// (nouveau: pfn_first = ...; page = pfn_to_page(pfn_first);): only if the
// variable has no other use, and then it goes.
@first_local depends on patch@
identifier fn, V;
expression R;
type T;
@@
fn(...) {
... when any
(
- V = R.range.start >> PAGE_SHIFT;
|
- V = PHYS_PFN(R.range.start);
|
- T V = R.range.start >> PAGE_SHIFT;
|
- T V = PHYS_PFN(R.range.start);
)
... when != V
- pfn_to_page(V)
+ pgmap_offset_to_page(&R, 0)
... when != V
}

@first_local_ptr depends on patch@
identifier fn, V;
expression R;
type T;
@@
fn(...) {
... when any
(
- V = R->range.start >> PAGE_SHIFT;
|
- V = PHYS_PFN(R->range.start);
|
- T V = R->range.start >> PAGE_SHIFT;
|
- T V = PHYS_PFN(R->range.start);
)
... when != V
- pfn_to_page(V)
+ pgmap_offset_to_page(R, 0)
... when != V
}

@depends on first_local@
identifier first_local.fn, first_local.V;
type T;
@@
fn(...) {
... when any
- T V;
... when != V
}

@depends on first_local_ptr@
identifier first_local_ptr.fn, first_local_ptr.V;
type T;
@@
fn(...) {
... when any
- T V;
... when != V
}

@private_type@
expression E;
@@
(
  E.type = MEMORY_DEVICE_PRIVATE
|
  E->type = MEMORY_DEVICE_PRIVATE
)

// The first page, as patch mode rewrites it: reported as such, not as a walk.
@initialize:python@
@@
first_pos = set()

@firstrep depends on !patch && private_type@
expression R;
position p;
@@
(
  pfn_to_page(R.range.start@p >> PAGE_SHIFT)
|
  pfn_to_page(PHYS_PFN(R.range.start@p))
|
  pfn_to_page(R->range.start@p >> PAGE_SHIFT)
|
  pfn_to_page(PHYS_PFN(R->range.start@p))
)

@firstrep_local depends on !patch && private_type forall@
identifier fn, V;
expression R;
type T;
position p;
@@
fn(...) {
... when any
(
  V = R.range.start@p >> PAGE_SHIFT;
|
  V = PHYS_PFN(R.range.start@p);
|
  T V = R.range.start@p >> PAGE_SHIFT;
|
  T V = PHYS_PFN(R.range.start@p);
|
  V = R->range.start@p >> PAGE_SHIFT;
|
  V = PHYS_PFN(R->range.start@p);
|
  T V = R->range.start@p >> PAGE_SHIFT;
|
  T V = PHYS_PFN(R->range.start@p);
)
... when != V
  pfn_to_page(V)
... when != V
}

@script:python@
p << firstrep.p;
@@
first_pos.add((p[0].file, p[0].line, p[0].column, p[0].current_element))

@script:python@
p << firstrep_local.p;
@@
first_pos.add((p[0].file, p[0].line, p[0].column, p[0].current_element))

// Walks by PFN; migrate_device_range() of the start is devmem_register.cocci's.
@walk depends on !patch && private_type@
expression R, S, N, P, E;
position p;
@@
(
  migrate_device_range(S, R.range.start >> PAGE_SHIFT, N)
|
  migrate_device_range(S, R->range.start >> PAGE_SHIFT, N)
|
  page_to_pfn(P) - (R.range.start >> PAGE_SHIFT)
|
  page_to_pfn(P) - (R->range.start >> PAGE_SHIFT)
|
* (E + R.range.start@p) >> PAGE_SHIFT
|
* (E + R->range.start@p) >> PAGE_SHIFT
|
* R.range.start@p >> PAGE_SHIFT
|
* R->range.start@p >> PAGE_SHIFT
|
* PHYS_PFN(R.range.start@p)
|
* PHYS_PFN(R->range.start@p)
)

@script:python depends on org@
p << walk.p;
@@
if (p[0].file, p[0].line, p[0].column, p[0].current_element) not in first_pos:
    coccilib.org.print_todo(p[0], "devmem_pgmap_offset: in %s(): a walk of the pagemap by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, i) for i below the page count, pgmap_page_offset(page) for the way back" % p[0].current_element)

@script:python depends on report@
p << walk.p;
@@
if (p[0].file, p[0].line, p[0].column, p[0].current_element) not in first_pos:
    coccilib.report.print_report(p[0], "devmem_pgmap_offset: in %s(): a walk of the pagemap by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, i) for i below the page count, pgmap_page_offset(page) for the way back" % p[0].current_element)

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

@script:python depends on report@
p << firstrep.p;
@@
coccilib.report.print_report(p[0], "devmem_pgmap_offset: in %s(): the pagemap's first page by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, 0)" % p[0].current_element)

@script:python depends on report@
p << firstrep_local.p;
@@
coccilib.report.print_report(p[0], "devmem_pgmap_offset: in %s(): the pagemap's first page by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, 0)" % p[0].current_element)

@script:python depends on org@
p << firstrep.p;
@@
coccilib.org.print_todo(p[0], "devmem_pgmap_offset: in %s(): the pagemap's first page by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, 0)" % p[0].current_element)

@script:python depends on org@
p << firstrep_local.p;
@@
coccilib.org.print_todo(p[0], "devmem_pgmap_offset: in %s(): the pagemap's first page by PFN: a device-private pagemap has no range; use pgmap_offset_to_page(pgmap, 0)" % p[0].current_element)
