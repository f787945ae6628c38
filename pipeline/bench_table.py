#!/usr/bin/env python3
"""Side-by-side tables of make bench, written to stdout and OUTDIR/bench.json.

bench_table.py OUTDIR

OUTDIR holds {stock,patched}.N.console.log (wall-clock boots, N = 1, 2, ...)
and {stock,patched}.icount.console.log (one boot each under QEMU -icount).
"""
import glob
import json
import os
import re
import statistics
import sys

LINE = re.compile(r"devmem_bench: (\w+) (-?\d+)(?: (\w+))?")
THP = re.compile(r"devmem-thp: (\d+) MiB (compound|order0): to device ([\d.]+) MiB/s back ([\d.]+) MiB/s")
MTHP = re.compile(r"devmem-mthp: (\d+) KiB folios, \d+ MiB (compound|order0): "
                  r"to device ([\d.]+) MiB/s back ([\d.]+) MiB/s")
DEMO = re.compile(r"devmem-demo: (migrate to device|CPU faults back)\s+[\d.]+ s\s+([\d.]+) MiB/s")

ROWS = []
for _gib in (1, 16, 64, 240):
    ROWS += [
        (f"register {_gib} GiB: time", "ms", f"register_{_gib}g_us", 1e-3),
        (f"register {_gib} GiB: descriptor memory", "MiB", f"register_{_gib}g_mem_kib", 1 / 1024),
        (f"register {_gib} GiB: physical address space", "GiB", f"register_{_gib}g_pa_gib", 1),
    ]
ROWS += [
    ("16 GiB registered, 1% used: descriptor memory", "MiB", "use_1pct_mem_kib", 1 / 1024),
    ("16 GiB registered, 100% used: descriptor memory", "MiB", "use_100pct_mem_kib", 1 / 1024),
    ("entry -> page lookup (pfn_swap_entry_to_page)", "ns", "lookup_pass_ps", 1e-3),
    ("migrate 64 MiB to device (4 KiB pages)", "MiB/s", "migrate_to_device_mibs", 1),
    ("fault 64 MiB back to RAM", "MiB/s", "fault_back_mibs", 1),
]
# The rows whose figure depends on the speed of the boot: paired per boot.
SPEED = ("lookup_pass_ps", "migrate_to_device_mibs", "fault_back_mibs")
# Goals of the issue: key, what, patched/stock bound, "max" or "min".
GOALS = [
    ("register_64g_us", "register 64 GiB at least 100x faster", 0.01, "max"),
    ("register_64g_mem_kib", "64 GiB: <= 1 MiB of descriptors (MiB)", 1.0, "abs"),
    ("lookup_pass_ps", "lookup within 10% of stock", 1.10, "max"),
    ("migrate_to_device_mibs", "migration to device >= 0.95x stock", 0.95, "min"),
    ("fault_back_mibs", "migration back >= 0.95x stock", 0.95, "min"),
]


def parse(path):
    """Every value of one boot, by key."""
    got = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.search(line)
            if m:
                got.setdefault(m.group(1), []).append(int(m.group(2)))
            m = DEMO.search(line)
            if m:
                key = "migrate_to_device_mibs" if m.group(1).startswith("migrate") else "fault_back_mibs"
                got.setdefault(key, []).append(float(m.group(2)))
            # (MiB, mode) for THP buffers, ("mthp", KiB, mode) by folio size.
            for rx, tag in ((THP, ()), (MTHP, ("mthp",))):
                m = rx.search(line)
                if m:
                    key = tag + (int(m.group(1)), m.group(2))
                    got.setdefault(key, ([], []))
                    got[key][0].append(float(m.group(3)))
                    got[key][1].append(float(m.group(4)))
    return got


def median_of(boots, key):
    vals = [v for b in boots for v in b.get(key, [])]
    return statistics.median(vals) if vals else None


def paired(stock, patched, key):
    """Median over boot pairs of patched/stock, each boot taken by its median."""
    ratios = []
    for s, p in zip(stock, patched):
        if s.get(key) and p.get(key):
            ratios.append(statistics.median(p[key]) / statistics.median(s[key]))
    return (statistics.median(ratios), ratios) if ratios else (None, [])


