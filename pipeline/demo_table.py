#!/usr/bin/env python3
"""The demo's two runs side by side.

demo_table.py ARCH SIZE PATCHED-CONSOLE-LOG STOCK-CONSOLE-LOG

Reads the "devmem-demo: ..." lines of each guest and prints every step once,
with what the patched and the stock kernel said for it.
"""
import re
import sys

FIXED = re.compile(r"devmem-demo: (buffer|fill|migrate to device|on the device|"
                   r"CPU faults back|verify)\s+(.*)")
KEYED = re.compile(r"devmem-demo: ([^:]+): (.*)")


def parse(path):
    rows = {}
    try:
        f = open(path, errors="replace")
    except OSError:
        return {"run": ["no console log at " + path]}
    with f:
        for line in f:
            line = line.strip().replace("\r", "")
            m = FIXED.match(line) or KEYED.match(line)
            if m:
                rows.setdefault(m.group(1), []).append(re.sub(r"\s+", " ", m.group(2)))
        if not rows:
            rows["run"] = ["the guest printed nothing (see " + path + ")"]
    return rows


def main(arch, size, patched_path, stock_path):
    runs = {"patched": parse(patched_path), "stock": parse(stock_path)}
    keys = list(runs["patched"])
    keys += [k for k in runs["stock"] if k not in keys]
    what = {"arm64": "arm64 (VA_BITS=39, 4K pages)", "x86_64": "x86_64 (4-level, 4K pages)",
            "arm64-16k": "arm64 (VA_BITS=47, 16K pages)",
            "arm64-64k": "arm64 (VA_BITS=52, 64K pages)"}
    print(f"== make demo: {what.get(arch, arch)}, register {size} of device-private "
          f"memory, patched and stock 6.12 ==")
    for key in keys:
        print(key)
        for base in ("patched", "stock"):
            vals = runs[base].get(key) or ["-"]
            for i, val in enumerate(vals):
                print(f"  {base if i == 0 else '':8} {val}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
