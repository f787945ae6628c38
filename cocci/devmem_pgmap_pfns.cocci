// SPDX-License-Identifier: GPL-2.0-only
/// A device-private page has no PFN: in 6.12 a driver names its device
/// pages by the fake PFNs of the physical range it reserved, and keeps
/// such PFNs in fields, locals, loop variables and return values of its
/// helpers.  This rule follows those values through a file: from the
/// reserved resource (PHYS_PFN(res->start), res->start >> PAGE_SHIFT,
/// PHYS_PFN(res->end + 1)) and a private pagemap's range start stored in a
/// variable, and from page_to_pfn() of a page known to be device-private
/// (a pagemap callback's page, a source of a device-to-RAM migration, a
/// page made from a device PFN, a page stored where such pages are, or a
/// page whose PFN is compared with or subtracted from a device PFN).
///
/// In patch mode every such value becomes the device index of the page it
/// named: the first PFN of the registration becomes
/// devmem_index_val(devmem_first_index(pgmap)), its end adds
/// devmem_nr_pages(pgmap), page_to_pfn() becomes
/// devmem_index_val(devmem_page_to_index(page)), and the sinks
/// pfn_to_page(), pfn_folio(), migrate_pfn() and migrate_device_range()
/// take an index.  Indices of one registration are contiguous like the
/// PFNs were, so the driver's arithmetic keeps its meaning.  A value of
/// the resource used before the pagemap is registered is only reported:
/// the index is not known there.  devmem_register.cocci, run after this
/// rule, then finds the resource with no other use and converts the
/// registration.
///
/// The file is followed, and reported, where it builds a device-private
/// pagemap or hands out device pages (zone_device_page_init()) without
/// building one, as a helper library shared by drivers does.  Report mode
/// also names where a device PFN is packed with flag bits into driver
/// state, read back from it, handed to a function that keeps it, or
/// printed; a page_to_pfn() printed by a warning that fires on a device
/// page; and distances between pages by PFN where they may be device
/// pages.  A migration destination filled outside the file (by a driver
/// callback) is reported, and the file is not rewritten.
//
// Confidence: Moderate
// Copyright: (C) 2026 The devmem developers.
// Options: --no-includes --include-headers
// Scope: mm lib drivers/gpu/drm arch/powerpc/kvm

virtual patch
virtual context
virtual org
virtual report

@private_type@
expression E;
position p;
@@
(
  E.type@p = MEMORY_DEVICE_PRIVATE
|
  E->type@p = MEMORY_DEVICE_PRIVATE
)

@initialize:python@
@@
import os
import re

# Facts per file: spatch -j runs many files through one interpreter.
FACTS = {}
CURRENT = None
# Seeds of the reserved range taken before the registration.
LATE = set()
# Seeds made from a device address.
ADDRESS = set()
# Pagemap starts stored in a variable.
PGSEED = set()


def active(p):
    """In a file with a device-private pagemap: the one start_file() saw,
    or the copy of it that spatch parses after a transformation (only such
    files are transformed).  In any other file the facts are stale."""
    f = p[0].file
    return CURRENT is not None and (
        f == CURRENT or os.path.basename(f).startswith('cocci_small_output'))


def start_file(p):
    """The facts of the file being processed start empty.  Rules run file
    by file, and a rule after a transformation sees a temporary copy of the
    file, so facts are kept for the current file, not by name."""
    global CURRENT
    CURRENT = p[0].file
    FACTS.clear()
    SITES.clear()
    LATE.clear()
    ADDRESS.clear()
    PGSEED.clear()
    facts(p)


def facts(p):
    f = CURRENT
    if f not in FACTS:
        FACTS[f] = {
            'pfn_loc': set(), 'pfn_fld': set(), 'pfn_fn': set(), 'pfn_arr': set(),
            'pfn_glob': set(), 'pg_loc': set(), 'pg_fld': set(), 'pg_fn': set(),
            'pg_glob': set(), 'locals': set(), 'globals': set(), 'params': {}, 'devparam': set(),
            'unrewritable': False, 'pfn_arrfld': set(), 'addr_loc': set(),
            'addr_glob': set(), 'addr_fld': set(), 'pgaddr': {},
            'res': set(), 'res_pgmap': {}, 'reg_line': {},
            'priv': set(), 'other': set(), 'mtr': set(),
            'devsrc': set(), 'syssrc': set(), 'src': set(),
            'packed': set(), 'outparam': set(), 'storeparam': set(), 'indexed': False,
            'dst': set(), 'dstsink': set(),
        }
    return FACTS[f]


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


def top_level(s, ops):
    """Positions of the operators in ops outside parentheses."""
    d, out, i = 0, [], 0
    while i < len(s):
        c = s[i]
        if c in '([':
            d += 1
        elif c in ')]':
            d -= 1
        elif d == 0 and s.startswith('->', i):
            i += 1
        elif d == 0:
            for op in ops:
                if s.startswith(op, i):
                    out.append((i, op))
                    i += len(op) - 1
                    break
        i += 1
    return out


def additive(s):
    """(sign, term) of a sum; None if s is not a plain sum."""
    if top_level(s, ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '?', '<', '>', '|', '^', '*', '/', '%', '=']):
        return None
    terms, cur, sign, d, i = [], '', 1, 0, 0
    while i < len(s):
        c = s[i]
        if c in '([':
            d += 1
        elif c in ')]':
            d -= 1
        if d == 0 and c in '+-':
            nxt = s[i + 1] if i + 1 < len(s) else ''
            if c == '-' and nxt == '>':
                cur += '->'
                i += 2
                continue
            if nxt == c:  # ++ or --
                i += 2
                continue
            if cur == '':
                sign = -sign if c == '-' else sign
            else:
                terms.append((sign, cur))
                cur, sign = '', (1 if c == '+' else -1)
            i += 1
            continue
        cur += c
        i += 1
    if cur:
        terms.append((sign, cur))
    return terms


