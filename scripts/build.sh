#!/usr/bin/env bash
# Configure and build one test kernel out of tree, with ccache.
#
#   build.sh ARCH [FLAVOUR]      ARCH: x86_64, arm64 or riscv64
#
# The config is allnoconfig with configs/common.config, configs/ARCH.config,
# the kselftests' tools/testing/selftests/execmem/config and, for a flavour,
# configs/ARCH-FLAVOUR.config merged over it by the kernel's
# merge_config.sh.  An option that a fragment asks for and the
# final .config does not have is an error.
#
# make bench reuses it for its two kernels: LINUX_DIR (the source),
# BUILD_DIR (the output) and CONFIG_FRAGMENTS (the fragments, in place of
# configs/common.config, configs/ARCH.config and the flavour's) override the
# defaults.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

arch=${1:?usage: build.sh ARCH [FLAVOUR]}
flavour=${2:-}
arch_vars "$arch"
name=$arch${flavour:+-$flavour}
src=${LINUX_DIR:-$top/linux}
bdir=${BUILD_DIR:-$top/build/$name}
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run 'make tree')"
mkdir -p "$bdir"

frags=("$top/configs/common.config" "$top/configs/$arch.config")
# What the kselftests say they need: if merging it drops an option (a
# missing dependency in that file), the check below fails the build.
[ -f "$src/tools/testing/selftests/execmem/config" ] &&
	frags+=("$src/tools/testing/selftests/execmem/config")
if [ -n "${CONFIG_FRAGMENTS:-}" ]; then
	read -r -a frags <<<"$CONFIG_FRAGMENTS"
elif [ -n "$flavour" ]; then
	[ -f "$top/configs/$name.config" ] || die "no fragment configs/$name.config for flavour '$flavour'"
	frags+=("$top/configs/$name.config")
fi

export CCACHE_DIR=${CCACHE_DIR:-$(cache_home)/ccache}
export CCACHE_BASEDIR=$top CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
# Depend mode: on a miss ccache takes the headers from the compiler's own
# dependency file (kbuild passes -MMD) instead of running the preprocessor
# a second time.  A cold x86_64 build took 5 min 4 s with it, 6 min 31 s
# without; hits are the same direct-mode lookups either way.
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970"
export KBUILD_BUILD_USER=execmem KBUILD_BUILD_HOST=harness
# BUILD_JOBS: make's -j, every CPU by default.
kmake=(make -s -C "$src" O="$bdir" ARCH="$KARCH" CROSS_COMPILE="$CROSS"
       CC="$top/scripts/ccache-cc ${CROSS}gcc" HOSTCC="ccache gcc" -j"${BUILD_JOBS:-$(nproc)}")

# Merge the fragments; reconfigure only when the merged request changed, or
# a Kconfig file did (a new option must get its allnoconfig value, not a
# prompt).
(cd "$bdir" && "$src/scripts/kconfig/merge_config.sh" -m -O "$bdir" "${frags[@]}" >/dev/null)
mv "$bdir/.config" "$bdir/requested.config"
if ! cmp -s "$bdir/requested.config" "$bdir/.requested.config.used" || [ ! -f "$bdir/config.final" ] ||
   [ -n "$(find "$src" -name 'Kconfig*' -newer "$bdir/config.final" -print -quit)" ]; then
	echo "build: configuring $name" >&2
	"${kmake[@]}" KCONFIG_ALLCONFIG="$bdir/requested.config" allnoconfig >/dev/null
	cp "$bdir/.config" "$bdir/config.final"
	cp "$bdir/requested.config" "$bdir/.requested.config.used"
else
	cp "$bdir/config.final" "$bdir/.config"
fi

# Every requested option must have survived.
dropped=$(awk '
	FNR == NR {
		if (/^CONFIG_[A-Za-z0-9_]+=/) { split($0, kv, "="); want[kv[1]] = substr($0, length(kv[1]) + 2) }
		else if (/^# CONFIG_[A-Za-z0-9_]+ is not set/) want[$2] = "n"
		next
	}
	/^CONFIG_[A-Za-z0-9_]+=/ { split($0, kv, "="); have[kv[1]] = substr($0, length(kv[1]) + 2) }
	END {
		for (k in want) {
			h = (k in have) ? have[k] : "n"
			if (h != want[k]) printf "    %s: requested %s, got %s\n", k, want[k], h
		}
	}' "$bdir/requested.config" "$bdir/.config" | sort)
if [ -n "$dropped" ]; then
	echo "build: error: the $name config drops requested options (missing dependency?):" >&2
	echo "$dropped" >&2
	rm -f "$bdir/config.final"
	exit 1
fi

echo "build: building $name in ${bdir#"$top"/}" >&2
"${kmake[@]}"
if grep -q '^CONFIG_MODULES=y' "$bdir/.config"; then
	rm -rf "$bdir/modroot"
	"${kmake[@]}" INSTALL_MOD_PATH="$bdir/modroot" INSTALL_MOD_STRIP=1 modules_install >/dev/null
fi
echo "build: $bdir/$IMAGE" >&2
