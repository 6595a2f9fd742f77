#!/usr/bin/env bash
# make run: build the patched x86_64 kernel and boot it in QEMU with the demo
# (initramfs/demo), which shows execmem at work and powers off.
#   INTERACTIVE=1   boot to a shell instead
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
[ -e "$top/linux" ] || "$top/scripts/tree.sh"
mkdir -p "$top/build"
echo "run: building the x86_64 kernel (build/x86_64; a cold build takes a few minutes)" >&2
"$top/scripts/build.sh" x86_64 >"$top/build/run-build.log" 2>&1 ||
	{ tail -n 30 "$top/build/run-build.log" >&2; die "build failed, see build/run-build.log"; }
"$top/scripts/initramfs.sh" x86_64 >>"$top/build/run-build.log" 2>&1 ||
	{ tail -n 30 "$top/build/run-build.log" >&2; die "initramfs failed, see build/run-build.log"; }
if [ -n "${INTERACTIVE:-}" ]; then
	echo "run: booting to a shell; 'poweroff -f' or Ctrl-A X leaves QEMU" >&2
	MODE=shell exec "$top/scripts/boot.sh" x86_64
fi
log=$top/build/x86_64/run.log
echo "run: booting in QEMU (TCG); the kernel's own messages are kept in build/x86_64/run.log" >&2
MODE=demo TIMEOUT=${TIMEOUT:-300} APPEND="quiet" "$top/scripts/boot.sh" x86_64 | tee "$log" |
	grep --line-buffered -v '^\[ *[0-9]*\.[0-9]*\]' | grep --line-buffered -v '^execmem-harness:' || true
grep -q '^execmem-harness: done' "$log" || die "the demo did not finish; see $log"
grep -q '^execmem-harness: demo failed' "$log" && die "the demo failed; see $log"
echo "run: done" >&2
