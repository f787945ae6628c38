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
/// it drops the reservation (and its IS_ERR() check, and an error label
/// only that check jumped to), the range and nr_range assignments and the
/// release_mem_region() calls, and registers the pagemap with
/// [devm_]devmem_register_populated(P, PHYS_PFN(size)[, nid]): every page
/// has its struct page from the start, as memremap_pages() gave it, so the
/// driver walks and hands out its pages as before (devmem_register() with
/// devmem_populate() where pages are handed out costs less: a person's
/// change).  In a file that builds no other type, it unregisters with
/// devmem_unregister() and converts migrate_device_range(S,
/// P.range.start >> PAGE_SHIFT, N) to migrate_devmem_range(S,
/// devmem_first_index(&P), N); devmem_register_counts.cocci, run after it, takes
/// the counts that came from the range from the registration.  Where the
/// function also builds DEVICE_COHERENT or GENERIC pagemaps, it reports
/// what to change and why instead: the physical range stays for those.
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
|
  devmem_register_populated(args)
|
  devm_devmem_register_populated(args)
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
used_labels = set()
released_pos = set()

# One message per site, naming the call that fits it: devm or not, and
# whether the file keeps physical ranges for other pagemap types.
def reg_msg(p, what, devm, mixed):
    if devm:
        reg = "devm_devmem_register_populated(dev, pgmap, nr_pages)"
        lazy = "devm_devmem_register()"
    else:
        reg = "devmem_register_populated(pgmap, nr_pages, nid)"
        lazy = "devmem_register()"
    msg = "devmem_register: in %s(): %s: register the MEMORY_DEVICE_PRIVATE pagemap by page count with %s (every struct page at once, as memremap_pages() gave them), or %s and devmem_populate() where pages are handed out" % (p[0].current_element, what, reg, lazy)
    if mixed:
        msg += "; this file also builds DEVICE_COHERENT/GENERIC pagemaps, which keep their range and memremap_pages()"
    return msg

def emit(p, msg, rep):
    if rep:
        coccilib.report.print_report(p[0], msg)
    else:
        coccilib.org.print_todo(p[0], msg)


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
+ X = devmem_register_populated(P, PHYS_PFN(SIZE), NID);
|
- X = devm_memremap_pages(DEV, P);
+ X = devm_devmem_register_populated(DEV, P, PHYS_PFN(SIZE));
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

// An error label that only the reservation's failure jumped to.
@goto_used depends on reg@
identifier privonly.fn, L;
position p;
@@
fn(...) {
<...
goto L@p;
...>
}

@script:python@
l << goto_used.L;
p << goto_used.p;
@@
used_labels.add((p[0].file, p[0].current_element, l))

@label depends on reg@
identifier privonly.fn, L;
position p;
@@
fn(...) {
<...
L@p:
...>
}

@script:python@
l << label.L;
p << label.p;
@@
if (p[0].file, p[0].current_element, l) in used_labels:
    cocci.include_match(False)

@depends on reg@
identifier label.L;
position label.p;
@@
- L@p:

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
+ migrate_devmem_range(S, devmem_first_index(&P), N)
|
- migrate_device_range(S, P->range.start >> PAGE_SHIFT, N)
+ migrate_devmem_range(S, devmem_first_index(P), N)
)

@reserve depends on !patch && private_type@
expression list args;
position p;
@@
* request_free_mem_region@p(args)

@devm_reserve depends on !patch && private_type@
expression list args;
position p;
@@
* devm_request_free_mem_region@p(args)

@remap depends on !patch && private_type && !uses_devmem@
expression list args;
position p;
@@
* memremap_pages@p(args)

@devm_remap depends on !patch && private_type && !uses_devmem@
expression list args;
position p;
@@
* devm_memremap_pages@p(args)

@pfnrange depends on !patch && private_type@
expression S, P, N;
position p;
@@
(
* migrate_device_range@p(S, P.range.start >> PAGE_SHIFT, N)
|
* migrate_device_range@p(S, P->range.start >> PAGE_SHIFT, N)
)

// Sizes that go with the release of the range, which patch mode drops.
@released depends on !patch && private_type && !other_type@
expression P, S;
position p;
@@
(
  release_mem_region(S, range_len@p(&P.range))
|
  release_mem_region(S, range_len@p(&P->range))
)

@script:python@
p << released.p;
@@
released_pos.add((p[0].file, p[0].line, p[0].column))

@rangelen depends on !patch && private_type && !other_type && !uses_devmem@
expression P;
position p;
@@
(
* range_len@p(&P.range)
|
* range_len@p(&P->range)
)

// The reserved range's other sites: the pagemap's range, its release and
// the unmapping, which go with the registration by page count.
@range_set depends on !patch && private_type@
identifier R;
expression E, B, SZ, NAME, DEV;
position p;
@@
(
  R = request_free_mem_region(B, SZ, NAME);
|
  R = devm_request_free_mem_region(DEV, B, SZ);
)
...
(
  E.range.start@p = R->start;
|
  E->range.start@p = R->start;
)

