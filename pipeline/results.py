#!/usr/bin/env python3
"""Turn KUnit JSON, kernel logs and hmm-tests console logs into counts, and
add them up.

  results.py kunit FILE.json RC [--log KERNEL.LOG] [--reports OUT]
                                [--cpus N] [--no-suites]
                                    -> counts; notes on stderr
  results.py hmm CONSOLE.log [--reports OUT] [--cpus N]
                                    -> counts; cases on stderr
  results.py stress CONSOLE.log [--reports OUT] [--cpus N]
                                    -> counts of a devmem-stress guest
  results.py summary DIR            -> table and the closing summary line
  results.py selftest [--counts OUT] -> the scanner against sample logs

A counts line is "passed failed skipped [reports [expected]]": reports are
the kernel checker reports no test provoked on purpose (each one is also a
failure), expected those a test announced and that came.

Whatever did not run is a failure: a missing JSON, a kunit.py error with no
test failed, a guest that never printed the harness totals, fewer CPUs than
the guest was given, and every kernel checker report (KASAN, KCSAN, lockdep,
WARNING, BUG, Oops, bad page state, list corruption, debugobjects, refcount,
UBSAN) in the kernel log, unless a KUnit test announced it first with a line
containing "devmem-expect-warning: <substring>": then exactly one later
report whose header contains <substring> is expected; none, or a second
one, is a failure.
"""
import json
import os
import re
import sys


def kunit_json_counts(path, rc):
    try:
        with open(path) as f:
            root = json.load(f)
    except (OSError, ValueError):
        return 0, 1, 0
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0, "ERROR": 0}

    def walk(group):
        for case in group.get("test_cases", []):
            counts[case["status"]] = counts.get(case["status"], 0) + 1
        for sub in group.get("sub_groups", []):
            walk(sub)

    walk(root)
    failed = counts["FAIL"] + counts["ERROR"]
    if counts["PASS"] + failed + counts["SKIP"] == 0 or (rc != 0 and failed == 0):
        failed += 1
    return counts["PASS"], failed, counts["SKIP"]


# ---------------------------------------------------------------------------
# Kernel checker reports.
#
# A report opens at a header line.  Some headers only ever follow another
# one in the same report (the "WARNING: CPU:" line of a WARN() whose message
# came first, the Oops after "kernel BUG at", the panic after an Oops): they
# are folded into the report they belong to, so that one event counts once.

# The message part of a log line: without the "<4>" of a syslog dump, the
# printk time stamp and caller id, or the CR of a serial console.
LINE_PREFIX = re.compile(r"^(?:<\d+>)?(?:\[\s*\d+\.\d+\])?(?:\[\s*[TC]\d+\])?\s?")

EXPECT = re.compile(r"devmem-expect-warning:\s*(.*?)\s*$")

# Delimited by a line of '=' before and after (the closing one ends them).
DELIMITED = re.compile(r"BUG: (KASAN|KCSAN|KFENCE): |UBSAN: ")
# Only ever the continuation of a report opened just before, or the start of
# one on their own.
TRAILING = re.compile(
    r"WARNING: CPU: |kernel BUG at |\bOops: |Internal error: |"
    r"general protection fault|page dumped because")
PANIC = re.compile(r"Kernel panic - not syncing")
# Complete on their own: lockdep, RCU lockdep, atomic-sleep checks.  (Not
# any "WARNING: ": the CPU mitigation notices at boot say it too.)
COMPLETE = re.compile(
    r"WARNING: (possible (circular|recursive|irq)|inconsistent lock state|"
    r"suspicious RCU usage|held lock freed|lock held when returning|bad unlock balance|"
    r"bad contention|Nested lock was not taken|chain_key collision|"
    r"\S+-safe -> \S+-unsafe lock order|\S+/\d+ still has locks held)|"
    r"BUG: (sleeping function called|scheduling while atomic|scheduling in a non-blocking|"
    r"lock held|held lock freed|workqueue leaked|spinlock|rwlock|MAX_|using |"
    r"looking up invalid subclass|key |assuming )")
# Open a report that a trailing header may continue.
LEADING = re.compile(
    r"(^|[:\]] )BUG: |Unable to handle kernel |list_(add|del) (corruption|double add)|"
    r"refcount_t: |ODEBUG: (?!selftest passed)")
END_TRACE = re.compile(r"---\[ end (trace|Kernel panic)")
DELIMITER = re.compile(r"^\s*={20,}\s*$")
CUT_HERE = re.compile(r"-+\[ cut here \]-+")