def call(s):
    """(name, argument text) of 'name(arg)', else None."""
    m = re.match(r'^(\w+)\(', s)
    if m and close_of(s, len(m.group(1))) == len(s) - 1:
        return m.group(1), s[len(m.group(1)) + 1:-1]
    return None


def field(s):
    m = re.match(r'^(.*?)(->|\.)(\w+)$', s)
    if m and not call(s):
        return m.group(3)
    return None


def base_name(s):
    s = unparen(s).lstrip('&*')
    m = re.match(r'^(\w+)', s)
    return m.group(1) if m else None


def res_seed(F, fn, s):
    """'first', 'last' or 'limit' for a PFN made from the reserved resource."""
    s = unparen(s)
    c = call(s)
    inner = None
    if c and c[0] in ('PHYS_PFN', 'PFN_DOWN'):
        inner = unparen(c[1])
    else:
        sh = top_level(s, ['>>'])
        if len(sh) == 1 and s[sh[0][0] + 2:] == 'PAGE_SHIFT':
            inner = unparen(s[:sh[0][0]])
    if inner is None:
        return None
    m = re.match(r'^(\w+)->(start|end)(\+1)?$', inner)
    if m and (fn, m.group(1)) in F['res']:
        if m.group(2) == 'start' and not m.group(3):
            return 'first'
        if m.group(2) == 'end':
            return 'limit' if m.group(3) else 'last'
    m = re.match(r'^(.*)(\.|->)range\.start$', inner)
    if m and pgmap_key(m.group(1)) in F['priv']:
        return 'pgmap'
    # Any other device address made a PFN: (off + pgmap.range.start) >>
    # PAGE_SHIFT, PHYS_PFN(off + base) with base such an address.
    if devaddr(F, fn, inner) == 1:
        return 'address'
    return None


def pgmap_key(p):
    """A pagemap by its variable or field name: 'chunk->pagemap' and
    'devmem->pagemap' are the same field of the driver's chunks."""
    return re.split(r'->|\.', p.lstrip('&'))[-1]


def mixed(F):
    """The file's private pagemaps may be of another type too."""
    return bool(F['priv'] & F['other'])


def devaddr(F, fn, s):
    """How many device physical addresses the value counts (1: it is one):
    a private pagemap's range start, the reserved resource's start, a
    variable that holds one, a device page's or PFN's address."""
    s = unparen(s)
    terms = additive(s)
    if terms is None:
        sh = top_level(s, ['<<'])
        if len(sh) == 1 and s[sh[0][0] + 2:] == 'PAGE_SHIFT':
            return devpfn(F, fn, s[:sh[0][0]])
        return 0
    if len(terms) > 1:
        return sum(sign * devaddr(F, fn, t) for sign, t in terms)
    t = unparen(terms[0][1])
    if t != s:
        return terms[0][0] * devaddr(F, fn, t)
    m = re.match(r'^(.*)(\.|->)range\.start$', s)
    if m and pgmap_key(m.group(1)) in F['priv']:
        return 1
    m = re.match(r'^(\w+)->start$', s)
    if m and (fn, m.group(1)) in F['res']:
        return 1
    if re.match(r'^\w+$', s):
        return 1 if named(F, fn, s, 'addr') else 0
    c = call(s)
    if c:
        if c[0] == 'page_to_phys':
            return 1 if devpage(F, fn, c[1]) else 0
        if c[0] == 'PFN_PHYS':
            return devpfn(F, fn, c[1])
        return 0
    f = field(s)
    return 1 if f and f in F['addr_fld'] else 0


def packed(F, s):
    """A device PFN kept with flag bits in a field: 'p->pfns[i]' where
    p->pfns[j] = pfn | flag stores one."""
    m = re.match(r'^(.*)(->|\.)(\w+)(\[[^]]*\])?$', unparen(s))
    return bool(m and not call(unparen(s)) and m.group(3) in F['packed'])


def unpacked(F, s):
    """'state & MASK' with state a field that packs device PFNs."""
    ands = [o for o in top_level(s, ['&&', '&']) if o[1] == '&']
    if len(ands) != 1 or top_level(s, ['&&', '|', '||']):
        return False
    i = ands[0][0]
    return packed(F, s[:i]) or packed(F, s[i + 1:])


def packing(F, fn, s):
    """The device PFN operand of 'pfn | flag', or None."""
    ors = [o for o in top_level(s, ['||', '|']) if o[1] == '|']
    if len(ors) != 1:
        return None
    i = ors[0][0]
    for x in (s[:i], s[i + 1:]):
        if devpfn(F, fn, x) == 1:
            return unparen(x)
    return None


def devpfn(F, fn, s):
    """How many device PFNs the value counts (1: it is one)."""
    s = unparen(s)
    if unpacked(F, s):
        return 1
    terms = additive(s)
    if terms is None:
        return 1 if res_seed(F, fn, s) else 0
    if len(terms) > 1:
        return sum(sign * devpfn(F, fn, t) for sign, t in terms)
    t = unparen(terms[0][1])
    if t != s:
        return terms[0][0] * devpfn(F, fn, t)
    if res_seed(F, fn, s):
        return 1
    if re.match(r'^\w+$', s):
        return 1 if named(F, fn, s, 'pfn') else 0
    m = re.match(r'^(\w+)\[.*\]$', s)
    if m:
        return 1 if ((fn, m.group(1)) in F['pfn_arr'] or
                     named(F, fn, m.group(1), 'arr')) else 0
    m = re.match(r'^(.*)(->|\.)(\w+)\[[^]]*\]$', s)
    if m and not call(s):
        return 1 if (fn, m.group(3)) in F['pfn_arrfld'] else 0
    c = call(s)
    if c:
        if c[0] in ('page_to_pfn', 'folio_pfn'):
            return 1 if devpage(F, fn, c[1]) else 0
        if c[0] == 'devmem_index_val':
            return 1
        return 1 if c[0] in F['pfn_fn'] else 0
    f = field(s)
    return 1 if f and f in F['pfn_fld'] else 0


