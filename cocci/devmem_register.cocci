// SPDX-License-Identifier: GPL-2.0-only
/// Device-private memory takes no physical address space: it is registered
/// by page count with devmem_register() or devm_devmem_register(), and
/// memremap_pages() refuses a MEMORY_DEVICE_PRIVATE pagemap.  This rule
/// finds the old sequence: a free physical range reserved with
/// [devm_]request_free_mem_region(), a pagemap of type
/// MEMORY_DEVICE_PRIVATE registered with [devm_]memremap_pages(), the range
/// released with release_mem_region(), and migrate_device_range() called with
/// the range's start PFN.
///
/// In patch mode, in a function that builds only device-private pagemaps,
/// it drops the reservation (and its IS_ERR() check), the range and
/// nr_range assignments and the release_mem_region() calls, registers the
/// pagemap with [devm_]devmem_register(P, PHYS_PFN(size), nid) and, in a
/// file that builds no other type, unregisters it with devmem_unregister()
/// and converts migrate_device_range(S, P.range.start >> PAGE_SHIFT, N) to
/// migrate_devmem_range(S, P.devmem.first, N).  Where the function also
/// builds DEVICE_COHERENT or GENERIC pagemaps, it reports what to change
/// and why instead: the physical range stays for those.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

// A file that builds a pagemap of another type than device-private.
@other_type@
expression E;
@@
(
  E.type = MEMORY_DEVICE_COHERENT
|
  E->type = MEMORY_DEVICE_COHERENT
|
  E.type = MEMORY_DEVICE_GENERIC
|
  E->type = MEMORY_DEVICE_GENERIC
)

@private_type@
expression E;
@@
(
  E.type = MEMORY_DEVICE_PRIVATE
|
  E->type = MEMORY_DEVICE_PRIVATE
)

// A file that registers device-private memory by page count already.
@uses_devmem@
expression list args;
@@
(
  devmem_register(args)
|
  devm_devmem_register(args)
)

// Functions that also build pagemaps of another type keep their range.
// Only patch mode needs them, and the walk of every function is costly.
@mixed_fn depends on patch@
identifier fn;
expression E;
position fp;
@@
fn@fp(...) {
<+...
(
  E.type = MEMORY_DEVICE_COHERENT
|
  E->type = MEMORY_DEVICE_COHERENT
|
  E.type = MEMORY_DEVICE_GENERIC
|
  E->type = MEMORY_DEVICE_GENERIC
)
...+>
}

// Functions are told apart by file and name: spatch -j runs many files
// through one Python interpreter.
@initialize:python@
@@
mixed_fns = set()
busy = set()

@script:python depends on patch@
fn << mixed_fn.fn;
fp << mixed_fn.fp;
@@
mixed_fns.add((fp[0].file, fn))

@privonly depends on patch@
identifier fn;
expression E;
position pp;
@@
fn@pp(...) {
<+...
(
  E.type = MEMORY_DEVICE_PRIVATE
|
  E->type = MEMORY_DEVICE_PRIVATE
)
...+>
}

@script:python depends on privonly@
fn << privonly.fn;
pp << privonly.pp;
@@
if (pp[0].file, fn) in mixed_fns:
    cocci.include_match(False)

// The resource of a reservation in such a function...
@resv depends on patch@
identifier privonly.fn;
identifier R;
expression B, SZ, NAME, DEV;
@@
fn(...) {
<+...
(
  R = request_free_mem_region(B, SZ, NAME);
|
  R = devm_request_free_mem_region(DEV, B, SZ);
)
...+>
}

// ... must have no use but those this rule removes.
@other_use depends on resv exists@
identifier privonly.fn, resv.R;
expression E, L;
position p;
@@
fn(...) {
<...
(
  R = request_free_mem_region(...);
|
  R = devm_request_free_mem_region(...);
|
  IS_ERR(R)
|
  PTR_ERR(R)
|
  E.range.start = R->start;
|
  E.range.end = R->end;
|
  E->range.start = R->start;
|
  E->range.end = R->end;
|
  release_mem_region(R->start, L);
|
  R@p
)
...>
}

@script:python@
fn << privonly.fn;
r << resv.R;
p << other_use.p;
@@
busy.add((p[0].file, fn, r))

@script:python depends on resv@
fn << privonly.fn;
pp << privonly.pp;
r << resv.R;
@@
if (pp[0].file, fn, r) in busy:
    cocci.include_match(False)

