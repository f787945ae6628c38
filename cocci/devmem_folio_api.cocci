// SPDX-License-Identifier: GPL-2.0-only
/// A driver written for upstream's large device folios (6.19) uses one
/// thing this tree has in another form.  zone_device_folio_init(folio,
/// order), dev_pagemap_ops.folio_split(head, tail) and .folio_free(folio)
/// are the same; the pagemap is not: 6.19 keeps it in folio->pgmap, and
/// 6.12 has no such field, page_pgmap() reads it from any page.  In a file
/// written for 6.19 (it has a .folio_free), reads become page_pgmap(), and
/// the store of a folio_split callback goes: devmem_split_folio() gives
/// each new folio its pagemap.
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
position r.p;
struct folio *F;
@@
*	F->pgmap@p

@script:python depends on org@
p << r.p;
@@
coccilib.org.print_todo(p[0], "devmem_folio_api: in %s(): folio->pgmap is 6.19's: read page_pgmap(&folio->page); a split callback need not store it" % p[0].current_element)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "devmem_folio_api: in %s(): folio->pgmap is 6.19's: read page_pgmap(&folio->page); a split callback need not store it" % p[0].current_element)