@release depends on !patch && private_type@
expression E, L, D, S;
identifier R;
position p;
@@
(
  release_mem_region@p(E.range.start, L)
|
  release_mem_region@p(E->range.start, L)
|
  release_mem_region@p(R->start, L)
|
  devm_release_mem_region@p(D, R->start, L)
|
  memunmap_pages@p(S)
)

@script:python depends on report && !other_type@
p << range_set.p;
@@
emit(p, "devmem_register: in %s(): the physical range of a device-private pagemap: a registration by page count has none; drop it with the reservation" % p[0].current_element, True)

@script:python depends on report && other_type@
p << range_set.p;
@@
emit(p, "devmem_register: in %s(): if this pagemap is MEMORY_DEVICE_PRIVATE: a registration by page count has no physical range; drop it with the reservation (DEVICE_COHERENT/GENERIC ones keep it)" % p[0].current_element, True)

@script:python depends on org@
p << range_set.p;
@@
emit(p, "devmem_register: in %s(): the physical range of a device-private pagemap: a registration by page count has none; drop it with the reservation" % p[0].current_element, False)

@script:python depends on report && !other_type@
p << release.p;
@@
emit(p, "devmem_register: in %s(): releasing the range or the pages of a device-private pagemap: devmem_unregister() undoes a registration by page count (no range to release)" % p[0].current_element, True)

@script:python depends on report && other_type@
p << release.p;
@@
emit(p, "devmem_register: in %s(): if this pagemap is MEMORY_DEVICE_PRIVATE: devmem_unregister() undoes a registration by page count (no range to release); DEVICE_COHERENT/GENERIC ones keep this" % p[0].current_element, True)

@script:python depends on org@
p << release.p;
@@
emit(p, "devmem_register: in %s(): releasing the range or the pages of a device-private pagemap: devmem_unregister() undoes a registration by page count" % p[0].current_element, False)

@script:python depends on report@
p << reserve.p;
@@
emit(p, reg_msg(p, "device-private memory needs no physical range: drop request_free_mem_region()", False, False), True)

@script:python depends on org@
p << reserve.p;
@@
emit(p, reg_msg(p, "device-private memory needs no physical range: drop request_free_mem_region()", False, False), False)

@script:python depends on report@
p << devm_reserve.p;
@@
emit(p, reg_msg(p, "device-private memory needs no physical range: drop devm_request_free_mem_region()", True, False), True)

@script:python depends on org@
p << devm_reserve.p;
@@
emit(p, reg_msg(p, "device-private memory needs no physical range: drop devm_request_free_mem_region()", True, False), False)

@script:python depends on report && !other_type@
p << remap.p;
@@
emit(p, reg_msg(p, "memremap_pages() refuses MEMORY_DEVICE_PRIVATE", False, False) + "; undo it with devmem_unregister()", True)

@script:python depends on report && other_type@
p << remap.p;
@@
emit(p, reg_msg(p, "memremap_pages() refuses MEMORY_DEVICE_PRIVATE", False, True), True)

@script:python depends on org@
p << remap.p;
@@
emit(p, reg_msg(p, "memremap_pages() refuses MEMORY_DEVICE_PRIVATE", False, False), False)

@script:python depends on report && !other_type@
p << devm_remap.p;
@@
emit(p, reg_msg(p, "devm_memremap_pages() refuses MEMORY_DEVICE_PRIVATE", True, False), True)

@script:python depends on report && other_type@
p << devm_remap.p;
@@
emit(p, reg_msg(p, "devm_memremap_pages() refuses MEMORY_DEVICE_PRIVATE", True, True), True)

@script:python depends on org@
p << devm_remap.p;
@@
emit(p, reg_msg(p, "devm_memremap_pages() refuses MEMORY_DEVICE_PRIVATE", True, False), False)

@script:python depends on report@
p << pfnrange.p;
@@
emit(p, "devmem_register: in %s(): a device-private pagemap has no range: use migrate_devmem_range(src, devmem_first_index(pgmap), npages)" % p[0].current_element, True)

@script:python depends on org@
p << pfnrange.p;
@@
emit(p, "devmem_register: in %s(): a device-private pagemap has no range: use migrate_devmem_range(src, devmem_first_index(pgmap), npages)" % p[0].current_element, False)

@script:python depends on report@
p << rangelen.p;
@@
if (p[0].file, p[0].line, p[0].column) not in released_pos:
    emit(p, "devmem_register: in %s(): registered by page count, a device-private pagemap has no range and this size is 0: use devmem_nr_pages(pgmap) (pages; devmem_register_counts.cocci converts it)" % p[0].current_element, True)

@script:python depends on org@
p << rangelen.p;
@@
if (p[0].file, p[0].line, p[0].column) not in released_pos:
    emit(p, "devmem_register: in %s(): registered by page count, a device-private pagemap has no range and this size is 0: use devmem_nr_pages(pgmap) (pages; devmem_register_counts.cocci converts it)" % p[0].current_element, False)
