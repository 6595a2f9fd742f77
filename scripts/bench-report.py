#!/usr/bin/env python3
"""make bench: turn the console logs of the base and patched boots into a
table of base, patched and patched/base, print it and write it as Markdown.

    bench-report.py --out results.md [--meta key=value]... KERNEL=LOG...

KERNEL is "base" or "patched" for a timed boot (one vCPU, -icount), or
"base-smp2"/"patched-smp2" for a boot with two vCPUs that the TLB-flush IPI
counts come from.  --config base=.config --config patched=.config and
--base-src DIR: the two kernels' configurations are compared, and must
differ only in symbols that the base's Kconfig does not have.

Every figure is the median over the boots of one kernel, with min-max when
the boots differ.  The exit status is 1 when a figure is missing for either
kernel, or a boot reported an error or did not finish: make check's QUICK
run relies on that, and on nothing else.
"""
import argparse
import os
import re
import statistics
import sys

POINTS = ["boot", "modules_cycle", "modules_load", "modules_unload",
          "bpf_load", "bpf_free", "kprobes_add", "kprobes_remove",
          "microbench", "idle", "end"]
STEPS = POINTS[1:-1]
PTDUMP_POINTS = ["boot", "modules_load", "bpf_load", "kprobes_add"]
KERNELS = ["base", "patched"]
# load_module()'s phases, as the measure patches name them (debugfs
# bench_load_phases), with what each covers.
LOAD_PHASES = [
    ("pre", "checks and layout, before allocating"),
    ("alloc", "allocating the regions"),
    ("windows_open", "opening write windows (the series only)"),
    ("reloc", "copying, relocating, module_finalize()"),
    ("setup", "icache, args, build id, dyndbg, ftrace_module_init()"),
    ("windows_close", "closing the windows of text and rodata: the "
     "series' permission changes (ro_after_init's is in init)"),
    ("formation", "rest of complete_formation(): the base's permission "
     "changes"),
    ("coming", "notifiers, parameters, sysfs, freeing the file copy"),
    ("init", "do_init_module(): init, ro_after_init made read-only, "
     "init's freeing queued"),
    ("free_init", "the worker freeing init memory, after RCU"),
]
LOAD_PHASE_SECTION = ("modules_load by phase of load_module(): the loading "
                      "task's run time (and the init-free worker's), guest "
                      "us per load")


def parse(path):
    run = {"snap": {}, "step": {}, "ptdump": {}, "errors": [], "end": False,
           "kernel": "?"}
    try:
        text = open(path, errors="replace").read()
    except OSError as e:
        run["errors"].append("cannot read %s: %s" % (path, e))
        return run
    for line in text.splitlines():
        m = re.search(r"BENCH (\w+) ?(.*)$", line)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).strip()
        if kind == "error":
            run["errors"].append(rest)
            continue
        if kind == "begin":
            kv = dict(re.findall(r"(\w+)=(\S+)", rest))
            run["kernel"] = kv.get("kernel", "?")
            continue
        if kind == "end":
            run["end"] = True
            continue
        if kind not in ("snap", "step", "ptdump") or not rest:
            continue
        name, _, fields = rest.partition(" ")
        d = run[kind].setdefault(name, {})
        for k, v in re.findall(r"(\w+)=(\S+)", fields):
            if k == "set":	# a hash, compared as written
                d[k] = v
                continue
            try:
                d[k] = int(v)
            except ValueError:
                d[k] = v
    if not run["end"]:
        run["errors"].append("%s: the bench did not finish" % path)
    return run


IPI_SECTION = ("IPIs per step, boots with 2 vCPUs (/proc/interrupts; "
               "calls queued: debugfs bench_xcalls)")