FOLD_WINDOW = 60     # lines from the last header within which a trailing one folds
DELIMITED_MAX = 400  # an unclosed "=====" report ends after this many lines
PANIC_WINDOW = 10    # lines after a report within which a panic belongs to it
TEXT_AFTER = 40      # lines of a report kept after its last header
SMP_LINE = re.compile(r"smp: Brought up (\d+) nodes?, (\d+) CPUs?")


def message(line):
    return LINE_PREFIX.sub("", line.rstrip("\r\n").replace("\r", ""), count=1)


def header_kind(msg):
    """The kind of checker header msg is, or None."""
    if EXPECT.search(msg):
        return None
    if DELIMITED.search(msg):
        return "delimited"
    if PANIC.search(msg):
        return "panic"
    if TRAILING.search(msg):
        return "trailing"
    if COMPLETE.search(msg):
        return "complete"
    if LEADING.search(msg):
        return "leading"
    return None


class Report:
    def __init__(self, start, kind, msg):
        self.start = start          # index of the first header
        self.kind = kind
        self.headers = [msg]
        self.last = start           # index of the last header folded in
        self.end = None             # index of the line that ended it
        self.expectation = None

    def matches(self, substring):
        return any(substring in h for h in self.headers)


class Expectation:
    def __init__(self, index, substring, msg):
        self.index = index
        self.substring = substring
        self.line = msg.strip()
        self.report = None


class Scan:
    """Reports, expectations and the CPU count of one kernel log."""

    def __init__(self, lines, name="log"):
        self.name = name
        self.msgs = [message(line) for line in lines]
        self.reports = []
        self.expectations = []
        self.cpus = None
        self.smp_line = None
        self._scan()
        self._match()

    def _scan(self):
        cur = None
        for i, msg in enumerate(self.msgs):
            m = SMP_LINE.search(msg)
            if m:
                self.cpus, self.smp_line = int(m.group(2)), msg.strip()
            m = EXPECT.search(msg)
            if m:
                self.expectations.append(Expectation(i, m.group(1), msg))
                continue
            if END_TRACE.search(msg):
                if cur is not None and cur.end is None:
                    cur.end = i
                continue
            if cur is not None and cur.end is None and cur.kind == "delimited" and \
                    DELIMITER.match(msg):
                cur.end = i
                continue
            kind = header_kind(msg)
            if kind is None:
                continue
            if cur is not None and self._folds(cur, kind, i):
                cur.headers.append(msg)
                cur.last = i
                if kind == "panic":
                    cur.end = None      # until "---[ end Kernel panic"
                continue
            # A report a trailing header opened ("kernel BUG at") goes on
            # like one a leading header opened (its Oops follows).
            cur = Report(i, "leading" if kind == "trailing" else kind, msg)
            self.reports.append(cur)

    @staticmethod
    def _folds(cur, kind, i):
        if cur.kind == "delimited" and cur.end is None and i - cur.start <= DELIMITED_MAX:
            return True     # inside "=====" ... "=====": all one report
        if kind == "panic":
            return i - (cur.end if cur.end is not None else cur.last) <= PANIC_WINDOW
        return (kind == "trailing" and cur.end is None and cur.kind == "leading"
                and i - cur.last <= FOLD_WINDOW)

    def _match(self):
        """Give each report the first open expectation before it that it matches."""
        for r in self.reports:
            for e in self.expectations:
                if e.index < r.start and e.report is None and r.matches(e.substring):
                    e.report, r.expectation = r, e
                    break

    def unexpected(self):
        return [r for r in self.reports if r.expectation is None]

    def expected(self):
        return [r for r in self.reports if r.expectation is not None]

    def unmet(self):
        return [e for e in self.expectations if e.report is None]

    def _first_line(self, r):
        """Where the text of r starts: its "cut here" or "=====" line."""
        for j in range(r.start - 1, max(r.start - 6, -1), -1):
            if CUT_HERE.search(self.msgs[j]) or DELIMITER.match(self.msgs[j]):
                return j
        return r.start

    def text(self, r):
        """The report's lines: to its end marker, else TEXT_AFTER lines past
        its last header, and never into the next report."""
        if r.end is not None and r.end <= r.last + 2 * TEXT_AFTER:
            hi = r.end + 1
        else:
            hi = r.last + TEXT_AFTER + 1
        later = [self._first_line(n) for n in self.reports if n.start > r.start]
        if later:
            hi = min(hi, max(later[0], r.last + 1))
        return self.msgs[self._first_line(r):hi]

    def drop_duplicates_of(self, other):
        """Drop unexpected reports other already has (a console that also
        printed what the kernel log dump holds)."""
        seen = {}
        for r in other.reports:
            seen[r.headers[0].strip()] = seen.get(r.headers[0].strip(), 0) + 1
        keep = []
        for r in self.reports:
            key = r.headers[0].strip()
            if r.expectation is None and seen.get(key, 0) > 0:
                seen[key] -= 1
                continue
            keep.append(r)
        self.reports = keep


