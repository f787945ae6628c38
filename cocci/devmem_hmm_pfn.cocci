// SPDX-License-Identifier: GPL-2.0-only
/// hmm_range_fault() reports a device-private page by its device index,
/// flagged HMM_PFN_DEVICE_PRIVATE, where 6.12 put a PFN.  hmm_pfn_to_page()
/// decodes both; a driver that takes the bits below HMM_PFN_FLAGS as a
/// PFN itself (hmm_pfns[i] << PAGE_SHIFT, PFN_PHYS(hmm_pfn),
/// hmm_pfn & ~HMM_PFN_FLAGS) gets a wrong address or page for a
/// device-private page, with no warning.
///
/// An HMM PFN is an argument of hmm_pfn_to_page() or
/// hmm_pfn_to_map_order(), an element of range->hmm_pfns or of an array
/// passed to those, or a variable set from one.  It can be device-private
/// where the file builds a device-private pagemap, sets a range's
/// dev_private_owner, or tests the page of the HMM PFN with
/// is_zone_device_page() or is_device_private_page(); elsewhere
/// hmm_range_fault() never returns one and nothing is said.
///
/// Patch mode rewrites what has an exact form: a device address made as
/// (hmm_pfn << PAGE_SHIFT) ... - pgmap.range.start becomes
/// (pgmap_page_offset(hmm_pfn_to_page(hmm_pfn)) << PAGE_SHIFT) ..., and
/// pfn_to_page(hmm_pfn & ~HMM_PFN_FLAGS) becomes hmm_pfn_to_page(hmm_pfn).
/// Other raw uses are reported.
//
// Confidence: High
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

CURRENT = None
F = {}
SAID = []
# Kinds of site (constraint scripts take no quoted strings).
K_TOPAGE, K_ADDR, K_ADDR_TERM, K_RAW = 'topage', 'addr', 'addr_term', 'raw'


def start(p):
    """Facts are kept for the file being processed only (spatch -j runs
    many files through one interpreter; a transformed function is parsed
    again as a file of its own, which keeps the facts)."""
    global CURRENT
    f = p[0].file
    if f == CURRENT or f.split('/')[-1].startswith('cocci_small_output'):
        return
    CURRENT = f
    F.clear()
    F.update(arr=set(), val=set(), devfn=set(), owner=False, spans=[], addr=set(),
             sites=set())
    del SAID[:]


def site(p, msg, kind):
    """A site found, by position in the text as spatch first parsed it."""
    F['sites'].add((kind, p[0].file, p[0].line, p[0].column))
    if msg:
        SAID.append((p, msg))


def is_site(p, kind):
    return bool(F) and (kind, p[0].file, p[0].line, p[0].column) in F['sites']


def cover(p, rest=False):
    """A site rewritten or reported whole: no raw report inside it (with
    rest, the position is a call's name: its arguments follow)."""
    F['spans'].append(((int(p[0].line), int(p[0].column)),
                       (int(p[0].line_end), 1 << 30 if rest else int(p[0].column_end))))


def covered(p):
    at = (int(p[0].line), int(p[0].column))
    return any(a <= at <= b for a, b in F.get('spans', ()))


def norm(s):
    return re.sub(r'\s+', '', s)


def close_of(s, i):
    d = 0
    for j in range(i, len(s)):
        if s[j] in '([':
            d += 1
        elif s[j] in ')]':
            d -= 1
            if d == 0:
                return j
    return -1


def unparen(s):
    while s.startswith('(') and close_of(s, 0) == len(s) - 1:
        s = s[1:-1]
    return s


def is_hmm(fn, s):
    """s (normalized) is an HMM PFN in function fn."""
    s = unparen(s)
    if re.match(r'^.*(->|\.)hmm_pfns\[[^]]*\]$', s):
        return True
    m = re.match(r'^(\w+)\[[^]]*\]$', s)
    if m:
        return (fn, m.group(1)) in F['arr']
    return re.match(r'^\w+$', s) is not None and (fn, s) in F['val']


def note_decode(fn, a):
    a = unparen(norm(a))
    m = re.match(r'^(\w+)\[[^]]*\]$', a)
    if m:
        F['arr'].add((fn, m.group(1)))
    elif re.match(r'^\w+$', a):
        F['val'].add((fn, a))


def note_assign(fn, x, e):
    x, e = norm(x), unparen(norm(e))
    if not re.match(r'^\w+$', x):
        return
    if re.match(r'^.*(->|\.)hmm_pfns$', e):
        F['arr'].add((fn, x))
    elif is_hmm(fn, e):
        F['val'].add((fn, x))


def possible(fn):
    return F.get('owner') or fn in F.get('devfn', ())