def devpage(F, fn, s):
    s = unparen(s)
    if re.match(r'^\w+$', s):
        return named(F, fn, s, 'pg')
    c = call(s)
    if c:
        if c[0] in ('pfn_to_page', 'pfn_folio'):
            return devpfn(F, fn, c[1]) == 1
        if c[0] in ('devmem_index_to_page', 'page_folio', 'folio_page'):
            return c[0] == 'devmem_index_to_page' or devpage(F, fn, c[1].split(',')[0])
        if c[0] == 'migrate_pfn_to_page':
            return (fn in F['devsrc'] and fn not in F['syssrc'] and
                    (fn, base_name(c[1])) in F['src'])
        return c[0] in F['pg_fn']
    if fn in F['mtr'] and re.match(r'^\w+->page$', s):
        return True
    f = field(s)
    return bool(f and f in F['pg_fld'])


def dstpfn(F, fn, s):
    """An element of the destination array of a migration to device memory
    (a function that selects system pages): the driver filled it with the
    device PFNs of the pages it allocated, here or through a callback."""
    if fn not in F['syssrc'] or fn in F['devsrc']:
        return False
    s = unparen(s)
    if re.match(r'^.*(->|\.)dst\[[^]]*\]$', s) and not call(s):
        return True
    m = re.match(r'^(\w+)\[[^]]*\]$', s)
    return bool(m and (fn, m.group(1)) in F['dst'])


def note_dst_sink(p, d):
    """A sink of a destination element that no source of the file explains:
    the PFNs come from elsewhere, so the file is reported, not rewritten."""
    F, fn = facts(p), p[0].current_element
    d = norm(d)
    if devpfn(F, fn, d) != 1 and dstpfn(F, fn, d):
        F['dstsink'].add((p[0].line, p[0].column))
        F['unrewritable'] = True


def sink(p, d):
    """A PFN given to pfn_to_page(), pfn_folio(), migrate_pfn() names a
    device page."""
    if not active(p):
        return False
    F, fn = facts(p), p[0].current_element
    return devpfn(F, fn, norm(d)) == 1 or (p[0].line, p[0].column) in F['dstsink']


def named(F, fn, name, kind):
    """A local, parameter or file-scope variable that holds one."""
    params = F['params'].get(fn, [])
    if name in params and (fn, params.index(name), kind) in F['devparam']:
        return True
    if kind == 'arr':
        return False
    if (fn, name) in F['locals']:
        return (fn, name) in F[kind + '_loc']
    return name in F[kind + '_glob']


def split_args(s):
    out, d, cur = [], 0, ''
    for c in s:
        if c in '([':
            d += 1
        elif c in ')]':
            d -= 1
        if c == ',' and d == 0:
            out.append(cur)
            cur = ''
        else:
            cur += c
    if cur:
        out.append(cur)
    return out


def note_call(p, g, args):
    """Arguments that are device PFNs or pages make the callee's parameters so."""
    F, fn = facts(p), p[0].current_element
    mine = F['params'].get(fn, [])
    for i, a in enumerate(split_args(norm(args))):
        if devpfn(F, fn, a) == 1:
            F['devparam'].add((g, i, 'pfn'))
        # The callee stores a device PFN through a pointer argument.
        m = re.match(r'^&(\w+)$', a)
        if m and (g, i) in F['outparam']:
            mark(F, fn, m.group(1), 'pfn')
        # A parameter handed on to a function that keeps it.
        if a in mine and (g, i) in F['storeparam']:
            F['storeparam'].add((fn, mine.index(a)))
        if not re.match(r'^\w+$', a):
            continue
        if (fn, a) in F['pfn_arr'] or named(F, fn, a, 'arr'):
            F['devparam'].add((g, i, 'arr'))
        # The callee fills the array with device PFNs: so does the caller array.
        params = F['params'].get(g, [])
        if i < len(params) and (g, params[i]) in F['pfn_arr']:
            F['pfn_arr'].add((fn, a))
        if devpage(F, fn, a):
            F['devparam'].add((g, i, 'pg'))


def note_params(p, fn, params):
    names = []
    for prm in split_args(params):
        m = re.search(r'(\w+)\s*(\[[^]]*\])?\s*$', prm)
        names.append(m.group(1) if m else '')
    facts(p)['params'][fn] = names


def mark(F, fn, x, kind):
    x = unparen(x)
    params = F['params'].get(fn, [])
    m = re.match(r'^\*(\w+)$', x)
    if m and kind == 'pfn' and m.group(1) in params:
        F['outparam'].add((fn, params.index(m.group(1))))
        return
    if re.match(r'^\w+$', x):
        if (fn, x) in F['locals']:
            F[kind + '_loc'].add((fn, x))
        elif x in F['globals']:
            F[kind + '_glob'].add(x)
        return
    m = re.match(r'^(\w+)\[.*\]$', x)
    if m and kind == 'pfn':
        F['pfn_arr'].add((fn, m.group(1)))
        return
    # An array in a structure (migrate->dst[i]): in this function only, as
    # the same field holds migrate PFNs elsewhere.
    m = re.match(r'^(.*)(->|\.)(\w+)\[[^]]*\]$', x)
    if m and kind == 'pfn':
        F['pfn_arrfld'].add((fn, m.group(3)))
        return
    f = field(x)
    if f:
        F[kind + '_fld'].add(f)