def checker_failures(scans, want_cpus, note):
    """Failures from reports, unmet expectations and missing CPUs; one line
    per failure through note().  Returns (failures, unexpected, expected)."""
    failed = unexpected = expected = 0
    for s in scans:
        for r in s.reports:
            if r.expectation is None:
                unexpected += 1
                note(f"REPORT {r.headers[0].strip()} ({s.name} line {r.start + 1})")
            else:
                expected += 1
                note(f"expected {r.headers[0].strip()} ({s.name} line {r.start + 1}, "
                     f"announced at line {r.expectation.index + 1})")
        for e in s.unmet():
            failed += 1
            note(f"FAIL expected warning did not appear: '{e.substring}' "
                 f"({s.name} line {e.index + 1}: {e.line})")
    failed += unexpected
    if want_cpus:
        cpus = next((s.cpus for s in scans if s.cpus is not None), None)
        line = next((s.smp_line for s in scans if s.smp_line), None)
        if cpus is None:
            failed += 1
            note(f"FAIL cpus: no 'smp: Brought up' line: one CPU (a kernel without SMP?), "
                 f"the guest had {want_cpus}")
        elif cpus < want_cpus:
            failed += 1
            note(f"FAIL cpus: {cpus} of {want_cpus} came up ({line})")
        else:
            note(f"cpus: {cpus} ({line})")
    return failed, unexpected, expected


def write_reports(path, title, scans):
    if not path:
        return
    with open(path, "w") as f:
        n = sum(len(s.unexpected()) for s in scans)
        e = sum(len(s.expected()) for s in scans)
        u = sum(len(s.unmet()) for s in scans)
        f.write(f"# {title}: {n} checker report(s) no test provoked, {e} expected, "
                f"{u} expected warning(s) that did not appear\n")
        for s in scans:
            for r in s.reports:
                if r.expectation is None:
                    f.write(f"\n=== UNEXPECTED, {s.name} line {r.start + 1}\n")
                else:
                    f.write(f"\n=== expected ({r.expectation.line}), {s.name} line {r.start + 1}\n")
                f.write("\n".join(s.text(r)) + "\n")
            for x in s.unmet():
                f.write(f"\n=== EXPECTED WARNING DID NOT APPEAR, {s.name} line {x.index + 1}: "
                        f"{x.line}\n")


