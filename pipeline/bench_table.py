#!/usr/bin/env python3
"""Side-by-side table of devmem_bench results.

bench_table.py JSON STOCK-CONSOLE-LOG... -- PATCHED-CONSOLE-LOG...
"""
import json
import re
import statistics
import sys

LINE = re.compile(r"devmem_bench: (\w+) (-?\d+)(?: (\w+))?")
THP = re.compile(r"devmem-thp: (\d+) MiB (compound|order0): to device ([\d.]+) MiB/s back ([\d.]+) MiB/s")
DEMO = re.compile(r"devmem-demo: (migrate to device|CPU faults back)\s+[\d.]+ s\s+([\d.]+) MiB/s")


def parse(paths):
    """Every value of every boot; the median of each is what the table shows."""
    got = {}
    for path in paths:
        with open(path, errors="replace") as f:
            for line in f:
                m = LINE.search(line)
                if m:
                    got.setdefault(m.group(1), []).append(int(m.group(2)))
                m = DEMO.search(line)
                if m:
                    key = "migrate_to_device_mibs" if m.group(1).startswith("migrate") else "fault_back_mibs"
                    got.setdefault(key, []).append(float(m.group(2)))
    vals = {key: statistics.median(v) for key, v in got.items()}
    vals["all"] = got
    vals["boots"] = len(paths)
    return vals


def thp_table(paths):
    """Patched kernel: THP buffers to device memory and back, whole vs order-0."""
    got = {}
    for path in paths:
        with open(path, errors="replace") as f:
            for line in f:
                m = THP.search(line)
                if m:
                    key = (int(m.group(1)), m.group(2))
                    got.setdefault(key, ([], []))
                    got[key][0].append(float(m.group(3)))
                    got[key][1].append(float(m.group(4)))
    rows = []
    if not got:
        return rows
    print()
    print("bench: 2 MiB-aligned THP buffers, patched kernel, same guests: medians (MiB/s)")
    print(f"{'buffer':>8} {'direction':10} {'compound':>10} {'order-0':>10} {'compound/order-0':>17}")
    for mib in sorted({k[0] for k in got}):
        c, o = got.get((mib, "compound")), got.get((mib, "order0"))
        if not c or not o:
            continue
        for i, direction in enumerate(("to device", "back")):
            cv, ov = statistics.median(c[i]), statistics.median(o[i])
            print(f"{mib:>5} MiB {direction:10} {cv:10.1f} {ov:10.1f} {cv / ov:17.2f}")
            rows.append({"mib": mib, "direction": direction, "compound": cv,
                         "order0": ov, "ratio": cv / ov, "rounds": len(c[i])})
    return rows


def main(json_path, stock_paths, patched_paths):
    stock, patched = parse(stock_paths), parse(patched_paths)
    rows = []
    for gib in (1, 16, 64, 240):
        for key, what, unit, scale in (
            ("register_%dg_us", "register %d GiB: time", "ms", 1e-3),
            ("register_%dg_mem_kib", "register %d GiB: descriptor memory", "MiB", 1 / 1024),
            ("register_%dg_pa_gib", "register %d GiB: physical address space", "GiB", 1),
        ):
            k = key % gib
            rows.append((what % gib, unit, k, scale))
    rows += [
        ("16 GiB registered, 1% used: descriptor memory", "MiB", "use_1pct_mem_kib", 1 / 1024),
        ("16 GiB registered, 100% used: descriptor memory", "MiB", "use_100pct_mem_kib", 1 / 1024),
        ("entry -> page lookup (pfn_swap_entry_to_page)", "ns", "lookup_pass_ps", 1e-3),
        ("migrate 64 MiB to device (4 KiB pages)", "MiB/s", "migrate_to_device_mibs", 1),
        ("fault 64 MiB back to RAM", "MiB/s", "fault_back_mibs", 1),
    ]
    table = []
    print(f"bench: medians over {stock['boots']} stock and {patched['boots']} patched boots "
          f"(lookup: {len(stock['all'].get('lookup_pass_ps', []))} and "
          f"{len(patched['all'].get('lookup_pass_ps', []))} passes of 10^7; migration: "
          f"{len(stock['all'].get('fault_back_mibs', []))} and "
          f"{len(patched['all'].get('fault_back_mibs', []))} rounds)")
    print(f"{'what':50} {'unit':6} {'stock':>12} {'patched':>12} {'patched/stock':>14}")
    for what, unit, key, scale in rows:
        s, p = stock.get(key), patched.get(key)
        sv = None if s is None else s * scale
        pv = None if p is None else p * scale
        if sv is None and f"{key.split('_')[0]}_{key.split('_')[1]}_error" in stock:
            sfmt = "fails %d" % stock[f"{key.split('_')[0]}_{key.split('_')[1]}_error"]
        else:
            sfmt = "-" if sv is None else f"{sv:.3f}"
        pfmt = "-" if pv is None else f"{pv:.3f}"
        ratio = f"{pv / sv:.4f}" if sv and pv is not None else "-"
        print(f"{what:50} {unit:6} {sfmt:>12} {pfmt:>12} {ratio:>14}")
        table.append({"what": what, "unit": unit, "stock": sv, "patched": pv,
                      "ratio": (pv / sv) if sv and pv is not None else None})
    thp = thp_table(patched_paths)
    with open(json_path, "w") as f:
        json.dump({"stock_raw": stock, "patched_raw": patched, "rows": table,
                   "thp_rows": thp}, f, indent=1)
    print(f"bench: results in {json_path}")


if __name__ == "__main__":
    sep = sys.argv.index("--")
    main(sys.argv[1], sys.argv[2:sep], sys.argv[sep + 1:])
