#!/usr/bin/env bash
# Build-test the series where it is not booted: configure a defconfig with
# modules, kprobes and the BPF JIT, and compile the objects the series
# touches there (module loader, execmem, kprobes, BPF core, the arch's
# directories it changes).  A compiler warning in a file the series
# changes fails.  The x86 entries
# cover what the test configs leave out: livepatch, kdb, the ITS thunks,
# and 32-bit.
#
#   cross-build.sh [ARCH...]     default: every arch with a compiler here
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
src=${LINUX_DIR:-$top/linux}
[ -f "$src/Makefile" ] || die "no kernel tree at $src (run 'make tree')"
export CCACHE_DIR=${CCACHE_DIR:-$(cache_home)/ccache} CCACHE_BASEDIR=$top CCACHE_DEPEND=${CCACHE_DEPEND:-1}

# arch:defconfig:cross-prefix:extra objects[:extra options]
# Every configuration also builds kernel/module/, execmem's files, the
# kprobes and BPF cores where configured, and every directory of
# arch/ARCH/ in which the series changes a .c file.
targets=(
	"x86:x86_64_defconfig::kernel/livepatch/ kernel/debug/kdb/:FUNCTION_TRACER DYNAMIC_FTRACE KALLSYMS_ALL LIVEPATCH KGDB KGDB_KDB RETPOLINE RETHUNK MITIGATION_ITS"
	"x86:i386_defconfig:::FUNCTION_TRACER DYNAMIC_FTRACE"
	"arm:multi_v7_defconfig:arm-linux-gnueabihf-::ARM_MODULE_PLTS"
	# NOMMU Cortex-M, with modules
	"arm:stm32_defconfig:arm-linux-gnueabihf-:"
	"powerpc:pmac32_defconfig:powerpc-linux-gnu-:"
	"powerpc:mpc885_ads_defconfig:powerpc-linux-gnu-::STRICT_MODULE_RWX"
	"powerpc:ppc64le_defconfig:powerpc64le-linux-gnu-:"
	"s390:defconfig:s390x-linux-gnu-::KASAN"
	"parisc:generic-32bit_defconfig:hppa-linux-gnu-:"
	"parisc:generic-64bit_defconfig:hppa64-linux-gnu-:"
	"mips:malta_defconfig:mips-linux-gnu-:"
	"mips:loongson3_defconfig:mips64el-linux-gnuabi64-:"
	"sparc:sparc64_defconfig:sparc64-linux-gnu-:"
	"sparc:sparc32_defconfig:sparc64-linux-gnu-:"
	"sh:rts7751r2d1_defconfig:sh4-linux-gnu-:"
	"alpha:defconfig:alpha-linux-gnu-:"
	# NOMMU, with modules: no page tables, vmalloc() is kmalloc()
	"riscv:nommu_k210_defconfig:riscv64-linux-gnu-:"
	"m68k:m5208evb_defconfig:m68k-linux-gnu-:"
	"m68k:virt_defconfig:m68k-linux-gnu-:"
)
base_tag=$(. "$top/base.conf"; echo "$BASE_TAG")
# The files the series changes: a warning in one of them fails.  Warnings
# elsewhere are the base's own (6.1 with gcc 12 has some on sh, sparc and
# alpha: ARCH_DMA_MINALIGN redefined, clone3 not implemented).
touched=$(git -C "$src" diff --name-only "$base_tag" HEAD 2>/dev/null)
new_warnings() {	# new_warnings LOG: its warnings in files the series changes
	grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: warning:' "$1" |
		sed "s|^$src/||" |
		while IFS=: read -r file rest; do
			grep -qxF "$file" <<<"$touched" && echo "$file:$rest"
		done
}
want=("$@")
rc=0
for t in "${targets[@]}"; do
	IFS=: read -r arch defconfig cross objs opts <<<"$t"
	[ ${#want[@]} -eq 0 ] || [[ " ${want[*]} " == *" $arch "* ]] || continue
	if [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null; then
		echo "cross: $arch: skipped, no ${cross}gcc"
		continue
	fi
	bdir=$top/build/cross${CROSS_TAG:+-$CROSS_TAG}-$arch-${defconfig%_defconfig}
	mkdir -p "$bdir"
	kmake=(make -s -C "$src" O="$bdir" ARCH="$arch" CROSS_COMPILE="$cross"
	       CC="$top/scripts/ccache-cc ${cross}gcc" -j"$(nproc)")
	[ -f "$bdir/.config" ] || "${kmake[@]}" "$defconfig" >/dev/null
	"${kmake[@]}" olddefconfig >/dev/null
	scripts=( "$src/scripts/config" --file "$bdir/.config" )
	for o in MODULES MODULE_UNLOAD KPROBES BPF_SYSCALL BPF_JIT $opts; do
		"${scripts[@]}" -e "$o"
	done
	"${kmake[@]}" olddefconfig >/dev/null
	for o in $opts; do
		grep -q "^CONFIG_$o=y" "$bdir/.config" ||
			echo "cross: $arch: warning: CONFIG_$o did not stick"
	done
	# execmem's files that this configuration builds
	for f in "$src"/mm/execmem*.c; do
		f=${f##*/}
		f=${f%.c}
		case $f in
		execmem_cache|execmem_window|execmem_cache_debug)
			grep -q '^CONFIG_EXECMEM_ROX_CACHE=y' "$bdir/.config" || continue ;;
		execmem_debugfs) grep -q '^CONFIG_DEBUG_FS=y' "$bdir/.config" || continue ;;
		esac
		objs="mm/$f.o $objs"
	done
	# The arch's directories that the series changes
	objs="$objs $(git -C "$src" diff --name-only "$base_tag" HEAD -- "arch/$arch/*.c" 2>/dev/null |
		xargs -r -n1 dirname | sort -u | sed 's|$|/|' | tr '\n' ' ')"
	objs="kernel/module/ $objs"
	# shellcheck disable=SC2086
	if "${kmake[@]}" $objs >"$bdir/cross.log" 2>&1 &&
	   ! new_warnings "$bdir/cross.log" | grep -q .; then
		echo "cross: $arch ($defconfig): ok"
	else
		echo "cross: $arch ($defconfig): FAILED"
		tail -n 20 "$bdir/cross.log"
		rc=1
	fi
done
exit $rc