def note_assign(p, x, e):
    F, fn = facts(p), p[0].current_element
    x, e = norm(x), norm(e)
    if devpfn(F, fn, e) == 1:
        mark(F, fn, x, 'pfn')
    d = packing(F, fn, e) if field(re.sub(r'\[[^]]*\]$', '', x)) else None
    if d:
        F['packed'].add(field(re.sub(r'\[[^]]*\]$', '', x)))
        params = F['params'].get(fn, [])
        if d in params:
            F['storeparam'].add((fn, params.index(d)))
    if devpage(F, fn, e):
        mark(F, fn, x, 'pg')
    if devaddr(F, fn, e) == 1 and not re.search(r'\.range\.(start|end)$', x):
        mark(F, fn, x, 'addr')
    page = page_address_of(e)
    if page and re.match(r'^\w+$', x):
        F['pgaddr'][(fn, x)] = page
    c = call(e)
    if c and c[0] in ('request_free_mem_region', 'devm_request_free_mem_region'):
        F['res'].add((fn, x))
    if c and c[0] in ('memremap_pages', 'devm_memremap_pages', 'devmem_register',
                      'devm_devmem_register', 'devmem_register_populated',
                      'devm_devmem_register_populated'):
        F['reg_line'][fn] = int(p[0].line)
    m = re.match(r'^(.*)(\.|->)range\.start$', x)
    r = re.match(r'^(\w+)->start$', e)
    if m and r and (fn, r.group(1)) in F['res']:
        F['res_pgmap'][(fn, r.group(1))] = m.group(1) if m.group(2) == '->' else '&' + m.group(1)
    m = re.match(r'^(.*)(\.|->)type$', x)
    if m and e == 'MEMORY_DEVICE_PRIVATE':
        F['priv'].add(pgmap_key(m.group(1)))
    elif m and e.startswith('MEMORY_DEVICE_'):
        F['other'].add(pgmap_key(m.group(1)))
    if re.search(r'(\.|->)src$', x):
        F['src'].add((fn, base_name(e)))
    if re.search(r'(\.|->)dst$', x):
        F['dst'].add((fn, base_name(e)))


def note_return(p, e):
    F, fn = facts(p), p[0].current_element
    e = norm(e)
    if devpfn(F, fn, e) == 1:
        F['pfn_fn'].add(fn)
    if devpage(F, fn, e):
        F['pg_fn'].add(fn)


def note_arith(p, page, other):
    F, fn = facts(p), p[0].current_element
    if devpfn(F, fn, norm(other)) == 1:
        mark(F, fn, norm(page), 'pg')


def page_address_of(e):
    """The page whose physical address e is, if it is written as one."""
    e = unparen(e)
    sh = top_level(e, ['<<'])
    if len(sh) == 1 and e[sh[0][0] + 2:] == 'PAGE_SHIFT':
        c = call(unparen(e[:sh[0][0]]))
        if c and c[0] == 'page_to_pfn':
            return c[1]
    c = call(e)
    if c and c[0] == 'page_to_phys':
        return c[1]
    if c and c[0] == 'PFN_PHYS':
        c = call(unparen(c[1]))
        if c and c[0] == 'page_to_pfn':
            return c[1]
    return None


def note_addr_arith(p, a, b):
    """A page's address offset from a device address: the page is a device
    page, and the arithmetic cannot be rewritten (the address stays)."""
    F, fn = facts(p), p[0].current_element
    a, b = norm(a), norm(b)
    for x, y in ((a, b), (b, a)):
        page = page_address_of(x) or F['pgaddr'].get((fn, x))
        if page and devaddr(F, fn, y) == 1:
            mark(F, fn, page, 'pg')
            F['unrewritable'] = True


def pgmap_expr(F, fn, s):
    """The pagemap argument for the registration a seed belongs to."""
    s = unparen(s)
    c = call(s)
    inner = unparen(c[1]) if c else unparen(s[:top_level(s, ['>>'])[0][0]])
    m = re.match(r'^(\w+)->(start|end)', inner)
    if m:
        return F['res_pgmap'].get((fn, m.group(1)))
    m = re.match(r'^(.*)(\.|->)range\.start$', inner)
    return m.group(1) if m.group(2) == '->' else '&' + m.group(1)


def seed_ok(p, s):
    """A seed can be rewritten: its pagemap is known and registered by then."""
    F, fn = facts(p), p[0].current_element
    kind = res_seed(F, fn, s)
    if kind is None or kind == 'address':
        return False
    if kind == 'pgmap':
        # Outside the registering function, or after the registration.
        return fn not in F['reg_line'] or int(p[0].line) > F['reg_line'][fn]
    return (pgmap_expr(F, fn, s) is not None and fn in F['reg_line'] and
            int(p[0].line) > F['reg_line'][fn])


def seed_text(p, s):
    F, fn = facts(p), p[0].current_element
    s = norm(s)
    pg = pgmap_expr(F, fn, s)
    first = 'devmem_index_val(devmem_first_index(%s))' % pg
    kind = res_seed(F, fn, s)
    if kind == 'limit':
        return '%s + devmem_nr_pages(%s)' % (first, pg)
    if kind == 'last':
        return '%s + devmem_nr_pages(%s) - 1' % (first, pg)
    return first


def seed_kind(p, e):
    if not active(p):
        return None
    F, fn = facts(p), p[0].current_element
    kind = res_seed(F, fn, "PHYS_PFN(%s)" % norm(e))
    if kind == 'pgmap' and (p[0].line, p[0].column) not in PGSEED:
        return None
    if kind == 'address':
        F['unrewritable'] = True
    return kind


def seed_msg(p):
    fn = p[0].current_element
    if (p[0].line, p[0].column) in ADDRESS:
        return ("devmem_pgmap_pfns: in %s(): a PFN made from a device physical address: a "
                "device-private pagemap has neither; name the page by its device index "
                "(devmem_first_index(pgmap) + page number) (this file is reported, not "
                "rewritten)" % fn)
    if (p[0].line, p[0].column) in LATE:
        return ("devmem_pgmap_pfns: in %s(): a PFN of the device-private range taken before "
                "the pagemap is registered: its device index is known only after "
                "devmem_register(); move this after it and use devmem_first_index(pgmap) "
                "(this file is not rewritten until then)" % fn)
    return ("devmem_pgmap_pfns: in %s(): a PFN of the reserved range or of the pagemap's "
            "start: a device-private pagemap has none; use devmem_first_index(pgmap) "
            "(and devmem_nr_pages(pgmap))" % fn)


def consistent(p):
    """Rewrite only where every source of device PFNs can be rewritten: none
    is taken before the registration, none is a device address turned into
    a PFN, none comes from outside the file (a migration destination a
    callback fills), and no pagemap of the file may also be of another type."""
    return active(p) and not LATE and not facts(p)['unrewritable'] and not mixed(facts(p))