def read_lines(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return None


def kunit_counts(path, rc, log=None, reports=None, cpus=0, no_suites=False, note=None):
    note = note or (lambda s: print(s, file=sys.stderr))
    passed, failed, skipped = (0, 0, 0) if no_suites else kunit_json_counts(path, rc)
    unexpected = expected = 0
    if log:
        lines = read_lines(log)
        if lines is None:
            # No kernel ran: the missing JSON says so already.
            note(f"FAIL no kernel log at {log}")
            if failed == 0:
                failed += 1
            if reports:
                with open(reports, "w") as f:
                    f.write(f"# no kernel log at {log}: nothing to scan\n")
        else:
            scan = Scan(lines, os.path.basename(log))
            f, unexpected, expected = checker_failures([scan], cpus, note)
            failed += f
            write_reports(reports, log, [scan])
    return passed, failed, skipped, unexpected, expected


TAP = re.compile(r"^(not ok|ok) \d+ (\S+)(.*)$")
KMSG_BEGIN, KMSG_END = "DEVMEM-KMSG-BEGIN", "DEVMEM-KMSG-END"


# The kernel's first message, in every dump that holds the whole boot.
KMSG_FIRST = "Linux version "


def split_console(lines):
    """The kernel log the guest dumped, and the rest of its console."""
    try:
        b = next(i for i, ln in enumerate(lines) if ln.rstrip("\r") == KMSG_BEGIN)
    except StopIteration:
        return None, lines
    e = next((i for i in range(b + 1, len(lines)) if lines[i].rstrip("\r") == KMSG_END),
             len(lines))
    return lines[b + 1:e], lines[:b] + lines[e + 1:]


# The kselftest programs a guest runs, each ending with a '# Totals:' line.
KSELFTEST_RUN = re.compile(r"^DEVMEM-GUEST-RUN: /bin/(hmm-tests|migration)$")


def hmm_counts(path, reports=None, cpus=0, note=None):
    note = note or (lambda s: print(s, file=sys.stderr))
    lines = read_lines(path)
    if lines is None:
        return 0, 1, 0, 0, 0
    passed = failed = skipped = 0
    totals = runs = 0
    for line in lines:
        line = line.rstrip("\r")
        m = TAP.match(line)
        if m:
            status, name, rest = m.groups()
            if "# SKIP" in rest:
                skipped += 1
                note(f"skip {name}{rest}")
            elif status == "ok":
                passed += 1
            else:
                failed += 1
                note(f"FAIL {name}{rest}")
        if line.startswith("# Totals:"):
            totals += 1
        if KSELFTEST_RUN.match(line):
            runs += 1
    if totals < max(runs, 1):
        note(f"FAIL {max(runs, 1) - totals} of {max(runs, 1)} selftest runs did not complete "
             "(no '# Totals:' line)")
        failed += 1
    # The out-of-tree driver's scenario, when the guest was to run it.
    if any("Kernel command line:" in ln and "oot-dmem-test" in ln for ln in lines) and \
            not any(ln.startswith("OOT-DMEM result:") for ln in lines):
        note("FAIL oot-dmem-test did not complete (no 'OOT-DMEM result:' line)")
        failed += 1
    f, unexpected, expected = scan_guest_console(path, lines, reports, cpus, note)
    return passed, failed + f, skipped, unexpected, expected


def scan_guest_console(path, lines, reports, cpus, note):
    """Checker reports of a guest: failures, unexpected, expected."""
    # The kernel log dump holds every message; the console shows the urgent
    # ones as they come, and all there is when the guest died before the dump.
    kmsg, rest = split_console(lines)
    scans = []
    if kmsg is not None:
        scans.append(Scan(kmsg, "kernel log dump"))
    console = Scan(rest, "console")
    if scans:
        console.drop_duplicates_of(scans[0])
    scans.append(console)
    f, unexpected, expected = checker_failures(scans, cpus, note)
    # A dump that does not reach back to the boot has lost what came first:
    # reports among it would go unseen.
    if kmsg is not None and not any(KMSG_FIRST in ln for ln in kmsg):
        f += 1
        note("FAIL the kernel log dump does not reach back to the boot: the log wrapped and "
             "checker reports may be lost; boot the guest with a larger log_buf_len=")
    write_reports(reports, path, scans)
    return f, unexpected, expected


STRESS = re.compile(r"^DEVMEM-STRESS (op|counter|mismatches|result:)\s*(.*)$")


def stress_counts(path, reports=None, cpus=0, note=None):
    """pipeline/guest/devmem-stress.c: one case per operation kind (passed if
    it ran, done or cleanly refused; skipped if the kernel lacks it; failed
    if it never ran), per
    counter that must return to its baseline, for the mismatches (must be
    0) and for the program's own verdict."""
    note = note or (lambda s: print(s, file=sys.stderr))
    lines = read_lines(path)
    if lines is None:
        return 0, 1, 0, 0, 0
    passed = failed = skipped = 0
    verdict = None
    for line in lines:
        m = STRESS.match(line.rstrip("\r"))
        if not m:
            continue
        kind, rest = m.groups()
        if kind == "op":
            name, _, fields = rest.partition(" ")
            vals = dict(kv.split("=", 1) for kv in fields.split() if "=" in kv)
            done, skip = int(vals.get("done", 0)), int(vals.get("skipped", 0))
            # Refused (EBUSY under a race, an injected ENOMEM) is a clean
            # outcome: the operation ran.
            if done or int(vals.get("refused", 0)):
                passed += 1
            elif skip:
                skipped += 1
                note(f"skip op {name}: {fields}")
            else:
                failed += 1
                note(f"FAIL op {name} never ran: {fields}")
        elif kind == "counter":
            if rest.split()[-1] == "ok":
                passed += 1
            else:
                failed += 1
                note(f"FAIL counter {rest}")
        elif kind == "mismatches":
            if rest.strip() == "0":
                passed += 1
            else:
                failed += 1
                note(f"FAIL mismatches {rest}")
        else:
            verdict = rest.strip()
    if verdict is None:
        note("FAIL the stress run did not complete (no 'DEVMEM-STRESS result:' line)")
        failed += 1
    elif verdict == "PASS":
        passed += 1
    else:
        failed += 1
        note(f"FAIL result: {verdict}")
    f, unexpected, expected = scan_guest_console(path, lines, reports, cpus, note)
    return passed, failed + f, skipped, unexpected, expected


def summary(directory):
    total = [0] * 5
    rows = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".counts"):
            continue
        with open(os.path.join(directory, name)) as f:
            parts = f.read().split()
        try:
            vals = [int(x) for x in parts[:5]]
        except ValueError:
            vals = []
        vals = vals + [0] * (5 - len(vals)) if len(vals) >= 3 else [0, 1, 0, 0, 0]
        rows.append((name[:-len(".counts")], vals))
        total = [a + b for a, b in zip(total, vals)]
    if not rows:
        rows.append(("(nothing ran)", [0, 1, 0, 0, 0]))
        total = [0, 1, 0, 0, 0]
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  passed  failed  skipped  reports")
    for name, (p, f, s, r, e) in rows:
        extra = f"  (+{e} expected)" if e else ""
        print(f"{name:<{width}}  {p:6d}  {f:6d}  {s:7d}  {r:7d}{extra}")
    extra = f" ({total[4]} more provoked on purpose, as expected)" if total[4] else ""
    print(f"checker reports: {total[3]}{extra}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] else 0


# ---------------------------------------------------------------------------
# Self-test: sample logs in the kernel's formats, and what they must give.

SAMPLE_KASAN = """\
[   12.345678] ==================================================================
[   12.345679] BUG: KASAN: slab-use-after-free in devmem_populate+0x1a2/0x3c0
[   12.345680] Read of size 8 at addr ffff888003c1e2a8 by task kunit_try_catch/97
[   12.345681]
[   12.345682] CPU: 1 UID: 0 PID: 97 Comm: kunit_try_catch Not tainted 6.12.117 #1
[   12.345683] Call Trace:
[   12.345684]  <TASK>
[   12.345685]  dump_stack_lvl+0x5d/0x80
[   12.345686]  kasan_report+0xb4/0xf0
[   12.345687]  devmem_populate+0x1a2/0x3c0
[   12.345688]  </TASK>
[   12.345689]
[   12.345689] Allocated by task 97:
""" + "".join(f"[   12.345689]  alloc_frame_{n}+0x10/0x20\n" for n in range(30)) + """\
[   12.345689] Freed by task 97:
""" + "".join(f"[   12.345689]  free_frame_{n}+0x10/0x20\n" for n in range(30)) + """\
[   12.345690] The buggy address belongs to the physical page:
[   12.345691] page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x3c1e
[   12.345692] flags: 0x100000000000000(node=0|zone=1)
[   12.345693] page dumped because: kasan: bad access detected
[   12.345694]
[   12.345695] ==================================================================
[   12.345696] Disabling lock debugging due to kernel taint
"""

SAMPLE_LOCKDEP = """\
<4>
<4>======================================================
<4>WARNING: possible circular locking dependency detected
<4>6.12.117 #1 Not tainted
<4>------------------------------------------------------
<4>hmm-tests/120 is trying to acquire lock:
<4>ffff888004a3c0d8 (&mm->mmap_lock){++++}-{3:3}, at: devmem_populate+0x41/0x3c0
<4>
<4>but task is already holding lock:
<4>ffffffff83a1b2c0 (populate_lock){+.+.}-{3:3}, at: devmem_populate+0x2f/0x3c0
<4>
<4>which lock already depends on the new lock.
<4>
<4> *** DEADLOCK ***
<4>
<4>Call Trace:
<4> dump_stack_lvl+0x5d/0x80
<4> __lock_acquire+0x1d5e/0x3ad0
"""

WARN_TEMPLATE = """\
[   20.000001] ------------[ cut here ]------------
[   20.000002] WARNING: CPU: 0 PID: 98 at {where} devmem_populate+0x77/0x3c0
[   20.000003] Modules linked in:
[   20.000004] CPU: 0 UID: 0 PID: 98 Comm: kunit_try_catch Not tainted 6.12.117 #1
[   20.000005] RIP: 0010:devmem_populate+0x77/0x3c0
[   20.000006] Call Trace:
[   20.000007]  <TASK>
[   20.000008]  kunit_try_run_case+0x8b/0x1a0
[   20.000009]  </TASK>
[   20.000010] ---[ end trace 0000000000000000 ]---
"""

EXPECT_LINE = "[   19.999999]     # devmem_populate_overlap: devmem-expect-warning: {what}\n"
OK_LINE = "[   20.100000]     ok 3 devmem_populate_overlap\n"
SMP = "[    0.300000] smp: Brought up 1 node, 2 CPUs\n"

SAMPLE_BUG_OOPS = """\
[   30.000001] ------------[ cut here ]------------
[   30.000002] kernel BUG at mm/devmem/entry.c:88!
[   30.000003] Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI
[   30.000004] CPU: 1 UID: 0 PID: 120 Comm: hmm-tests Not tainted 6.12.117 #1
[   30.000005] RIP: 0010:devmem_entry_to_page+0x55/0x60
[   30.000006] ---[ end trace 0000000000000000 ]---
[   30.000007] Kernel panic - not syncing: Fatal exception
[   30.000008] ---[ end Kernel panic - not syncing: Fatal exception ]---
"""

SAMPLE_REFCOUNT = """\
[   40.000001] ------------[ cut here ]------------
[   40.000002] refcount_t: underflow; use-after-free.
[   40.000003] WARNING: CPU: 1 PID: 120 at lib/refcount.c:28 refcount_warn_saturate+0xba/0x110
[   40.000004] Call Trace:
[   40.000005] ---[ end trace 0000000000000000 ]---
"""

SAMPLE_KCSAN = """\
==================================================================
BUG: KCSAN: data-race in devmem_index_alloc / devmem_index_free

write to 0xffffffff83a1b2c0 of 8 bytes by task 97 on cpu 0:
 devmem_index_free+0x41/0x90

read to 0xffffffff83a1b2c0 of 8 bytes by task 98 on cpu 1:
 devmem_index_alloc+0x2f/0x120

==================================================================
"""

SAMPLE_VM_BUG_ON_PAGE = """\
page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x12345
flags: 0x100000000000000(node=0|zone=1)
raw: 0100000000000000 0000000000000000 dead000000000122 0000000000000000
page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)
page_owner tracks the page as freed
page last allocated via order 0, migratetype Movable, gfp_mask 0x140cca, pid 120
""" + "".join(f" stack_frame_{n}+0x10/0x20\n" for n in range(30)) + """\
------------[ cut here ]------------
kernel BUG at include/linux/mm.h:1143!
Oops: invalid opcode: 0000 [#1] PREEMPT SMP KASAN NOPTI
---[ end trace 0000000000000000 ]---
"""

SAMPLE_ARM64_FAULT = """\
[   60.000001] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
[   60.000002] Mem abort info:
[   60.000003]   ESR = 0x0000000096000005
[   60.000004]   EC = 0x25: DABT (current EL), IL = 32 bits
[   60.000005] Data abort info:
[   60.000006] user pgtable: 4k pages, 39-bit VAs, pgdp=0000000041234000
[   60.000007] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP
[   60.000008] Modules linked in:
[   60.000009] ---[ end trace 0000000000000000 ]---
"""

SAMPLE_ATOMIC_SLEEP = """\
BUG: sleeping function called from invalid context at mm/devmem/populate.c:120
in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 97, name: kunit_try_catch
preempt_count: 1, expected: 0
Call Trace:
 dump_stack_lvl+0x5d/0x80
 __might_resched+0x1c0/0x2a0
"""

SAMPLE_MISC = """\
KCSAN: selftest: 3/3 tests passed
ODEBUG: selftest passed
RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!
------------[ cut here ]------------
ODEBUG: free active (active state 0) object: ffff888004a3c0d8 object type: timer_list hint: f+0x0/0x10
WARNING: CPU: 1 PID: 97 at lib/debugobjects.c:514 debug_print_object+0xcb/0x120
---[ end trace 0000000000000000 ]---
BUG: Bad page state in process hmm-tests  pfn:12345
page: refcount:0 mapcount:1 mapping:0000000000000000 index:0x0 pfn:0x12345
page dumped because: nonzero mapcount
Modules linked in:
------------[ cut here ]------------
list_del corruption. prev->next should be ffff888004a3c0d8, but was ffff888004a3c0e0. (prev=ffff888004a3c100)
WARNING: CPU: 0 PID: 97 at lib/list_debug.c:62 __list_del_entry_valid_or_report+0xd4/0x120
---[ end trace 0000000000000000 ]---
"""

HMM_CONSOLE = """\
DEVMEM-GUEST-RUN: /bin/hmm-tests
TAP version 13
1..2
ok 1 hmm.hmm_device_private.open_close
[   50.000001] BUG: KASAN: use-after-free in dmirror_migrate_to_device+0x10/0x20
not ok 2 hmm.hmm_device_private.migrate
# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0
DEVMEM-GUEST-EXIT: 1
DEVMEM-KMSG-BEGIN
<5>Linux version 6.12.117 (devmem@localhost) #1 SMP
<6>smp: Brought up 1 node, 2 CPUs
<3>==================================================================
<3>BUG: KASAN: use-after-free in dmirror_migrate_to_device+0x10/0x20
<3>Read of size 8 at addr ffff888003c1e2a8 by task hmm-tests/120
<3>==================================================================

DEVMEM-KMSG-END
"""


STRESS_CONSOLE = """\
DEVMEM-STRESS seed=7 seconds=60 threads=4 cpus=2
DEVMEM-STRESS op migrate-dev done=120 refused=3 skipped=0
DEVMEM-STRESS op fork done=9 refused=0 skipped=0
DEVMEM-STRESS op uffd-wp done=0 refused=0 skipped=12
DEVMEM-STRESS op mremap done=0 refused=0 skipped=0
DEVMEM-STRESS bytes-verified 123456
DEVMEM-STRESS mismatches 0
DEVMEM-STRESS counter nr_memmap_pages before=10 after=12 DIFF
DEVMEM-STRESS result: FAIL (counters)
"""


def selftest():
    """Each case: a log, and (unexpected reports, expected ones, failures)."""
    warn_ours = WARN_TEMPLATE.format(where="mm/devmem/populate.c:212")
    warn_other = WARN_TEMPLATE.format(where="mm/memory.c:5000")
    cases = [
        ("clean log", SMP + OK_LINE, 0, 0, 0),
        ("KASAN report, page dump inside it", SMP + SAMPLE_KASAN, 1, 0, 1),
        ("lockdep report", SMP + SAMPLE_LOCKDEP, 1, 0, 1),
        ("KCSAN report", SMP + SAMPLE_KCSAN, 1, 0, 1),
        ("WARNING, no expectation", SMP + warn_ours, 1, 0, 1),
        ("WARNING, announced", SMP + EXPECT_LINE.format(what="mm/devmem/populate.c")
         + warn_ours + OK_LINE, 0, 1, 0),
        ("WARNING announced, a second one is not",
         SMP + EXPECT_LINE.format(what="mm/devmem/populate.c") + warn_ours + warn_ours,
         1, 1, 1),
        ("expected warning that did not appear",
         SMP + EXPECT_LINE.format(what="mm/devmem/populate.c") + OK_LINE, 0, 0, 1),
        ("expectation not met by another warning",
         SMP + EXPECT_LINE.format(what="mm/devmem/populate.c") + warn_other, 1, 0, 2),
        ("report before its announcement",
         SMP + warn_ours + EXPECT_LINE.format(what="mm/devmem/populate.c"), 1, 0, 2),
        ("kernel BUG, Oops and panic are one report", SMP + SAMPLE_BUG_OOPS, 1, 0, 1),
        ("refcount_t message and its WARNING are one report", SMP + SAMPLE_REFCOUNT, 1, 0, 1),
        ("refcount_t announced by its message",
         SMP + EXPECT_LINE.format(what="refcount_t: underflow") + SAMPLE_REFCOUNT, 0, 1, 0),
        ("two WARNINGs, two reports", SMP + warn_ours + warn_other, 2, 0, 2),
        ("kernel without SMP", OK_LINE, 0, 0, 1),
        ("VM_BUG_ON_PAGE: page dump, page_owner, kernel BUG, Oops are one report",
         SMP + SAMPLE_VM_BUG_ON_PAGE, 1, 0, 1),
        ("arm64 fault and its Oops are one report", SMP + SAMPLE_ARM64_FAULT, 1, 0, 1),
        ("atomic sleep, then an unrelated WARNING: two reports",
         SMP + SAMPLE_ATOMIC_SLEEP + warn_other, 2, 0, 2),
        ("lockdep, then an unrelated WARNING: two reports",
         SMP + SAMPLE_LOCKDEP + warn_other, 2, 0, 2),
        ("lockdep: bad unlock balance", SMP + "WARNING: bad unlock balance detected!\n"
         "kunit_try_catch/97 is trying to release lock (populate_lock) at:\n", 1, 0, 1),
        ("selftest and mitigation lines; debugobjects, bad page state, list corruption",
         SMP + SAMPLE_MISC, 3, 0, 3),
        ("KASAN report announced by its function",
         SMP + EXPECT_LINE.format(what="devmem_populate") + SAMPLE_KASAN, 0, 1, 0),
    ]
    passed = failed = 0

    def check(name, got, want):
        nonlocal passed, failed
        if got == want:
            passed += 1
            print(f"ok   {name}")
        else:
            failed += 1
            print(f"FAIL {name}: got {got}, want {want}")

    for name, log, unexpected, expected, failures in cases:
        scan = Scan(log.splitlines(), "sample")
        f, u, e = checker_failures([scan], 2, lambda s: None)
        check(name, (u, e, f), (unexpected, expected, failures))

    # The guest: TAP counts, and the KASAN report both on the console and in
    # the kernel log dump counts once.
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "console.log")
        with open(path, "w") as f:
            f.write(HMM_CONSOLE)
        rpath = os.path.join(d, "hmm.reports")
        check("hmm console: TAP, one report seen twice",
              hmm_counts(path, rpath, 2, lambda s: None), (1, 2, 0, 1, 0))
        with open(rpath) as f:
            text = f.read()
        check("reports file keeps the report text",
              "Read of size 8" in text and "UNEXPECTED" in text, True)
        with open(path, "w") as f:
            f.write(HMM_CONSOLE.replace("<5>Linux version 6.12.117 (devmem@localhost) #1 SMP\n",
                                        ""))
        check("hmm console: a kernel log dump that wrapped fails",
              hmm_counts(path, None, 2, lambda s: None), (1, 3, 0, 1, 0))
        head, tail = HMM_CONSOLE.split("DEVMEM-GUEST-EXIT")
        oot = ("Kernel command line: console=ttyS0 -- /bin/hmm-tests + /bin/oot-dmem-test\n" +
               head + "DEVMEM-GUEST-RUN: /bin/oot-dmem-test\nok 1 oot_dmem.load # loaded\n")
        with open(path, "w") as f:
            f.write(oot + "DEVMEM-GUEST-EXIT" + tail)
        check("hmm console: oot-dmem-test cut short fails",
              hmm_counts(path, None, 2, lambda s: None), (2, 3, 0, 1, 0))
        with open(path, "w") as f:
            f.write(oot + "OOT-DMEM result: PASS\nDEVMEM-GUEST-EXIT" + tail)
        check("hmm console: oot-dmem-test's cases count",
              hmm_counts(path, None, 2, lambda s: None), (2, 2, 0, 1, 0))
        path = os.path.join(d, "dead.log")
        with open(path, "w") as f:
            f.write(SMP + SAMPLE_BUG_OOPS)
        check("hmm console: guest died before the totals and the dump",
              hmm_counts(path, None, 2, lambda s: None), (0, 2, 0, 1, 0))
        path = os.path.join(d, "stress.log")
        with open(path, "w") as f:
            f.write(SMP + STRESS_CONSOLE)
        check("stress console: ops, counters, mismatches, verdict",
              stress_counts(path, None, 2, lambda s: None), (3, 3, 1, 0, 0))
        with open(path, "w") as f:
            f.write(SMP + STRESS_CONSOLE.split("DEVMEM-STRESS result")[0] + SAMPLE_BUG_OOPS)
        check("stress console: died before its verdict, with an Oops",
              stress_counts(path, None, 2, lambda s: None), (3, 4, 1, 1, 0))
        rc = os.path.join(d, "counts")
        os.mkdir(rc)
        with open(os.path.join(rc, "a.counts"), "w") as f:
            f.write("3 1 0 1 2\n")
        with open(os.path.join(rc, "b.counts"), "w") as f:
            f.write("5 0 1\n")
        import io
        import contextlib
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = summary(rc)
        lines = out.getvalue().splitlines()
        check("summary: reports total, closing line", (status, lines[-2], lines[-1]),
              (1, "checker reports: 1 (2 more provoked on purpose, as expected)",
               "8 passed, 1 failed, 1 skipped"))
    print(f"results.py selftest: {passed} passed, {failed} failed")
    return passed, failed


def options(args, flags=(), valued=()):
    opts, rest = {}, []
    it = iter(args)
    for a in it:
        if a in flags:
            opts[a] = True
        elif a in valued:
            opts[a] = next(it, None)
        else:
            rest.append(a)
    return opts, rest


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    valued = ("--log", "--reports", "--cpus")
    opts, rest = options(argv[2:], ("--no-suites",), valued)
    cpus = int(opts.get("--cpus") or 0)
    if cmd == "kunit" and len(rest) == 2:
        print(*kunit_counts(rest[0], int(rest[1]), opts.get("--log"), opts.get("--reports"),
                            cpus, "--no-suites" in opts))
    elif cmd == "hmm" and len(rest) == 1:
        print(*hmm_counts(rest[0], opts.get("--reports"), cpus))
    elif cmd == "stress" and len(rest) == 1:
        print(*stress_counts(rest[0], opts.get("--reports"), cpus))
    elif cmd == "summary" and len(rest) == 1:
        return summary(rest[0])
    elif cmd == "selftest":
        passed, failed = selftest()
        if "--counts" in argv:
            with open(argv[argv.index("--counts") + 1], "w") as f:
                f.write(f"{passed} {failed} 0\n")
        return 1 if failed else 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
