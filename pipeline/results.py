#!/usr/bin/env python3
"""Turn KUnit JSON and hmm-tests console logs into counts, and add them up.

  results.py kunit FILE.json RC     -> "passed failed skipped"
  results.py hmm CONSOLE.log        -> "passed failed skipped", cases on stderr
  results.py summary DIR            -> table and the closing summary line

Whatever did not run is a failure: a missing JSON, a kunit.py error with no
test failed, a guest that never printed the harness totals, a kernel WARNING,
BUG or panic in a guest.
"""
import json
import os
import re
import sys


def kunit_counts(path, rc):
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


TAP = re.compile(r"^(not ok|ok) \d+ (\S+)(.*)$")
KERNEL_TROUBLE = re.compile(
    r"(WARNING: CPU:|BUG: |Oops:|Kernel panic - |Unable to handle kernel |"
    r"general protection fault|page dumped because|Bad page state|"
    r"kernel BUG at|list_(add|del) corruption|UBSAN:|refcount_t: )")


def hmm_counts(path):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0, 1, 0
    passed = failed = skipped = 0
    seen_totals = False
    trouble = []
    for line in lines:
        line = line.rstrip("\r")
        m = TAP.match(line)
        if m:
            status, name, rest = m.groups()
            if "# SKIP" in rest:
                skipped += 1
                print(f"skip {name}{rest}", file=sys.stderr)
            elif status == "ok":
                passed += 1
            else:
                failed += 1
                print(f"FAIL {name}{rest}", file=sys.stderr)
        if line.startswith("# Totals:"):
            seen_totals = True
        if KERNEL_TROUBLE.search(line):
            trouble.append(line)
    for line in trouble[:20]:
        print(f"KERNEL {line}", file=sys.stderr)
    if trouble:
        failed += 1
    if not seen_totals:
        print("FAIL hmm-tests did not complete (no '# Totals:' line)", file=sys.stderr)
        failed += 1
    return passed, failed, skipped


def summary(directory):
    total = [0, 0, 0]
    rows = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".counts"):
            continue
        with open(os.path.join(directory, name)) as f:
            parts = f.read().split()
        vals = [int(x) for x in parts[:3]] if len(parts) >= 3 else [0, 1, 0]
        rows.append((name[:-len(".counts")], vals))
        total = [a + b for a, b in zip(total, vals)]
    if not rows:
        rows.append(("(nothing ran)", [0, 1, 0]))
        total = [0, 1, 0]
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  passed  failed  skipped")
    for name, (p, f, s) in rows:
        print(f"{name:<{width}}  {p:6d}  {f:6d}  {s:7d}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
    return 1 if total[1] else 0


def main(argv):
    if argv[1] == "kunit":
        print(*kunit_counts(argv[2], int(argv[3])))
    elif argv[1] == "hmm":
        print(*hmm_counts(argv[2]))
    elif argv[1] == "summary":
        return summary(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