SITES = {}


def site_at(p):
    return (p[0].line, p[0].column) in SITES

PFNDIFF = ("devmem_pgmap_pfns: in %s(): a distance between pages by PFN: if they can be "
           "device-private pages, they have none; take a page's place in its folio with "
           "folio_page_idx(folio, page), or subtract devmem_page_to_index() of two device pages")
PRINT = re.compile(r'^(pr_\w+|printk\w*|dev_(err|warn|info|notice|dbg|crit|alert|emerg|vdbg)\w*|'
                   r'drm_(err|warn|info|dbg|notice)\w*|DRM_\w+|WARN\w*|seq_printf|trace_printk)$')


def state_site(p, x, e):
    """What a store or a read of driver state does with a device PFN."""
    if not active(p) or facts(p)['indexed']:
        return None
    F, fn = facts(p), p[0].current_element
    x, e = norm(x), norm(e)
    fld = field(re.sub(r'\[[^]]*\]$', '', x))
    if fld and packing(F, fn, e):
        return ("devmem_pgmap_pfns: in %s(): a device PFN kept with flag bits in ->%s: "
                "a converted driver keeps the page's device index there "
                "(devmem_page_to_index()), which fits where the PFN did" % (fn, fld))
    if unpacked(F, e):
        return ("devmem_pgmap_pfns: in %s(): a device PFN read back from driver state: "
                "in a converted driver it is a device index; name the page with "
                "devmem_index_to_page()" % fn)
    return None


def call_site(p, g, args):
    """A device PFN passed to a function that keeps it, or printed."""
    if not active(p):
        return None
    F, fn = facts(p), p[0].current_element
    mine = F['params'].get(fn, [])
    for i, a in enumerate(split_args(norm(args))):
        if F['indexed'] or devpfn(F, fn, a) != 1:
            continue
        if (g, i) in F['storeparam'] and a not in mine:
            return ("devmem_pgmap_pfns: in %s(): passes a device PFN to %s(), which keeps it "
                    "in driver state: pass the page's device index (devmem_page_to_index())"
                    % (fn, g))
        c = call(unparen(a))
        if PRINT.match(g) and not (c and c[0] == 'page_to_pfn'):
            return ("devmem_pgmap_pfns: in %s(): prints a device PFN: a device-private page "
                    "has none; print its device index (devmem_page_to_index()), which a "
                    "converted driver holds here" % fn)
    if g.startswith('WARN'):
        al = split_args(norm(args))
        cond = al[0] if al else ''
        for m in re.finditer(r'(!?)(is_zone_device_page|is_device_private_page)\((\w+)\)', cond):
            if not m.group(1) and any('page_to_pfn(%s)' % m.group(3) in a for a in al[1:]):
                return ("devmem_pgmap_pfns: in %s(): prints page_to_pfn() of a page it found to "
                        "be a device page: a device-private page has no PFN; print "
                        "devmem_page_to_index(page) for one" % fn)
    return None


def say(p, msg, org):
    if active(p) and mixed(facts(p)):
        msg += " (if this pagemap is MEMORY_DEVICE_PRIVATE: the file builds other types too, and is not rewritten)"
    if org:
        coccilib.org.print_todo(p[0], msg)
    else:
        coccilib.report.print_report(p[0], msg)


@script:python@
p << private_type.p;
@@
if CURRENT != p[0].file:
    start_file(p)

// A file that hands out device-private pages without building the
// pagemap (a helper library shared by drivers, as drm_pagemap is).
@private_use@
expression E;
position p;
@@
zone_device_page_init@p(E)

@script:python@
p << private_use.p;
@@
if CURRENT != p[0].file:
    start_file(p)

// A file that names device pages by index already.
@indexed depends on private_type || private_use@
position p;
@@
(
  devmem_index_val@p(...)
|
  devmem_first_index@p(...)
|
  devmem_page_to_index@p(...)
)

@script:python@
p << indexed.p;
@@
facts(p)['indexed'] = True

// Locals and parameters, told apart from file-scope variables.
@local_var depends on private_type || private_use@
type T;
identifier X;
position p;
@@
(
  T X@p;
|
  T X@p = ...;
)

@script:python@
x << local_var.X;
p << local_var.p;
@@
if p[0].current_element == x:
    facts(p)['globals'].add(x)
else:
    facts(p)['locals'].add((p[0].current_element, x))

@param depends on private_type || private_use@
identifier fn, X;
type T;
position p;
@@
fn(..., T X@p, ...) { ... }

@script:python@
x << param.X;
p << param.p;
fn << param.fn;
@@
facts(p)['locals'].add((fn, x))

@params depends on private_type || private_use@
identifier fn;
parameter list ps;
position p;
@@
fn@p(ps) { ... }

@script:python@
fn << params.fn;
ps << params.ps;
p << params.p;
@@
note_params(p, fn, str(ps))

// Pagemap callbacks: page_free gets a device page, migrate_to_ram faults
// on one (vmf->page).
@ops_pf depends on private_type || private_use@
identifier I, PF;
@@
struct dev_pagemap_ops I = { ..., .page_free = PF, ... };

@ops_mtr depends on private_type || private_use@
identifier I, MTR;
@@
struct dev_pagemap_ops I = { ..., .migrate_to_ram = MTR, ... };

@pf_param depends on private_type || private_use@
identifier ops_pf.PF, P;
position p;
@@
PF@p(struct page *P) { ... }

@script:python@
P << pf_param.P;
p << pf_param.p;
@@
F = facts(p)
F['locals'].add((p[0].current_element, P))
F['pg_loc'].add((p[0].current_element, P))

@mtr_fn depends on private_type || private_use@
identifier ops_mtr.MTR;
position p;
@@
MTR@p(...) { ... }

@script:python@
p << mtr_fn.p;
@@
facts(p)['mtr'].add(p[0].current_element)

// Functions that migrate device pages back: their sources are device pages.
@devsrc depends on private_type || private_use@
position p;
@@
MIGRATE_VMA_SELECT_DEVICE_PRIVATE@p