def terms(s):
    """(sign, text) of a sum at the top level, or None."""
    out, cur, sign, d, i = [], '', 1, 0, 0
    while i < len(s):
        c = s[i]
        if c in '([':
            d += 1
        elif c in ')]':
            d -= 1
        if s.startswith('->', i):
            cur += '->'
            i += 2
            continue
        if d == 0 and c in '+-':
            if s.startswith('++', i) or s.startswith('--', i):
                return None
            if cur:
                out.append((sign, cur))
                cur = ''
            sign = 1 if c == '+' else -1
            i += 1
            continue
        if d == 0 and c in '<>|&^*/%?=!':
            return None
        cur += c
        i += 1
    if cur:
        out.append((sign, cur))
    return out


def shifted(fn, t):
    """The HMM PFN of a term 'hmm_pfn << PAGE_SHIFT' or PFN_PHYS(hmm_pfn)."""
    t = unparen(t)
    m = re.match(r'^PFN_PHYS\((.*)\)$', t)
    if m and close_of(t, 8) == len(t) - 1 and is_hmm(fn, m.group(1)):
        return m.group(1)
    if t.endswith('<<PAGE_SHIFT'):
        h = t[:-len('<<PAGE_SHIFT')]
        if is_hmm(fn, h):
            return h
    return None


def device_address(fn, e):
    """The HMM PFN, if e is its address plus other terms minus a pagemap's
    start, last (the page's offset in its pagemap plus a base), else None."""
    ts = terms(unparen(norm(e)))
    if not ts or len(ts) < 2:
        return None
    hs = [t for sg, t in ts if sg > 0 and shifted(fn, t)]
    ss = [t for sg, t in ts if sg < 0 and re.match(r'^.*(->|\.)range\.start$', unparen(t))]
    if len(hs) != 1 or len(ss) != 1 or unparen(ts[-1][1]) != unparen(ss[0]):
        return None
    F['addr'].add((fn, shifted(fn, hs[0])))
    return shifted(fn, hs[0])


def say(p, msg, org):
    msg = 'devmem_hmm_pfn: in %s(): %s' % (p[0].current_element, msg)
    if org:
        coccilib.org.print_todo(p[0], msg)
    else:
        coccilib.report.print_report(p[0], msg)


RAW = ("the bits of an HMM PFN used as a PFN: a device-private page's entry "
       "holds its device index there (HMM_PFN_DEVICE_PRIVATE); take the page "
       "with hmm_pfn_to_page(), then pgmap_page_offset(page) for a device "
       "page or page_to_phys(page) for a system page")
ADDR = ("a device address made from the HMM PFN: a device-private page's "
        "entry holds its device index, not a PFN; use "
        "pgmap_page_offset(hmm_pfn_to_page(hmm_pfn)) << PAGE_SHIFT")
TOPAGE = ("pfn_to_page() of an HMM PFN's bits: a device-private page's "
          "entry holds its device index; use hmm_pfn_to_page(hmm_pfn)")

// Only a file that decodes HMM PFNs or reads a range's array is looked
// at (and spatch --use-coccigrep skips the others unparsed).
@hmmfile@
expression E, A;
position p;
@@
(
  hmm_pfn_to_page@p(A)
|
  hmm_pfn_to_map_order@p(A)
|
  E->hmm_pfns
|
  E.hmm_pfns
)

@script:python@
a << hmmfile.A;
p << hmmfile.p;
@@
start(p)
note_decode(p[0].current_element, a)

@owner depends on hmmfile@
expression R, E;
position p;
@@
(
  R->dev_private_owner@p = E
|
  R.dev_private_owner@p = E
|
  E.type@p = MEMORY_DEVICE_PRIVATE
|
  E->type@p = MEMORY_DEVICE_PRIVATE
)

@script:python@
e << owner.E;
p << owner.p;
@@
start(p)
if norm(e) not in ('NULL', '0'):
    F['owner'] = True

@owner_init depends on hmmfile@
identifier I;
expression E;
position p;
@@
struct hmm_range I@p = { ..., .dev_private_owner = E, ... };

@script:python@
e << owner_init.E;
p << owner_init.p;
@@
start(p)
if norm(e) not in ('NULL', '0'):
    F['owner'] = True

// A function that tests a page for device memory, where it also decodes
// HMM PFNs.
@devtest depends on hmmfile@
expression P;
position p;
@@
(
  is_zone_device_page@p(P)
|
  is_device_private_page@p(P)
|
  folio_is_zone_device@p(P)
|
  folio_is_device_private@p(P)
)

@script:python@
p << devtest.p;
@@
start(p)
F['devfn'].add(p[0].current_element)

