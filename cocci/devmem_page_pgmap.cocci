// SPDX-License-Identifier: GPL-2.0-only
/// A large device-private folio keeps its pagemap in the folio: in a tail
/// page, the word that holds a small page's pgmap holds compound_head.
/// page_pgmap() returns the pagemap of any ZONE_DEVICE page, head, tail or
/// small, so reading page->pgmap through it is exact wherever the driver
/// read it, and right once the driver (or the core, on a split) hands out
/// large device folios.
///
/// In a file that builds device-private pagemaps, patch mode turns every
/// read of page->pgmap of a struct page (a variable of that type, or a
/// field named page, as vmf->page) into page_pgmap(page).  Stores to
/// page->pgmap are left alone: they are the core's, and a driver has none.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@private_type@
expression E;
@@
(
  E.type = MEMORY_DEVICE_PRIVATE
|
  E->type = MEMORY_DEVICE_PRIVATE
)

// Stores, which stay.
@store depends on private_type@
struct page *P;
expression X, V;
position p;
@@
(
  P->pgmap@p = V
|
  X->page->pgmap@p = V
)

@read depends on private_type@
struct page *P;
expression X;
position p != store.p;
@@
(
  P->pgmap@p
|
  X->page->pgmap@p
)

@depends on patch@
struct page *P;
expression X;
position read.p;
@@
(
- P->pgmap@p
+ page_pgmap(P)
|
- X->page->pgmap@p
+ page_pgmap(X->page)
)

@depends on context@
struct page *P;
expression X;
position read.p;
@@
(
* P->pgmap@p
|
* X->page->pgmap@p
)

@script:python depends on report@
p << read.p;
@@
coccilib.report.print_report(p[0], "devmem_page_pgmap: in %s(): use page_pgmap(page): a tail page of a large device-private folio keeps no pgmap" % p[0].current_element)

@script:python depends on org@
p << read.p;
@@
coccilib.org.print_todo(p[0], "devmem_page_pgmap: in %s(): use page_pgmap(page): a tail page of a large device-private folio keeps no pgmap" % p[0].current_element)
