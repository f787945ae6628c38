#!/usr/bin/env python3
"""Recall and false reports of the semantic patches on the corpus drivers.

  recall.py TOP STOCK_TREE RESULTS_DIR

For each cocci/inventory/<driver>.md: run every cocci/*.cocci in report mode
on the driver's source and match the report lines to the inventory's sites
by line.  A 'change' site is found when a report line of any rule points
into it; a rule's recall counts the sites the inventory gives to that rule.
A report line that points at no 'change' site is a false report.  An
inventory whose sites no longer lie in the functions it names is stale: the
driver's case fails.  Writes RESULTS_DIR/recall.counts.
"""
import glob
import os
import re
import subprocess
import sys

ROW = re.compile(r"^\|\s*(\w+)\s*\|\s*(\d+)(?:-(\d+))?\s*\|\s*(\w+)\s*\|(.*)\|\s*(\w+)\s*\|"
                 r"\s*(change|none)\s*\|\s*([\w-]+)\s*\|\s*$")
REPORT = re.compile(r"^(.*?):(\d+):\d+-\d+: (\w+): ")
FUNC = re.compile(r"^(?:[A-Za-z_][\w\s\*]*?[\s\*])?(\w+)\(")


def read_inventory(path):
    source, sites = None, []
    for line in open(path):
        m = re.match(r"^Source: (stock )?(\S+)", line)
        if m:
            source = (bool(m.group(1)), m.group(2))
        m = ROW.match(line.rstrip("\n"))
        if m:
            sid, a, b, fn, _site, dp, needs, rule = m.groups()
            sites.append(dict(id=sid, first=int(a), last=int(b or a), fn=fn, dp=dp,
                              needs=needs, rule=rule))
    return source, sites


def enclosing_function(lines, n):
    """The function whose definition starts closest above line n (1-based)."""
    for i in range(n - 1, -1, -1):
        ln = lines[i]
        if not ln or ln[0] in " \t{}#/*":
            continue
        m = FUNC.match(ln)
        if m and not ln.rstrip().endswith(";"):
            return m.group(1)
    return None


def reports(top, src):
    out = []
    for rule in sorted(glob.glob(os.path.join(top, "cocci", "*.cocci"))):
        opts = []
        for ln in open(rule):
            if ln.startswith("// Options:"):
                opts = ln.split(":", 1)[1].split()
                break
        r = subprocess.run(["spatch", "--sp-file", rule, "-D", "report", "--very-quiet",
                            "--no-show-diff"] + opts + [src],
                           capture_output=True, text=True)
        for ln in r.stdout.splitlines():
            m = REPORT.match(ln)
            if m:
                out.append((m.group(3), int(m.group(2)), ln))
    return out


def main(top, stock, results):
    rules = sorted(os.path.basename(r)[:-6] for r in glob.glob(os.path.join(top, "cocci", "*.cocci")))
    per_rule = {r: [0, 0, 0] for r in rules + ["hand"]}   # expected, found, false
    passed = failed = 0
    total = [0, 0, 0, 0]   # sites, found, by its rule, false
    print("recall: per driver (change sites found by any rule / by the rule meant for them; "
          "report lines at no change site)")
    print(f"  {'driver':18} {'sites':>5} {'found':>5} {'by rule':>7} {'recall':>6} {'false':>5}")
    for inv in sorted(glob.glob(os.path.join(top, "cocci", "inventory", "*.md"))):
        name = os.path.basename(inv)[:-3]
        if name == "README":
            continue
        (is_stock, rel), sites = read_inventory(inv)
        src = os.path.join(stock if is_stock else top, rel)
        lines = open(src).read().split("\n")
        stale = [s["id"] for s in sites if enclosing_function(lines, s["first"]) != s["fn"]]
        reps = reports(top, src)
        change = [s for s in sites if s["needs"] == "change"]
        found = by_rule = 0
        for s in change:
            hit = {r for r, n, _ in reps if s["first"] <= n <= s["last"]}
            rule = s["rule"] if s["rule"] in per_rule else "hand"
            per_rule[rule][0] += 1
            if hit:
                found += 1
            if s["rule"] in hit:
                by_rule += 1
                per_rule[rule][1] += 1
            if not hit:
                print(f"  miss {name} {s['id']} (line {s['first']}, {s['fn']}(), for {s['rule']})")
        false = 0
        for r, n, ln in reps:
            if not any(s["first"] <= n <= s["last"] for s in change):
                false += 1
                per_rule[r][2] += 1
                print(f"  false {name}: {ln[:160]}")
        pct = 100 * found // len(change) if change else 100
        print(f"  {name:18} {len(change):5} {found:5} {by_rule:7} {pct:5}% {false:5}")
        total = [total[0] + len(change), total[1] + found, total[2] + by_rule, total[3] + false]
        if stale:
            failed += 1
            print(f"recall: FAIL inventory {name}: sites {', '.join(stale)} are not in the "
                  f"functions it names ({rel} changed?)")
        else:
            passed += 1
    pct = 100 * total[1] // total[0] if total[0] else 100
    print(f"  {'all':18} {total[0]:5} {total[1]:5} {total[2]:7} {pct:5}% {total[3]:5}")
    print("recall: per rule (change sites the inventory gives to the rule, found by it; "
          "report lines of the rule at no change site)")
    print(f"  {'rule':24} {'sites':>5} {'found':>5} {'recall':>6} {'false':>5}")
    for r, (n, f, x) in per_rule.items():
        if n or x:
            pct = f"{100 * f // n}%" if n else "-"
            print(f"  {r:24} {n:5} {f:5} {pct:>6} {x:5}")
    with open(os.path.join(results, "recall.counts"), "w") as f:
        f.write(f"{passed} {failed} 0\n")
    print(f"recall: inventories {passed} current, {failed} stale")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
