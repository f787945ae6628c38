// SPDX-License-Identifier: GPL-2.0-only
/// A pagemap registered by page count (devmem_register() and its variants)
/// has no physical range: range_len() of it is 0, so a count or a size a
/// driver took from the range (nouveau: the pages to evict) becomes 0 and
/// a loop over it does nothing.  In a file that registers device-private
/// pagemaps by count and builds no other type, this rule takes them from
/// the registration: range_len(&P.range) >> PAGE_SHIFT becomes
/// devmem_nr_pages(&P), range_len(&P.range) the same in bytes.  Run it after
/// devmem_register.cocci (which makes the file register by count).
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

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

@by_count@
expression list args;
@@
(
  devmem_register(args)
|
  devm_devmem_register(args)
|
  devmem_register_populated(args)
|
  devm_devmem_register_populated(args)
)

@depends on patch && by_count && private_type && !other_type@
expression P;
@@
(
- range_len(&P.range) >> PAGE_SHIFT
+ devmem_nr_pages(&P)
|
- range_len(&P->range) >> PAGE_SHIFT
+ devmem_nr_pages(P)
|
- PHYS_PFN(range_len(&P.range))
+ devmem_nr_pages(&P)
|
- PHYS_PFN(range_len(&P->range))
+ devmem_nr_pages(P)
|
- range_len(&P.range)
+ (devmem_nr_pages(&P) << PAGE_SHIFT)
|
- range_len(&P->range)
+ (devmem_nr_pages(P) << PAGE_SHIFT)
)

@r depends on !patch && by_count && private_type && !other_type@
expression P;
position p;
@@
(
* range_len@p(&P.range)
|
* range_len@p(&P->range)
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_register_counts: in %s(): a pagemap registered by page count has no range, so this size is 0: use devmem_nr_pages(pgmap) (pages)" % p[0].current_element)

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_register_counts: in %s(): a pagemap registered by page count has no range, so this size is 0: use devmem_nr_pages(pgmap) (pages)" % p[0].current_element)