def fmt(v, spec=".3f"):
    return "-" if v is None else format(v, spec)


def side_by_side(title, stock, patched, keys_rows, with_pairs):
    print(title)
    head = f"{'what':50} {'unit':6} {'stock':>12} {'patched':>12} {'patched/stock':>14}"
    print(head + (f" {'paired':>8}" if with_pairs else ""))
    table = []
    for what, unit, key, scale in keys_rows:
        s, p = median_of(stock, key), median_of(patched, key)
        sv = None if s is None else s * scale
        pv = None if p is None else p * scale
        err = f"{key.split('_')[0]}_{key.split('_')[1]}_error"
        sfmt = "fails" if sv is None and any(err in b for b in stock) else fmt(sv)
        ratio = pv / sv if sv and pv is not None else None
        line = f"{what:50} {unit:6} {sfmt:>12} {fmt(pv):>12} {fmt(ratio, '.4f'):>14}"
        row = {"what": what, "unit": unit, "key": key, "stock": sv, "patched": pv, "ratio": ratio}
        if with_pairs and key in SPEED:
            pr, ratios = paired(stock, patched, key)
            line += f" {fmt(pr, '.4f'):>8}"
            row["paired_ratio"], row["boot_ratios"] = pr, ratios
        print(line)
        table.append(row)
    return table


def compound_table(title, boots, tag, unit, label, width):
    """Patched kernel: whole (compound) vs order-0, by size.

    tag: () for the THP buffers, keyed (MiB, mode); ("mthp",) for the
    folios of one size, keyed ("mthp", KiB, mode).  unit: "MiB" or "KiB",
    also the rows' key for the size ("mib", "kib").  label, width: the
    size column's heading and its width.
    """
    got = {}
    for b in boots:
        for key, val in b.items():
            if isinstance(key, tuple) and key[:len(tag)] == tag and len(key) == len(tag) + 2:
                got.setdefault(key[len(tag):], ([], []))
                got[key[len(tag):]][0].extend(val[0])
                got[key[len(tag):]][1].extend(val[1])
    rows = []
    if not got:
        return rows
    print()
    print(title)
    print(f"{label:>{width}} {'direction':10} {'compound':>10} {'order-0':>10} {'compound/order-0':>17}")
    for size in sorted({k[0] for k in got}):
        c, o = got.get((size, "compound")), got.get((size, "order0"))
        if not c or not o:
            continue
        for i, direction in enumerate(("to device", "back")):
            cv, ov = statistics.median(c[i]), statistics.median(o[i])
            print(f"{size:>5} {unit} {direction:10} {cv:10.1f} {ov:10.1f} {cv / ov:17.2f}")
            rows.append({unit.lower(): size, "direction": direction, "compound": cv,
                         "order0": ov, "ratio": cv / ov, "rounds": len(c[i])})
    return rows


def thp_table(title, boots):
    """THP buffers to device memory and back."""
    return compound_table(title, boots, (), "MiB", "buffer", 8)


def mthp_table(title, boots):
    """32 MiB of folios of one size."""
    return compound_table(title, boots, ("mthp",), "KiB", "folio", 9)


# Issue #6: THP buffers, compound at least 4x the order-0 throughput, each
# size and direction.  Issue #18: by folio size (KiB), PMD and 64 KiB.
THP_GOAL = 4.0
MTHP_GOALS = {2048: 4.0, 64: 2.0}


def ratio_goals(rows, label, bound_of, name_of):
    out = []
    for r in rows:
        bound = bound_of(r)
        if bound is None:
            continue
        what = f"{name_of(r)} {r['direction']} >= {bound:g}x order-0"
        ok = r["ratio"] >= bound
        print(f"  {label:7} {what:40} {'compound/o-0':>13} {r['ratio']:8.4f}: {'met' if ok else 'NOT met'}")
        out.append({"goal": what, "measure": label, "ratio": r["ratio"], "met": ok})
    return out


def thp_goals(rows, label):
    return ratio_goals(rows, label, lambda r: THP_GOAL, lambda r: f"THP {r['mib']} MiB")


