#!/usr/bin/env bash
# The kernel's own gdb scripts on a running kernel with a module from
# execmem's per-type module memory: lx-lsmod lists the test module at its
# text, lx-symbols loads its symbols there, and gdb then puts a function of
# it where kallsyms does.  x86_64 only; the kernel needs debug information
# and CONFIG_GDB_SCRIPTS.
#
#   gdb-test.sh ARCH FLAVOUR      writes build/ARCH-FLAVOUR-gdb/result.json
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
arch=${1:?usage: gdb-test.sh ARCH FLAVOUR}
flavour=${2:?usage: gdb-test.sh ARCH FLAVOUR}
kname=$arch-$flavour
name=$kname-gdb
kdir=$top/build/$kname
bdir=$top/build/$name
mkdir -p "$bdir"
log=$bdir/console.log
rm -f "$bdir/result.json" "$log"
pass=0 fail=0 notes=()
check() {	# check DESCRIPTION COMMAND...
	if "${@:2}"; then pass=$((pass + 1)); echo "ok $1"
	else fail=$((fail + 1)); notes+=("$1"); echo "not ok $1"; fi
}
result() {
	python3 - "$name" "$pass" "$fail" "$bdir/result.json" "${notes[@]}" <<'PY'
import json, sys
name, p, f, out, *notes = sys.argv[1:]
json.dump({"name": name, "passed": int(p), "failed": int(f), "skipped": 0,
           "failures": notes, "problems": []}, open(out, "w"))
PY
}
[ "$arch" = x86_64 ] || die "only x86_64"
[ -f "$kdir/vmlinux-gdb.py" ] || { notes=("no vmlinux-gdb.py in build/$kname (CONFIG_GDB_SCRIPTS)"); fail=1; result; exit 1; }

port=$((20000 + $$ % 20000))
MODE=gdb TIMEOUT=600 CONSOLE_LOG=$log APPEND="kunit.filter_glob=none" \
	QEMU_EXTRA="-gdb tcp:127.0.0.1:$port" "$top/scripts/boot.sh" "$arch" "$flavour" \
	2>"$bdir/boot.log" &
boot=$!
for _ in $(seq 300); do
	grep -q 'execmem-harness: gdb ready' "$log" 2>/dev/null && break
	kill -0 $boot 2>/dev/null || break
	sleep 1
done
ready=$(grep -a -m1 'execmem-harness: gdb ready' "$log" 2>/dev/null)
text=$(sed -n 's/.*text=\(0x[0-9a-f]*\).*/\1/p' <<<"$ready")
sum=$(sed -n 's/.*sum=\(0x[0-9a-f]*\).*/\1/p' <<<"$ready")
if [ -z "$text" ] || [ -z "$sum" ]; then
	check "the kernel booted and loaded the test module" false
else
	gdb -nx -batch -q -iex "set auto-load safe-path /" -ex "set pagination off" \
		-ex "file $kdir/vmlinux" -ex "source $kdir/vmlinux-gdb.py" \
		-ex "target remote 127.0.0.1:$port" -ex "lx-lsmod" \
		-ex "lx-symbols $kdir/lib/tests" -ex "info address execmem_test_sum" \
		-ex "detach" >"$bdir/gdb.log" 2>&1
	check "lx-lsmod lists execmem_test_module at its text, $text" \
		grep -Eq "^$text +execmem_test_module " "$bdir/gdb.log"
	check "lx-symbols loads its symbols at $text" \
		grep -q "loading @$text: .*execmem_test_module.ko" "$bdir/gdb.log"
	check "gdb puts execmem_test_sum where kallsyms does, $sum" \
		grep -q "Symbol \"execmem_test_sum\" is a function at address $sum\." "$bdir/gdb.log"
fi
pkill -f "tcp:127.0.0.1:$port" 2>/dev/null
wait $boot 2>/dev/null
result
echo "gdb: $name: $pass passed, $fail failed (build/$name/gdb.log)" >&2
[ "$fail" = 0 ]