def figures(run, ipi_run):
    """Flat list of (section, label, value or None) for one timed boot;
    the TLB-flush IPI figures come from a two-vCPU boot instead."""
    out = []

    def get(kind, name, key):
        v = run[kind].get(name, {}).get(key)
        return v if isinstance(v, int) and v >= 0 else None

    for p in POINTS:
        for key, unit in (("DirectMap4k", "kB"), ("DirectMap2M", "kB"),
                          ("DirectMap1G", "kB"), ("level2_splits", ""),
                          ("level3_splits", "")):
            out.append(("direct map", "%s after %s%s" % (
                key, p, " (%s)" % unit if unit else ""), get("snap", p, key)))
    for p in PTDUMP_POINTS:
        for key, label in (("exec_bytes", "executable bytes"),
                           ("exec_pmd_bytes", "  on PMD mappings"),
                           ("exec_pte_bytes", "  on PTE mappings"),
                           ("exec_mappings", "  mappings (TLB entries)"),
                           ("exec_mappings_limit", "  limit ceil(bytes/2M)")):
            out.append(("executable text in modules + vmalloc space (ptdump)",
                        "%s at %s" % (label, p), get("ptdump", p, key)))
    prev = "boot"
    for s in STEPS:
        a, b = run["snap"].get(prev, {}), run["snap"].get(s, {})

        def delta(key, sign=1):
            if not isinstance(a.get(key), int) or not isinstance(b.get(key), int):
                return None
            if a[key] < 0 or b[key] < 0:
                return None
            return sign * (b[key] - a[key])
        out.append(("memory per step (net change; negative = given back)",
                    "%s: pages from page allocator" % s,
                    delta("free_pages", -1)))
        out.append(("memory per step (net change; negative = given back)",
                    "%s: VmallocUsed (kB)" % s, delta("VmallocUsed")))
        for key, label in (("tlb_ipis", "TLB line"),
                           ("call_ipis", "CAL line (all function-call IPIs "
                            "received, scheduler wake-ups included)"),
                           ("xcalls_many", "calls queued to other CPUs by "
                            "smp_call_function_many (kernel TLB flushes, "
                            "text_poke syncs, on_each_cpu)"),
                           ("xcalls_single", "calls queued to one other CPU by "
                            "smp_call_function_single*")):
            ipis = None
            if ipi_run:
                ia, ib = ipi_run["snap"].get(prev, {}), ipi_run["snap"].get(s, {})
                if isinstance(ia.get(key), int) and isinstance(ib.get(key), int) \
                   and ia[key] >= 0 and ib[key] >= 0:
                    ipis = ib[key] - ia[key]
            out.append((IPI_SECTION, "%s: %s" % (s, label), ipis))
        t = get("step", s, "time_ns")
        if s != "idle":		# a sleep, the same on both
            out.append(("time per step (guest, -icount shift=0; ms)", s,
                        None if t is None else t / 1e6))
        prev = s
    loads = get("step", "modules_load", "count")
    for key, label in LOAD_PHASES:
        v = get("step", "load_phases", key)
        out.append((LOAD_PHASE_SECTION, "%s: %s" % (key, label),
                    None if v is None or not loads else v / 1e3 / loads))
    a, b = run["snap"].get("boot", {}), run["snap"].get("idle", {})
    held = None
    if all(isinstance(d.get("free_pages"), int) and d["free_pages"] >= 0
           for d in (a, b)):
        held = a["free_pages"] - b["free_pages"]
    out.append(("memory per step (net change; negative = given back)",
                "held after idle, against boot: pages from page allocator",
                held))
    for key, label in (("reuse_ns", "alloc+free, freed at once (cache-hit pattern)"),
                       ("grow_ns", "alloc+free, 1000 held (cache-miss pattern)")):
        out.append(("microbench: ns per alloc+free of 1-16 pages, with the "
                    "caller's set_memory_*", label,
                    get("step", "microbench", key)))
    for key, label in (("pack_ns", "ns per image (alloc, write, free)"),):
        out.append(("BPF images of 64-1024 bytes packed by bpf_prog_pack "
                    "(execmem_bench, 1,000 at full scale)", label,
                    get("step", "microbench", key)))
    out.append(("workload", "BPF JITed bytes (4,000 programs at full scale)",
                get("step", "bpf_jited", "jited_bytes")))
    out.append(("workload", "kprobes registered",
                get("step", "kprobes_add", "count")))
    out.append(("workload", "kprobes tried (listed and traceable)",
                get("step", "kprobes_add", "tried")))
    out.append(("workload", "kprobes listed but not traceable",
                get("step", "kprobes_add", "absent")))
    return out


def fmt(v):
    if isinstance(v, float):
        return "%.1f" % v if abs(v) < 1000 else "%.0f" % v
    return str(v)


def summary(vals):
    if not vals or any(v is None for v in vals):
        return None, "MISSING"
    med = statistics.median(vals)
    if isinstance(med, float) and all(isinstance(v, int) for v in vals) and med.is_integer():
        med = int(med)
    s = fmt(med)
    lo, hi = fmt(min(vals)), fmt(max(vals))
    if lo != hi:
        s += " [%s..%s]" % (lo, hi)
    return med, s


