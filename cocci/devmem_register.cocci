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
/// In patch mode it converts migrate_device_range(S, P.range.start >>
/// PAGE_SHIFT, N) to migrate_devmem_range(S, P.devmem.first, N) where the
/// file builds only device-private pagemaps.  The registration itself is
/// reported, not rewritten: its error paths and the DEVICE_COHERENT
/// pagemaps some functions also build need a person.
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
