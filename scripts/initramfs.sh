#!/usr/bin/env bash
# Build the test initramfs for one arch: the static init, the execmem
# kselftests (when the tree has them), the kernel's modules, and for x86_64
# busybox and the demo.
#
#   initramfs.sh ARCH [FLAVOUR]      writes build/ARCH[-FLAVOUR]/initramfs.cpio
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

arch=${1:?usage: initramfs.sh ARCH [FLAVOUR]}
flavour=${2:-}
arch_vars "$arch"
name=$arch${flavour:+-$flavour}
src=${LINUX_DIR:-$top/linux}
bdir=$top/build/$name
root=$bdir/initramfs
[ -f "$bdir/.config" ] || die "build $name first"

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests}
"${CROSS}gcc" -static -O2 -Wall -o "$root/init" "$top/initramfs/init.c"

# kselftests of the series, built static for the target.
ksft=$src/tools/testing/selftests/execmem
if [ -d "$ksft" ]; then
	out=$bdir/kselftest
	mkdir -p "$out"
	make -s -C "$ksft" OUTPUT="$out" CC="${CROSS}gcc" \
		CFLAGS="-static -O2 -Wall -I$src/tools/testing/selftests -I$src/usr/include" \
		KHDR_INCLUDES="-isystem $bdir/usr/include" ARCH="$KARCH" CROSS_COMPILE="$CROSS" >&2
	make -s -C "$ksft" OUTPUT="$out" INSTALL_PATH="$root/tests" install >/dev/null 2>&1 ||
		find "$out" -maxdepth 1 -type f -perm -u+x -exec cp {} "$root/tests/" \;
	[ -f "$ksft/config" ] && cp "$ksft/config" "$root/tests/.config"
fi
# Harness-side tests, if any, run after the kselftests.
for t in "$top"/initramfs/tests/*; do
	[ -f "$t" ] && install -m 0755 "$t" "$root/tests/"
done

if [ -d "$bdir/modroot/lib" ]; then
	cp -a "$bdir/modroot/lib" "$root/"
fi

if [ "$arch" = x86_64 ] && [ -x /bin/busybox ]; then
	cp /bin/busybox "$root/bin/"
	for a in $(/bin/busybox --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	[ -f "$top/initramfs/demo" ] && install -m 0755 "$top/initramfs/demo" "$root/demo"
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$bdir/initramfs.cpio.tmp"
mv "$bdir/initramfs.cpio.tmp" "$bdir/initramfs.cpio"
echo "initramfs: $bdir/initramfs.cpio" >&2
