#!/usr/bin/env bash
# Build-test the series where it is not booted: configure a defconfig with
# modules, kprobes and the BPF JIT, and compile the objects the series
# touches there (module loader, execmem, kprobes, BPF core, the arch's
# module code).  The x86 entry covers what the test configs leave out:
# livepatch, kdb and the ITS thunks.
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
targets=(
	"x86:x86_64_defconfig::kernel/livepatch/ kernel/debug/kdb/ arch/x86/kernel/alternative.o arch/x86/kernel/module.o:FUNCTION_TRACER DYNAMIC_FTRACE KALLSYMS_ALL LIVEPATCH KGDB KGDB_KDB RETPOLINE RETHUNK MITIGATION_ITS"
	"arm:multi_v7_defconfig:arm-linux-gnueabihf-:arch/arm/kernel/module.o arch/arm/kernel/module-plts.o"
	"powerpc:pmac32_defconfig:powerpc64le-linux-gnu-:arch/powerpc/kernel/module.o arch/powerpc/kernel/module_32.o arch/powerpc/kernel/kprobes.o"
	"powerpc:ppc64le_defconfig:powerpc64le-linux-gnu-:arch/powerpc/kernel/module.o arch/powerpc/kernel/kprobes.o"
	"s390:defconfig:s390x-linux-gnu-:arch/s390/kernel/module.o arch/s390/kernel/kprobes.o arch/s390/kernel/ftrace.o"
	"parisc:generic-32bit_defconfig:hppa-linux-gnu-:arch/parisc/kernel/module.o"
	"mips:malta_defconfig:mips-linux-gnu-:arch/mips/kernel/module.o"
	# NOMMU, with modules: no page tables, vmalloc() is kmalloc()
	"riscv:nommu_k210_defconfig:riscv64-linux-gnu-:arch/riscv/kernel/module.o"
	"m68k:m5208evb_defconfig:m68k-linux-gnu-:arch/m68k/kernel/module.o"
)
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
	       CC="ccache ${cross}gcc" -j"$(nproc)")
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
	for f in execmem execmem_table execmem_cache execmem_debugfs; do
		[ -f "$src/mm/$f.c" ] || continue
		case $f in
		execmem_cache) grep -q '^CONFIG_EXECMEM_ROX_CACHE=y' "$bdir/.config" || continue ;;
		execmem_debugfs) grep -q '^CONFIG_DEBUG_FS=y' "$bdir/.config" || continue ;;
		esac
		objs="mm/$f.o $objs"
	done
	# The callers, where this configuration has them (m68k has no kprobes)
	grep -q '^CONFIG_BPF_SYSCALL=y' "$bdir/.config" && objs="kernel/bpf/core.o $objs"
	grep -q '^CONFIG_KPROBES=y' "$bdir/.config" && objs="kernel/kprobes.o $objs"
	objs="kernel/module/ $objs"
	# shellcheck disable=SC2086
	if "${kmake[@]}" $objs >"$bdir/cross.log" 2>&1; then
		echo "cross: $arch ($defconfig): ok"
	else
		echo "cross: $arch ($defconfig): FAILED"
		tail -n 20 "$bdir/cross.log"
		rc=1
	fi
done
exit $rc
