#!/usr/bin/env bash
# execmem's KUnit suites in the kernel's own runner: kunit.py run
# --arch=ARCH with the series' lib/tests/.kunitconfig, SMP added and two
# CPUs, so that the suites' races run.  Judged by
# configs/expected/ARCH-kunitpy: every listed suite reports, nothing
# fails, and only the listed cases skip.
#
#   kunitpy-test.sh [ARCH]   x86_64 (default), arm64, riscv64, arm, i386,
#                            powerpc64 or s390x, with kunit.py's own QEMU
#                            configuration for it; writes
#                            build/ARCH-kunitpy/result.json
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
src=${LINUX_DIR:-$top/linux}
arch=${1:-x86_64}
case $arch in
x86_64) karch=x86_64 prefix= pkgs=() ;;
arm64) karch=arm64 prefix=aarch64-linux-gnu- pkgs=() ;;
riscv64) karch=riscv prefix=riscv64-linux-gnu- pkgs=() ;;
# kunit.py's other QEMU configurations: boot-tested here, not in make check
arm) karch=arm prefix=arm-linux-gnueabihf- pkgs=(gcc-arm-linux-gnueabihf) ;;
i386) karch=i386 prefix= pkgs=() ;;
powerpc64) karch=powerpc prefix=powerpc64le-linux-gnu- pkgs=(gcc-powerpc64le-linux-gnu qemu-system-ppc) ;;
s390x) karch=s390 prefix=s390x-linux-gnu- pkgs=(gcc-s390x-linux-gnu) ;;
*) die "unknown arch '$arch' (x86_64, arm64, riscv64, arm, i386, powerpc64 or s390x)" ;;
esac
# Its cross compiler and QEMU, beside what make deps installs.
[ ${#pkgs[@]} -eq 0 ] || "$top/scripts/deps.sh" "${pkgs[@]}" || die "cannot install ${pkgs[*]}"
name=$arch-kunitpy
bdir=$top/build/$name
kdir=$top/build/kunitpy
[ "$arch" = x86_64 ] || kdir=$kdir-$arch
cross=()
[ -z "$prefix" ] || cross=(--cross_compile="$prefix")
mkdir -p "$bdir" "$kdir"
rm -f "$bdir/result.json" "$bdir/kunit.json" "$kdir/test.log"
# Link the kernel again on every run, so that the link's warnings, which
# the expectation may list as the base tree's own, are there to be judged.
rm -f "$kdir/vmlinux"
export CCACHE_DIR=${CCACHE_DIR:-$(cache_home)/ccache} CCACHE_BASEDIR=$top CCACHE_DEPEND=${CCACHE_DEPEND:-1}
echo "test: $name: kunit.py run --arch=$karch" >&2
(cd "$src" && python3 tools/testing/kunit/kunit.py run --arch="$karch" "${cross[@]}" \
	--build_dir="$kdir" --kunitconfig=lib/tests \
	--make_options "CC=$top/scripts/ccache-cc ${prefix}gcc" --jobs "${BUILD_JOBS:-$(nproc)}" --timeout 600 \
	--kconfig_add CONFIG_SMP=y --qemu_args="-smp 2" \
	--json="$bdir/kunit.json") >"$bdir/kunit.log" 2>&1
rc=$?
python3 "$top/scripts/kunitpy-judge.py" "$name" "$rc" "$bdir/kunit.json" \
	"$kdir/test.log" "$bdir/kunit.log" "$top/configs/expected/$name" \
	"$bdir/result.json"