@script:python@
p << devsrc.p;
@@
facts(p)['devsrc'].add(p[0].current_element)

@devsrc_range depends on private_type || private_use@
expression S;
position p;
@@
(
  migrate_device_range@p(S, ...)
|
  migrate_device_pfns@p(S, ...)
)

@script:python@
p << devsrc_range.p;
s << devsrc_range.S;
@@
F = facts(p)
F['devsrc'].add(p[0].current_element)
F['src'].add((p[0].current_element, base_name(norm(s))))

@syssrc depends on private_type || private_use@
position p;
@@
MIGRATE_VMA_SELECT_SYSTEM@p

@script:python@
p << syssrc.p;
@@
facts(p)['syssrc'].add(p[0].current_element)

@src_init depends on private_type || private_use@
identifier I;
expression S;
position p;
@@
struct migrate_vma I@p = { ..., .src = S, ... };

@script:python@
s << src_init.S;
p << src_init.p;
@@
facts(p)['src'].add((p[0].current_element, base_name(norm(s))))

@dst_init depends on private_type || private_use@
identifier I;
expression S;
position p;
@@
struct migrate_vma I@p = { ..., .dst = S, ... };

@script:python@
s << dst_init.S;
p << dst_init.p;
@@
facts(p)['dst'].add((p[0].current_element, base_name(norm(s))))

// Propagation, round 1 of 4: fields, helpers and locals set in one
// function and used in another need a round each.

@assign_1 depends on private_type || private_use@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_1.X;
e << assign_1.E;
p << assign_1.p;
@@
note_assign(p, x, e)

@decl_1 depends on private_type || private_use@
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
note_assign(p, x, e)

@ret_1 depends on private_type || private_use@
expression E;
position p;
@@
return@p E;

@script:python@
e << ret_1.E;
p << ret_1.p;
@@
note_return(p, e)

@call_1 depends on private_type || private_use@
identifier g;
expression list args;
position p;
@@
g@p(args)

@script:python@
g << call_1.g;
args << call_1.args;
p << call_1.p;
@@
note_call(p, g, str(args))

@addr_arith_1 depends on private_type || private_use@
expression A, B;
position p;
@@
  A -@p B

@script:python@
a << addr_arith_1.A;
b << addr_arith_1.B;
p << addr_arith_1.p;
@@
note_addr_arith(p, a, b)

@arith_1 depends on private_type || private_use@
expression P, D;
position p;
binary operator b = {-, <, <=, >, >=, ==, !=};
@@
(
  page_to_pfn@p(P) b D
|
  D b page_to_pfn@p(P)
)

@script:python@
P << arith_1.P;
D << arith_1.D;
p << arith_1.p;
@@
note_arith(p, P, D)

@assign_2 depends on private_type || private_use@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_2.X;
e << assign_2.E;
p << assign_2.p;
@@
note_assign(p, x, e)

@decl_2 depends on private_type || private_use@
type T;
identifier X;
expression E;
position p;
@@
T X@p = E;

@script:python@
x << decl_2.X;
e << decl_2.E;
p << decl_2.p;
@@
note_assign(p, x, e)

@ret_2 depends on private_type || private_use@
expression E;
position p;
@@
return@p E;

@script:python@
e << ret_2.E;
p << ret_2.p;
@@
note_return(p, e)

@call_2 depends on private_type || private_use@
identifier g;
expression list args;
position p;
@@
g@p(args)

@script:python@
g << call_2.g;
args << call_2.args;
p << call_2.p;
@@
note_call(p, g, str(args))

@addr_arith_2 depends on private_type || private_use@
expression A, B;
position p;
@@
  A -@p B

@script:python@
a << addr_arith_2.A;
b << addr_arith_2.B;
p << addr_arith_2.p;
@@
note_addr_arith(p, a, b)

@arith_2 depends on private_type || private_use@
expression P, D;
position p;
binary operator b = {-, <, <=, >, >=, ==, !=};
@@
(
  page_to_pfn@p(P) b D
|
  D b page_to_pfn@p(P)
)

@script:python@
P << arith_2.P;
D << arith_2.D;
p << arith_2.p;
@@
note_arith(p, P, D)

@assign_3 depends on private_type || private_use@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_3.X;
e << assign_3.E;
p << assign_3.p;
@@
note_assign(p, x, e)

@decl_3 depends on private_type || private_use@
type T;
identifier X;
expression E;
position p;
@@
T X@p = E;

@script:python@
x << decl_3.X;
e << decl_3.E;
p << decl_3.p;
@@
note_assign(p, x, e)

@ret_3 depends on private_type || private_use@
expression E;
position p;
@@
return@p E;

@script:python@
e << ret_3.E;
p << ret_3.p;
@@
note_return(p, e)

@call_3 depends on private_type || private_use@
identifier g;
expression list args;
position p;
@@
g@p(args)

@script:python@
g << call_3.g;
args << call_3.args;
p << call_3.p;
@@
note_call(p, g, str(args))

@addr_arith_3 depends on private_type || private_use@
expression A, B;
position p;
@@
  A -@p B

@script:python@
a << addr_arith_3.A;
b << addr_arith_3.B;
p << addr_arith_3.p;
@@
note_addr_arith(p, a, b)

@arith_3 depends on private_type || private_use@
expression P, D;
position p;
binary operator b = {-, <, <=, >, >=, ==, !=};
@@
(
  page_to_pfn@p(P) b D
|
  D b page_to_pfn@p(P)
)

@script:python@
P << arith_3.P;
D << arith_3.D;
p << arith_3.p;
@@
note_arith(p, P, D)

@assign_4 depends on private_type || private_use@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << assign_4.X;
e << assign_4.E;
p << assign_4.p;
@@
note_assign(p, x, e)

@decl_4 depends on private_type || private_use@
type T;
identifier X;
expression E;
position p;
@@
T X@p = E;

@script:python@
x << decl_4.X;
e << decl_4.E;
p << decl_4.p;
@@
note_assign(p, x, e)

@ret_4 depends on private_type || private_use@
expression E;
position p;
@@
return@p E;

