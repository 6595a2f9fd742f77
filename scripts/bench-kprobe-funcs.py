#!/usr/bin/env python3
"""make bench: the functions that the kprobes step probes, the same on both
kernels.

    bench-kprobe-funcs.py OUT BASE_BUILD_DIR PATCHED_BUILD_DIR

A function qualifies when, in both kernels' vmlinux, it has an ftrace
record at its first byte (an entry of __mcount_loc: it is in
available_filter_functions once booted, and function+5 is just past the
call to __fentry__), is not init text (freed by then), no other text
symbol shares its address, and its name is unique in System.map and has
no '.' (kprobe_events looks a name up; a name that
several static functions share, or a compiler clone, could resolve to
different code on the two kernels).  OUT gets the names, one per line, in
the base kernel's address order; the guest probes the first ones it can.
Prints how many qualified on each kernel and in both.
"""
import collections
import struct
import sys


def symbols(build):
    syms = []
    for line in open("%s/System.map" % build):
        parts = line.split()
        if len(parts) == 3:
            syms.append((int(parts[0], 16), parts[1], parts[2]))
    return syms


def read_vaddr(vmlinux, start, end):
    """Bytes [start, end) of vmlinux's loaded image (ELF64 little-endian)."""
    data = open(vmlinux, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("bench-kprobe-funcs: %s is not a little-endian ELF64" % vmlinux)
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= start and end <= p_vaddr + p_filesz:
            off = p_offset + start - p_vaddr
            return data[off:off + end - start]
    sys.exit("bench-kprobe-funcs: %#x-%#x not in a loaded segment of %s" %
             (start, end, vmlinux))


def traceable(build):
    syms = symbols(build)
    addr = {n: a for a, _, n in syms}
    for need in ("__start_mcount_loc", "__stop_mcount_loc", "_sinittext",
                 "_einittext"):
        if need not in addr:
            sys.exit("bench-kprobe-funcs: no %s in %s/System.map" % (need, build))
    raw = read_vaddr("%s/vmlinux" % build, addr["__start_mcount_loc"],
                     addr["__stop_mcount_loc"])
    sites = {v for (v,) in struct.iter_unpack("<Q", raw) if v}
    count = collections.Counter(n for _, _, n in syms)
    at = collections.Counter(a for a, t, _ in syms if t in "tTwW")
    out = {}
    for a, t, n in syms:
        # Its ftrace record at its very start: "+5" is just past the call.
        if t not in "tTwW" or a not in sites:
            continue
        if addr["_sinittext"] <= a < addr["_einittext"]:
            continue
        # Aliases (one address, several names) and names that several
        # functions share are left out.
        if "." in n or count[n] != 1 or at[a] != 1:
            continue
        out[n] = a
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    out, base, patched = sys.argv[1:]
    b, p = traceable(base), traceable(patched)
    both = sorted((a, n) for n, a in b.items() if n in p)
    with open(out, "w") as f:
        for _, n in both:
            f.write(n + "\n")
    print("bench: kprobe candidates: %d on the base, %d on the series, %d on both"
          % (len(b), len(p), len(both)))


if __name__ == "__main__":
    main()