@assign_1 depends on hmmfile@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_1.X;
e << assign_1.E;
p << assign_1.p;
@@
start(p)
note_assign(p[0].current_element, x, e)

@decl_1 depends on hmmfile@
type T;
identifier X;
expression E;
position p;
@@
T X@p = E;

@script:python@
x << decl_1.X;
e << decl_1.E;
p << decl_1.p;
@@
start(p)
note_assign(p[0].current_element, x, e)

@assign_2 depends on hmmfile@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_2.X;
e << assign_2.E;
p << assign_2.p;
@@
note_assign(p[0].current_element, x, e)

// The sites, on the driver's text as written.  No script here drops a
// match (a rule whose matches a script drops all takes with it what later
// rules' "depends on" saw); each records what it found, by position, and
// the modes below act on the records, in one rule each, before any
// transformation changes a position.

// pfn_to_page() of the masked bits: hmm_pfn_to_page() is that, for every page.
@topage depends on hmmfile@
expression H;
position p;
@@
pfn_to_page@p(H & ~HMM_PFN_FLAGS)

@script:python@
h << topage.H;
p << topage.p;
@@
if F and possible(p[0].current_element) and is_hmm(p[0].current_element, norm(h)):
    cover(p, True)
    site(p, TOPAGE, 'topage')

// A device address: the page's offset in its pagemap, plus a base, made
// as the HMM PFN's address minus the pagemap's start.  The address term
// becomes the offset's, and the start goes; the rest keeps its layout.
@addr depends on hmmfile@
expression X, E;
position p;
@@
X = E@p

@script:python@
e << addr.E;
p << addr.p;
@@
fn = p[0].current_element
if F and possible(fn) and device_address(fn, e):
    cover(p)
    site(p, ADDR, 'addr')

@addr_term depends on hmmfile@
expression H;
position p;
@@
(
  H << PAGE_SHIFT@p
|
  PFN_PHYS@p(H)
)

@script:python@
h << addr_term.H;
p << addr_term.p;
@@
if F and (p[0].current_element, norm(h)) in F['addr'] and covered(p):
    site(p, None, 'addr_term')

// Any other raw use of the PFN bits.
@raw depends on hmmfile@
expression H;
position p;
@@
(
  H << PAGE_SHIFT@p
|
  PFN_PHYS@p(H)
|
  H & ~HMM_PFN_FLAGS@p
)

@script:python@
h << raw.H;
p << raw.p;
@@
if (F and possible(p[0].current_element) and is_hmm(p[0].current_element, norm(h))
        and not covered(p)):
    site(p, RAW, 'raw')

@depends on patch && hmmfile@
expression H;
position p : script:python () { is_site(p, K_TOPAGE) };
position t : script:python () { is_site(t, K_ADDR_TERM) };
@@
(
- pfn_to_page@p(H & ~HMM_PFN_FLAGS)
+ hmm_pfn_to_page(H)
|
- H << PAGE_SHIFT@t
+ pgmap_page_offset(hmm_pfn_to_page(H)) << PAGE_SHIFT
|
- PFN_PHYS@t(H)
+ PFN_PHYS(pgmap_page_offset(hmm_pfn_to_page(H)))
)

@depends on context && hmmfile@
expression H, E;
position p : script:python () { is_site(p, K_TOPAGE) };
position a : script:python () { is_site(a, K_ADDR) };
position r : script:python () { is_site(r, K_RAW) };
@@
(
* pfn_to_page@p(H & ~HMM_PFN_FLAGS)
|
* E@a
|
* H << PAGE_SHIFT@r
|
* PFN_PHYS@r(H)
|
* H & ~HMM_PFN_FLAGS@r
)

@script:python depends on report && hmmfile@
@@
for p, msg in SAID:
    say(p, msg, False)

@script:python depends on org && hmmfile@
@@
for p, msg in SAID:
    say(p, msg, True)

// The pagemap start that the rewritten address term made redundant: on the
// text as rewritten above, so it is found by the new term, not by position.
@addr_drop depends on patch && hmmfile@
expression E, R;
position p;
@@
(
  E - R.range.start@p
|
  E - R->range.start@p
)

@script:python@
e << addr_drop.E;
p << addr_drop.p;
@@
fn = p[0].current_element
if not (F and any(('pgmap_page_offset(hmm_pfn_to_page(%s))' % h) in norm(e)
                  for f, h in F['addr'] if f == fn)):
    cocci.include_match(False)

@depends on patch@
expression addr_drop.E, addr_drop.R;
position addr_drop.p;
@@
(
  E
- - R.range.start@p
|
  E
- - R->range.start@p
)
