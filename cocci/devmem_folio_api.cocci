// SPDX-License-Identifier: GPL-2.0-only
/// A driver written for upstream's large device folios (6.19) uses two
/// things this tree has in another form.  zone_device_folio_init(folio,
/// order) and dev_pagemap_ops.folio_split(head, tail) are the same.
///
/// The free callback: upstream's .folio_free(folio) gets the folio whole
/// and leaves its compound layout on free pages for the next
/// zone_device_folio_init() to clear; here the core gives the pages back
/// as free pages, so that zone_device_folio_init() can refuse a page in
/// use: .pages_free(page, order) for a large folio, .page_free(page) for a
/// page.  Patch mode turns the callback named by .folio_free into a
/// .pages_free callback, folio_order(folio) into order, the folio's pages
/// into pages from the first, and adds the .page_free one that calls it
/// with order 0.
///
/// The pagemap: 6.19 keeps it in folio->pgmap; 6.12 has no such field and
/// page_pgmap() reads it from any page.  In a file with a .folio_free,
/// reads become page_pgmap(), and the store of a folio_split callback
/// goes: devmem_split_folio() gives each new folio its pagemap.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers --smpl-spacing
// Scope: lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@ops@
identifier o, fn;
position p;
@@
struct dev_pagemap_ops o = {
	...,
	.folio_free@p = fn,
	...
};

@script:python wrapper depends on ops@
fn << ops.fn;
w;
@@
coccinelle.w = fn + "_page"

@depends on patch@
identifier ops.o, ops.fn, wrapper.w;
@@
struct dev_pagemap_ops o = {
	...,
-	.folio_free = fn,
+	.page_free = w,
+	.pages_free = fn,
	...
};

@depends on patch@
identifier ops.o, ops.fn, wrapper.w;
@@
+/* Order 0 through the large folio one, as .folio_free did. */
+static void w(struct page *page)
+{
+	fn(page, 0);
+}
+
struct dev_pagemap_ops o = { ... };

@body depends on patch@
identifier ops.fn, folio;
expression E;
identifier F;
@@
 void fn(
-	struct folio *folio
+	struct page *page, unsigned int order
 )
 {
 <...
(
-	folio_order(folio)
+	order
|
-	folio_nr_pages(folio)
+	(1UL << order)
|
-	folio_test_large(folio)
+	(order != 0)
|
-	folio_page(folio, 0)
+	page
|
-	folio_page(folio, E)
+	(page + (E))
|
-	&folio->page
+	page
|
-	folio->page.F
+	page->F
|
-	folio->pgmap
+	page_pgmap(page)
|
-	folio
+	page_folio(page)
)
 ...>
 }

// The pagemap, in a file written for 6.19 (it has a .folio_free): stores
// of a split callback go, reads take page_pgmap().
@depends on patch && ops@
struct folio *T;
expression E;
@@
-	T->pgmap = E;

@depends on patch && ops@
struct folio *F;
@@
-	F->pgmap
+	page_pgmap(&F->page)

@r depends on ops && (report || context || org)@
struct folio *F;
position p;
@@
	F->pgmap@p

@depends on context@
identifier ops.o, ops.fn;
@@
struct dev_pagemap_ops o = {
	...,
*	.folio_free = fn,
	...
};

@depends on context@
position r.p;
struct folio *F;
@@
*	F->pgmap@p

@script:python depends on org@
p << ops.p;
fn << ops.fn;
@@
coccilib.org.print_todo(p[0], "devmem_folio_api: in %s: the free callback %s gets a folio whole (6.19's .folio_free): make it .pages_free(page, order), with a .page_free for order 0" % (p[0].current_element, fn))

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_folio_api: in %s(): folio->pgmap is 6.19's: read page_pgmap(&folio->page); a split callback need not store it" % p[0].current_element)

@script:python depends on report@
p << ops.p;
fn << ops.fn;
@@
coccilib.report.print_report(p[0], "devmem_folio_api: in %s: the free callback %s gets a folio whole (6.19's .folio_free): make it .pages_free(page, order), with a .page_free for order 0" % (p[0].current_element, fn))

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_folio_api: in %s(): folio->pgmap is 6.19's: read page_pgmap(&folio->page); a split callback need not store it" % p[0].current_element)