@script:python@
e << ret_4.E;
p << ret_4.p;
@@
note_return(p, e)

@call_4 depends on private_type || private_use@
identifier g;
expression list args;
position p;
@@
g@p(args)

@script:python@
g << call_4.g;
args << call_4.args;
p << call_4.p;
@@
note_call(p, g, str(args))

@addr_arith_4 depends on private_type || private_use@
expression A, B;
position p;
@@
  A -@p B

@script:python@
a << addr_arith_4.A;
b << addr_arith_4.B;
p << addr_arith_4.p;
@@
note_addr_arith(p, a, b)

@arith_4 depends on private_type || private_use@
expression P, D;
position p;
binary operator b = {-, <, <=, >, >=, ==, !=};
@@
(
  page_to_pfn@p(P) b D
|
  D b page_to_pfn@p(P)
)

@script:python@
P << arith_4.P;
D << arith_4.D;
p << arith_4.p;
@@
note_arith(p, P, D)

// Where device PFNs are kept in driver state with flag bits, read back
// from it, handed to a function that keeps them, or printed.  There is
// nothing to rewrite at these places: once the sources and sinks are, they
// hold indices; but whoever converts a file by hand must know them.  In a
// file that names pages by device index already (converted), nothing is
// said.  A page printed by PFN after a test that found it to be a device
// page is reported in any file.
@state depends on private_type || private_use@
expression X, E;
position p;
@@
X@p = E

@script:python@
x << state.X;
e << state.E;
p << state.p;
@@
what = state_site(p, x, e)
if what is not None:
    SITES[(p[0].line, p[0].column)] = what

@script:python depends on report@
p << state.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], False)

@script:python depends on org@
p << state.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], True)

@depends on context@
expression state.X, state.E;
position state.p;
position q : script:python () { site_at(q) };
@@
* X@p@q = E

@keeper depends on private_type || private_use@
identifier g;
expression list args;
position p;
@@
g@p(args)

@script:python@
g << keeper.g;
args << keeper.args;
p << keeper.p;
@@
what = call_site(p, g, str(args))
if what is not None:
    SITES[(p[0].line, p[0].column)] = what

@script:python depends on report@
p << keeper.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], False)

@script:python depends on org@
p << keeper.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], True)

@depends on context@
identifier keeper.g;
position keeper.p;
position q : script:python () { site_at(q) };
@@
* g@p@q(...)

// The distance between two pages by PFN, neither known to be a device
// page (one that is has its page_to_pfn() reported above): in a file with
// device-private pagemaps it may be two device pages, and has no exact
// form here.
@pfndiff depends on private_type || private_use@
expression A, B;
position p;
@@
(
  folio_pfn@p(A) - folio_pfn(B)
|
  page_to_pfn@p(A) - page_to_pfn(B)
|
  folio_pfn@p(A) - page_to_pfn(B)
|
  page_to_pfn@p(A) - folio_pfn(B)
)

@script:python@
a << pfndiff.A;
b << pfndiff.B;
p << pfndiff.p;
@@
F, fn = facts(p) if active(p) else None, p[0].current_element
if not (F is None or F['indexed'] or devpage(F, fn, norm(a)) or devpage(F, fn, norm(b))):
    SITES[(p[0].line, p[0].column)] = PFNDIFF % fn

@script:python depends on report@
p << pfndiff.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], False)

@script:python depends on org@
p << pfndiff.p;
@@
if (p[0].line, p[0].column) in SITES:
    say(p, SITES[(p[0].line, p[0].column)], True)

@depends on context@
expression pfndiff.A, pfndiff.B;
position pfndiff.p;
position q : script:python () { site_at(q) };
@@
(
* folio_pfn@p@q(A) - folio_pfn(B)
|
* page_to_pfn@p@q(A) - page_to_pfn(B)
|
* folio_pfn@p@q(A) - page_to_pfn(B)
|
* page_to_pfn@p@q(A) - folio_pfn(B)
)

// Destination elements of a migration to device memory given to a sink.
@dstsink depends on private_type || private_use@
expression D;
position p;
@@
(
  pfn_to_page@p(D)
|
  pfn_folio@p(D)
|
  migrate_pfn@p(D)
)

@script:python@
d << dstsink.D;
p << dstsink.p;
@@
note_dst_sink(p, d)

// The sources.  A PFN of the reserved range is rewritten once the
// pagemap is registered (before it, the index is not known), and a private
// pagemap's first PFN where it is stored in a variable (where it is used
// directly, devmem_pgmap_offset.cocci and devmem_register.cocci convert
// it).  A file where any of them is taken too early is only reported: a
// partial conversion would mix PFNs and indices.  Positions are compared
// before any transformation: a transformed function is parsed again as a
// file of its own, with lines of its own.
@pgmap_seed depends on private_type || private_use@
expression X, E;
position p;
@@
(
  X = PHYS_PFN@p(E)
|
  X = PFN_DOWN@p(E)
|
  X = E >> PAGE_SHIFT@p
)

@script:python@
p << pgmap_seed.p;
@@
PGSEED.add((p[0].line, p[0].column))

@seed depends on private_type || private_use@
expression E;
position p;
@@
(
  PHYS_PFN@p(E)
|
  PFN_DOWN@p(E)
|
  E >> PAGE_SHIFT@p
)

@script:python@
e << seed.E;
p << seed.p;
@@
kind = seed_kind(p, e)
if kind is None:
    cocci.include_match(False)
elif kind == 'address':
    ADDRESS.add((p[0].line, p[0].column))
elif not seed_ok(p, "PHYS_PFN(%s)" % norm(e)):
    LATE.add((p[0].line, p[0].column))

@script:python seed_mk@
e << seed.E;
p << seed.p;
T;
@@
if (p[0].line, p[0].column) in ADDRESS:
    coccinelle.T = cocci.make_expr("PHYS_PFN(%s)" % e)
else:
    coccinelle.T = cocci.make_expr(seed_text(p, "PHYS_PFN(%s)" % norm(e)))

