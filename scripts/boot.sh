#!/usr/bin/env bash
# Boot a built test kernel with its initramfs in QEMU (TCG).
#
#   boot.sh ARCH [FLAVOUR]
#
#   MODE=test      run the KUnit suites and the kselftests; the console goes
#                  to build/NAME/console.log (default)
#   MODE=demo      run the demo script, console on stdout
#   MODE=shell     interactive shell (x86_64), console on stdio
#   TIMEOUT=secs   end a test or demo boot that runs longer (default 900)
#   APPEND="..."   extra kernel command line
#   CONSOLE_LOG=f  where a test boot's console goes (default
#                  build/NAME/console.log)
#   QEMU_EXTRA="..." extra QEMU arguments
#   INITRD=file    the initramfs (default build/NAME/initramfs.cpio)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

arch=${1:?usage: boot.sh ARCH [FLAVOUR]}
flavour=${2:-}
arch_vars "$arch"
name=$arch${flavour:+-$flavour}
bdir=$top/build/$name
mode=${MODE:-test}
timeout=${TIMEOUT:-900}
[ -f "$bdir/$IMAGE" ] || die "no kernel at build/$name/$IMAGE: run 'make build ARCH=$arch'"
initrd=${INITRD:-$bdir/initramfs.cpio}
[ -f "$initrd" ] || die "no initramfs for $name"

cmdline="panic=-1 printk.time=1 harness.mode=$mode ${APPEND:-}"
case $arch in
x86_64)
	qemu=(qemu-system-x86_64 -accel tcg -cpu max -bios qboot.rom)
	cmdline="console=ttyS0 $cmdline" ;;
arm64)
	qemu=(qemu-system-aarch64 -accel tcg -machine virt -cpu max,pauth-impdef=on)
	cmdline="console=ttyAMA0 $cmdline" ;;
riscv64)
	qemu=(qemu-system-riscv64 -accel tcg -machine virt -cpu rv64
	      -bios /usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin)
	cmdline="console=ttyS0 $cmdline" ;;
esac
# shellcheck disable=SC2206
qemu+=(-smp 2 -m 2G -nographic -no-reboot -kernel "$bdir/$IMAGE"
       -initrd "$initrd" -append "$cmdline" ${QEMU_EXTRA:-})

case $mode in
shell)
	exec "${qemu[@]}" ;;
demo)
	timeout --foreground -k 5 "$timeout" "${qemu[@]}" </dev/null ;;
*)
	log=${CONSOLE_LOG:-$bdir/console.log}
	rc=0
	timeout -k 5 "$timeout" "${qemu[@]}" </dev/null >"$log" 2>&1 || rc=$?
	[ $rc = 124 ] && echo "execmem-harness: TIMEOUT after ${timeout}s" >>"$log"
	echo "boot: $name exited with $rc, log in ${log#"$top"/}" >&2
	;;
esac