def ratio(b, p):
    if b is None or p is None:
        return "MISSING"
    if b == 0:
        return "1.00" if p == 0 else "inf"
    return "%.2f" % (p / b)


def chart(runs):
    """DirectMap4k over the steps, base against patched, as text bars."""
    rows, top = [], 1
    for p in POINTS:
        vals = {}
        for k in KERNELS:
            v = [r["snap"].get(p, {}).get("DirectMap4k") for r in runs[k]]
            v = [x for x in v if isinstance(x, int)]
            vals[k] = statistics.median(v) if v else 0
            top = max(top, vals[k])
        rows.append((p, vals))
    lines = ["DirectMap4k (kB) after each step; each # is %d kB" % max(1, top // 40)]
    for p, vals in rows:
        for k in KERNELS:
            n = int(round(40 * vals[k] / top))
            lines.append("%-15s %-7s %8d |%s" % (p if k == "base" else "", k,
                                                 vals[k], "#" * n))
    return lines


def alone_section(runs, problems):
    """Patched kernel only: BPF images packed by bpf_prog_pack (its packs
    from the ROX cache) against one ROX cache allocation per image, as if
    the cache replaced bpf_prog_pack."""
    sec = "BPF images: bpf_prog_pack on the cache vs the cache alone (patched kernel)"
    md = ["", "## " + sec, "",
          "Space: bpf_prog_pack hands out 64-byte units of 2M packs; the "
          "cache alone hands out whole 4K pages, so an image of 64-1024 bytes "
          "takes 4-64 times the space it does in a pack.  The time per image "
          "includes making and tearing down the pack or chunk the images "
          "need, spread over them (100 images with QUICK=1, 1,000 without).",
          "",
          "| figure | packed | alone | alone/packed |", "|---|---:|---:|---:|"]
    for key, label in (("ns", "ns per image (alloc, write, free)"),):
        vals = {}
        for way in ("pack", "alone"):
            v = [r["step"].get("microbench", {}).get("%s_%s" % (way, key))
                 for r in runs]
            v = [x if isinstance(x, int) and x >= 0 else None for x in v]
            vals[way] = summary(v)
            if vals[way][1] == "MISSING":
                problems.append("figure missing: %s: %s %s" % (sec, way, label))
        md.append("| %s | %s | %s | %s |" % (label, vals["pack"][1],
                                             vals["alone"][1],
                                             ratio(vals["pack"][0],
                                                   vals["alone"][0])))
    return md


def read_config(path):
    """{symbol: value} of a .config; "n" for "# CONFIG_X is not set"."""
    conf = {}
    for line in open(path):
        m = re.match(r"(CONFIG_\w+)=(.*)$", line)
        if m:
            conf[m.group(1)] = m.group(2)
        m = re.match(r"# (CONFIG_\w+) is not set$", line)
        if m:
            conf[m.group(1)] = "n"
    return conf


def kconfig_symbols(src):
    """Every symbol that a Kconfig file of the tree at @src defines."""
    syms = set()
    for root, _, files in os.walk(src):
        for name in files:
            if not name.startswith("Kconfig"):
                continue
            for line in open(os.path.join(root, name), errors="replace"):
                m = re.match(r"\s*(?:menu)?config\s+(\w+)", line)
                if m:
                    syms.add("CONFIG_" + m.group(1))
    return syms


def config_section(paths, base_src, problems):
    """The two final .config files, compared: the diff, and a problem for
    anything but symbols that only the series defines."""
    md = ["", "## configuration: base against patched", ""]
    if set(paths) != set(KERNELS):
        problems.append("the two kernels' .config files were not compared")
        return md
    conf = {k: read_config(paths[k]) for k in KERNELS}
    known = kconfig_symbols(base_src) if base_src else set()
    if not known:
        problems.append("no Kconfig symbols found in the base source")
    rows = []
    for sym in sorted(set(conf["base"]) | set(conf["patched"])):
        b, p = conf["base"].get(sym), conf["patched"].get(sym)
        if b == p:
            continue
        if b is None and sym not in known:
            why = "added by the series"
        else:
            why = "**differs**"
            problems.append("config: %s is %s on the base and %s on the series"
                            % (sym, b or "absent", p or "absent"))
        rows.append("| %s | %s | %s | %s |" % (sym, b or "-", p or "-", why))
    md.append("`diff` of the final `.config` files (%d symbols on the base, "
              "%d on the series); every other symbol has the same value:"
              % (len(conf["base"]), len(conf["patched"])))
    md += ["", "| symbol | base | patched | |", "|---|---|---|---|"] + rows
    return md


def kprobe_sets(runs, problems):
    """Every boot, timed or not, must have probed the same functions: the
    guest hashes each name it went through with what became of it."""
    sets = {}
    for k in runs:
        for r in runs[k]:
            h = r["step"].get("kprobes_add", {}).get("set")
            if not isinstance(h, str) or not re.fullmatch(r"[0-9a-f]{8}", h):
                problems.append("%s: kprobes_add: no hash of the kprobes it "
                                "probed (set=%s)" % (k, h))
                continue
            sets.setdefault(h, set()).add(k)
    if len(sets) > 1:
        problems.append("kprobes_add: the boots probed different functions "
                        "(name hashes %s)" % ", ".join(
                            "%s on %s" % (h, "/".join(sorted(v)))
                            for h, v in sorted(sets.items())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("--config", action="append", default=[],
                    help="KERNEL=PATH of its final .config")
    ap.add_argument("--base-src", help="the base's source tree (its Kconfig)")
    ap.add_argument("logs", nargs="+", help="KERNEL=LOG")
    args = ap.parse_args()

    runs = {k: [] for k in KERNELS + [k + "-smp2" for k in KERNELS]}
    for arg in args.logs:
        k, _, path = arg.partition("=")
        if k not in runs:
            sys.exit("bench-report: unknown kernel %r" % k)
        runs[k].append(parse(path))

    problems = []
    for k in runs:
        if not runs[k]:
            problems.append("no %s boots" % k)
        for r in runs[k]:
            problems += ["%s: %s" % (k, e) for e in r["errors"]]

    per = {}
    for k in KERNELS:
        ipis = runs[k + "-smp2"]
        if len(ipis) != len(runs[k]):
            problems.append("%s: %d timed boots but %d IPI boots"
                            % (k, len(runs[k]), len(ipis)))
        per[k] = [figures(r, ipis[i] if i < len(ipis) else None)
                  for i, r in enumerate(runs[k])]
    kprobe_sets(runs, problems)
    labels = [(s, l) for s, l, _ in figures(parse("/dev/null"), None)]
    md = ["# make bench: v6.1.176 base against the execmem series", ""]
    for m in args.meta:
        key, _, val = m.partition("=")
        md.append("- %s: %s" % (key, val))
    kern = {k: sorted({r["kernel"] for r in runs[k]}) for k in KERNELS}
    md.append("- uname -r: base %s; patched %s" % (", ".join(kern["base"]),
                                                   ", ".join(kern["patched"])))
    md.append("- values: median over the timed boots [min..max when they differ]; "
              "IPIs: median over the boots with 2 vCPUs (%d and %d) [min..max]; "
              "ratio = patched median / base median"
              % (len(runs["base-smp2"]), len(runs["patched-smp2"])))
    sections = {}
    for i, (sec, label) in enumerate(labels):
        sections.setdefault(sec, []).append((i, label))
    for sec, rows in sections.items():
        md += ["", "## " + sec, "",
               "| figure | base | patched | patched/base |",
               "|---|---:|---:|---:|"]
        for i, label in rows:
            b, bs = summary([f[i][2] for f in per["base"]])
            p, ps = summary([f[i][2] for f in per["patched"]])
            if bs == "MISSING" or ps == "MISSING":
                problems.append("figure missing: %s: %s" % (sec, label.strip()))
            md.append("| %s | %s | %s | %s |" % (
                label.replace("  ", "&nbsp;&nbsp;"), bs, ps, ratio(b, p)))
    md += alone_section(runs["patched"], problems)
    md += config_section(dict(c.partition("=")[::2] for c in args.config),
                         args.base_src, problems)
    md += ["", "## DirectMap4k over the steps", "", "```"] + chart(runs) + ["```"]
    if problems:
        md += ["", "## Problems", ""] + ["- " + p for p in problems]
    text = "\n".join(md) + "\n"
    with open(args.out, "w") as f:
        f.write(text)
    print(text.replace("&nbsp;", " "))
    print("bench: results in %s" % args.out)
    if problems:
        print("bench: FAILED: %d problem(s)" % len(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