// The reservation, then the registration of the same function.
@reg depends on patch exists@
identifier privonly.fn;
identifier resv.R;
expression BASE, DEV, SIZE, NAME, P, NID, X;
statement S;
@@
fn(...) {
...
(
- R = request_free_mem_region(BASE, SIZE, NAME);
|
- R = devm_request_free_mem_region(DEV, BASE, SIZE);
)
- if (IS_ERR(R)) S
...
(
- X = memremap_pages(P, NID);
+ X = devmem_register(P, PHYS_PFN(SIZE), NID);
|
- X = devm_memremap_pages(DEV, P);
+ X = devm_devmem_register(DEV, P, PHYS_PFN(SIZE), NUMA_NO_NODE);
)
...
}

// What described the range, and its release, in that function.
@depends on reg@
identifier privonly.fn, resv.R;
expression E, L;
@@
fn(...) {
<...
(
- E.range.start = R->start;
|
- E.range.end = R->end;
|
- E.nr_range = 1;
|
- E->range.start = R->start;
|
- E->range.end = R->end;
|
- E->nr_range = 1;
|
- release_mem_region(E.range.start, range_len(&E.range));
|
- release_mem_region(E->range.start, range_len(&E->range));
|
- release_mem_region(R->start, L);
)
...>
}

// The resource pointer, now unused.
@depends on reg@
identifier privonly.fn, resv.R;
type T;
@@
fn(...) {
...
- T R;
... when != R
}

// Elsewhere in a file that builds only device-private pagemaps.
@depends on patch && private_type && !other_type@
expression P;
@@
(
- memunmap_pages(&P);
- release_mem_region(P.range.start, range_len(&P.range));
+ devmem_unregister(&P);
|
- memunmap_pages(P);
- release_mem_region(P->range.start, range_len(&P->range));
+ devmem_unregister(P);
)

@depends on patch && private_type && !other_type@
expression P;
@@
(
- memunmap_pages(&P);
+ devmem_unregister(&P);
|
- release_mem_region(P.range.start, range_len(&P.range));
|
- release_mem_region(P->range.start, range_len(&P->range));
)

@depends on patch && private_type && !other_type@
expression S, P, N;
@@
(
- migrate_device_range(S, P.range.start >> PAGE_SHIFT, N)
+ migrate_devmem_range(S, P.devmem.first, N)
|
- migrate_device_range(S, P->range.start >> PAGE_SHIFT, N)
+ migrate_devmem_range(S, P->devmem.first, N)
)

@reserve depends on !patch@
expression list args;
position p;
@@
(
* request_free_mem_region@p(args)
|
* devm_request_free_mem_region@p(args)
)

@remap depends on !patch && private_type && !uses_devmem@
expression list args;
position p;
@@
(
* memremap_pages@p(args)
|
* devm_memremap_pages@p(args)
)

@pfnrange depends on !patch@
expression S, P, N;
position p;
@@
(
* migrate_device_range@p(S, P.range.start >> PAGE_SHIFT, N)
|
* migrate_device_range@p(S, P->range.start >> PAGE_SHIFT, N)
)

@script:python depends on report@
p << reserve.p;
@@
coccilib.report.print_report(p[0], "devmem_register: in %s(): device-private memory needs no physical range: drop the reservation and register the pagemap by page count with devmem_register()" % p[0].current_element)

@script:python depends on org@
p << reserve.p;
@@
coccilib.org.print_todo(p[0], "devmem_register: in %s(): device-private memory needs no physical range: drop the reservation and register the pagemap by page count with devmem_register()" % p[0].current_element)

@script:python depends on report && !other_type@
p << remap.p;
@@
coccilib.report.print_report(p[0], "devmem_register: in %s(): memremap_pages() refuses MEMORY_DEVICE_PRIVATE: use devmem_register(pgmap, nr_pages, nid) and devmem_unregister()" % p[0].current_element)

@script:python depends on report && other_type@
p << remap.p;
@@
coccilib.report.print_report(p[0], "devmem_register: in %s(): this file also builds DEVICE_COHERENT/GENERIC pagemaps: keep memremap_pages() for those, register the MEMORY_DEVICE_PRIVATE one with devmem_register() (no range, nr_range 0)" % p[0].current_element)

@script:python depends on org@
p << remap.p;
@@
coccilib.org.print_todo(p[0], "devmem_register: in %s(): memremap_pages() refuses MEMORY_DEVICE_PRIVATE: use devmem_register()" % p[0].current_element)

@script:python depends on report@
p << pfnrange.p;
@@
coccilib.report.print_report(p[0], "devmem_register: in %s(): a device-private pagemap has no range: use migrate_devmem_range(src, pgmap->devmem.first, npages)" % p[0].current_element)

@script:python depends on org@
p << pfnrange.p;
@@
coccilib.org.print_todo(p[0], "devmem_register: in %s(): a device-private pagemap has no range: use migrate_devmem_range(src, pgmap->devmem.first, npages)" % p[0].current_element)