def mthp_goals(rows, label):
    return ratio_goals(rows, label, lambda r: MTHP_GOALS.get(r["kib"]),
                       lambda r: f"{r['kib']} KiB folios")


def goals(table, column, label):
    by_key = {r["key"]: r for r in table}
    out = []
    for key, what, bound, kind in GOALS:
        r = by_key.get(key)
        if r is None or (column == "paired_ratio" and key not in SPEED):
            continue
        v = r.get("patched" if kind == "abs" else column)
        ok = v is not None and (v >= bound if kind == "min" else v <= bound)
        state = "-" if v is None else ("met" if ok else "NOT met")
        name = "patched" if kind == "abs" else "patched/stock"
        print(f"  {label:7} {what:40} {name:>13} {fmt(v, '.4f'):>8}: {state}")
        out.append({"goal": what, "measure": label, "ratio": v, "met": ok})
    return out


def main(outdir):
    def logs(base):
        paths = glob.glob(os.path.join(outdir, f"{base}.[0-9]*.console.log"))
        return [parse(p) for p in sorted(paths, key=lambda p: int(p.split(".")[-3]))]

    stock, patched = logs("stock"), logs("patched")
    ic = {b: os.path.join(outdir, f"{b}.icount.console.log") for b in ("stock", "patched")}
    ic_stock = [parse(ic["stock"])] if os.path.exists(ic["stock"]) else []
    ic_patched = [parse(ic["patched"])] if os.path.exists(ic["patched"]) else []

    n = lambda boots, key: sum(len(b.get(key, [])) for b in boots)
    result = {}
    result["wall"] = side_by_side(
        f"bench: wall clock, medians over {len(stock)} stock and {len(patched)} patched boots "
        f"(lookup: {n(stock, 'lookup_pass_ps')} and {n(patched, 'lookup_pass_ps')} passes of 10^7; "
        f"migration: {n(stock, 'fault_back_mibs')} and {n(patched, 'fault_back_mibs')} rounds); "
        "paired: median over boot pairs of patched/stock",
        stock, patched, ROWS, True)
    if ic_stock and ic_patched:
        print()
        result["icount"] = side_by_side(
            "bench: QEMU -icount, one boot each: 1 ns of guest time per guest instruction "
            "(ns = instructions, MiB/s = MiB per 10^9 instructions)",
            ic_stock, ic_patched, [r for r in ROWS if r[2] in SPEED or r[2] == "register_64g_us"],
            False)
    print()
    print("bench: goals")
    result["goals"] = goals(result["wall"], "ratio", "wall")
    result["goals"] += goals(result["wall"], "paired_ratio", "paired")
    if "icount" in result:
        result["goals"] += goals(result["icount"], "ratio", "icount")
    result["thp_wall"] = thp_table(
        "bench: 2 MiB-aligned THP buffers, patched kernel, wall clock: medians (MiB/s)", patched)
    if ic_patched:
        result["thp_icount"] = thp_table(
            "bench: 2 MiB-aligned THP buffers, patched kernel, -icount (MiB per 10^9 instructions)",
            ic_patched)
    if result["thp_wall"] or result.get("thp_icount"):
        print()
        print("bench: goals, THP buffers")
        result["goals"] += thp_goals(result["thp_wall"], "wall")
        result["goals"] += thp_goals(result.get("thp_icount", []), "icount")
    result["mthp_wall"] = mthp_table(
        "bench: 32 MiB of folios of one size, patched kernel, wall clock: medians (MiB/s)", patched)
    if ic_patched:
        result["mthp_icount"] = mthp_table(
            "bench: 32 MiB of folios of one size, patched kernel, -icount (MiB per 10^9 instructions)",
            ic_patched)
    if result["mthp_wall"] or result.get("mthp_icount"):
        print()
        print("bench: goals, folios by size")
        result["goals"] += mthp_goals(result["mthp_wall"], "wall")
        result["goals"] += mthp_goals(result.get("mthp_icount", []), "icount")
    json_path = os.path.join(outdir, "bench.json")
    with open(json_path, "w") as f:
        json.dump(result, f, indent=1)
    print(f"bench: results in {json_path}")


if __name__ == "__main__":
    main(sys.argv[1])
