#!/usr/bin/env bash
# execmem's KUnit suites in the kernel's own runner: kunit.py run
# --arch=x86_64 with the series' lib/tests/.kunitconfig, SMP added and two
# CPUs, so that the suites' races run.  Judged by
# configs/expected/x86_64-kunitpy: every listed suite reports, nothing
# fails, and only the listed cases skip.
#
#   kunitpy-test.sh      writes build/x86_64-kunitpy/result.json
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
src=${LINUX_DIR:-$top/linux}
name=x86_64-kunitpy
bdir=$top/build/$name
kdir=$top/build/kunitpy
mkdir -p "$bdir" "$kdir"
rm -f "$bdir/result.json" "$bdir/kunit.json" "$kdir/test.log"
export CCACHE_DIR=${CCACHE_DIR:-$(cache_home)/ccache} CCACHE_BASEDIR=$top CCACHE_DEPEND=${CCACHE_DEPEND:-1}
echo "test: $name: kunit.py run --arch=x86_64" >&2
(cd "$src" && python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--build_dir="$kdir" --kunitconfig=lib/tests \
	--make_options "CC=ccache gcc" --jobs "${BUILD_JOBS:-$(nproc)}" --timeout 600 \
	--kconfig_add CONFIG_SMP=y --qemu_args="-smp 2" \
	--json="$bdir/kunit.json") >"$bdir/kunit.log" 2>&1
rc=$?
python3 "$top/scripts/kunitpy-judge.py" "$name" "$rc" "$bdir/kunit.json" \
	"$kdir/test.log" "$bdir/kunit.log" "$top/configs/expected/$name" \
	"$bdir/result.json"