@depends on patch@
expression seed.E, seed_mk.T;
position seed.p;
position q : script:python () { consistent(q) };
@@
(
- PHYS_PFN@p@q(E)
+ T
|
- PFN_DOWN@p@q(E)
+ T
|
- E >> PAGE_SHIFT@p@q
+ T
)

@depends on context@
expression seed.E;
position seed.p;
@@
(
* PHYS_PFN@p(E)
|
* PFN_DOWN@p(E)
|
* E >> PAGE_SHIFT@p
)

@script:python depends on report@
p << seed.p;
@@
say(p, seed_msg(p), False)

@script:python depends on org@
p << seed.p;
@@
say(p, seed_msg(p), True)

// The sites.  Sinks first, on the driver's own text, then the sources.

@mpfn@
expression D;
position p;
@@
migrate_pfn@p(D)

@script:python@
D << mpfn.D;
p << mpfn.p;
@@
if not sink(p, D):
    cocci.include_match(False)

@depends on patch@
expression mpfn.D;
position mpfn.p;
position q : script:python () { consistent(q) };
@@
- migrate_pfn@p@q(D)
+ migrate_pfn_from_page(devmem_index_to_page(devmem_index(D)))

@depends on context@
expression mpfn.D;
position mpfn.p;
@@
* migrate_pfn@p(D)

@script:python depends on report@
p << mpfn.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): migrate_pfn() of a device PFN: device-private pages have none; use migrate_pfn_from_page(page)" % p[0].current_element, False)

@script:python depends on org@
p << mpfn.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): migrate_pfn() of a device PFN: device-private pages have none; use migrate_pfn_from_page(page)" % p[0].current_element, True)

@mrange@
expression S, D, N;
position p;
@@
migrate_device_range@p(S, D, N)

@script:python@
D << mrange.D;
p << mrange.p;
@@
F, fn = facts(p) if active(p) else None, p[0].current_element
if F is None or not (devpfn(F, fn, norm(D)) == 1 and res_seed(F, fn, norm(D)) != 'pgmap'):
    cocci.include_match(False)

@depends on patch@
expression mrange.S, mrange.D, mrange.N;
position mrange.p;
position q : script:python () { consistent(q) };
@@
- migrate_device_range@p@q(S, D, N)
+ migrate_devmem_range(S, devmem_index(D), N)

@depends on context@
expression mrange.S, mrange.D, mrange.N;
position mrange.p;
@@
* migrate_device_range@p(S, D, N)

@script:python depends on report@
p << mrange.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): migrate_device_range() of device PFNs: a device-private pagemap has none; use migrate_devmem_range(src, first index, npages) with devmem_first_index(pgmap)" % p[0].current_element, False)

@script:python depends on org@
p << mrange.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): migrate_device_range() of device PFNs: a device-private pagemap has none; use migrate_devmem_range(src, first index, npages) with devmem_first_index(pgmap)" % p[0].current_element, True)

@topage@
expression D;
position p;
@@
pfn_to_page@p(D)

@script:python@
D << topage.D;
p << topage.p;
@@
if not sink(p, D):
    cocci.include_match(False)

@depends on patch@
expression topage.D;
position topage.p;
position q : script:python () { consistent(q) };
@@
- pfn_to_page@p@q(D)
+ devmem_index_to_page(devmem_index(D))

@depends on context@
expression topage.D;
position topage.p;
@@
* pfn_to_page@p(D)

@script:python depends on report@
p << topage.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): pfn_to_page() of a device PFN: device-private pages have none; name the page by its device index (devmem_index_to_page()) or keep the page" % p[0].current_element, False)

@script:python depends on org@
p << topage.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): pfn_to_page() of a device PFN: device-private pages have none; name the page by its device index (devmem_index_to_page()) or keep the page" % p[0].current_element, True)

@tofolio@
expression D;
position p;
@@
pfn_folio@p(D)

@script:python@
D << tofolio.D;
p << tofolio.p;
@@
if not sink(p, D):
    cocci.include_match(False)

@depends on patch@
expression tofolio.D;
position tofolio.p;
position q : script:python () { consistent(q) };
@@
- pfn_folio@p@q(D)
+ page_folio(devmem_index_to_page(devmem_index(D)))

@depends on context@
expression tofolio.D;
position tofolio.p;
@@
* pfn_folio@p(D)

@script:python depends on report@
p << tofolio.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): pfn_folio() of a device PFN: device-private pages have none; name the folio by its device index (devmem_index_to_page()) or keep the folio" % p[0].current_element, False)

@script:python depends on org@
p << tofolio.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): pfn_folio() of a device PFN: device-private pages have none; name the folio by its device index (devmem_index_to_page()) or keep the folio" % p[0].current_element, True)

@topfn@
expression P;
position p;
@@
page_to_pfn@p(P)

@script:python@
P << topfn.P;
p << topfn.p;
@@
F, fn = facts(p) if active(p) else None, p[0].current_element
if F is None or not (devpage(F, fn, norm(P))):
    cocci.include_match(False)

@depends on patch@
expression topfn.P;
position topfn.p;
position q : script:python () { consistent(q) };
@@
- page_to_pfn@p@q(P)
+ devmem_index_val(devmem_page_to_index(P))

@depends on context@
expression topfn.P;
position topfn.p;
@@
* page_to_pfn@p(P)

@script:python depends on report@
p << topfn.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): page_to_pfn() of a device-private page: it has no PFN; use devmem_page_to_index(page), or pgmap_page_offset(page) for its place in the pagemap" % p[0].current_element, False)

@script:python depends on org@
p << topfn.p;
@@
say(p, "devmem_pgmap_pfns: in %s(): page_to_pfn() of a device-private page: it has no PFN; use devmem_page_to_index(page), or pgmap_page_offset(page) for its place in the pagemap" % p[0].current_element, True)


// Index to value and back, as the rewrites above nest them.
@depends on patch@
expression X;
@@
- devmem_index(devmem_index_val(X))
+ X

@depends on patch@
expression P;
@@
- devmem_index_to_page(devmem_page_to_index(P))
+ P

