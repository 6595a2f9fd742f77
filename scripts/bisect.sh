#!/usr/bin/env bash
# make bisect: every prefix of the series builds, with no new warning.
#
# 1. Each commit of linux/ from BASE_TAG to HEAD is checked out in a
#    worktree of linux/ (build/bisect/src; linux/ itself is not touched)
#    and built, incrementally and with ccache: vmlinux, the image and the
#    modules.  x86_64 builds every commit; arm64 and riscv64 build the
#    base, the last commit, and every commit that touches arch/arm64 or
#    arch/riscv (BISECT_ALL_ARCHES=1: every commit on every arch).  The
#    config is the one make check builds (configs/common.config,
#    configs/ARCH.config and the selftests' config, as of the last commit),
#    brought to each commit by olddefconfig, so that options a commit does
#    not have yet are left out rather than failing it.
# 2. On the last commit and on the base: W=1 and sparse (C=2) over every
#    .c file the series touches that the config builds.
# 3. scripts/kernel-doc -none -v over the files the series adds, and over
#    the headers and kernel-doc'ed files it changes for execmem.
# 4. make htmldocs SPHINXDIRS=mm (the book with execmem's page), at the
#    last commit and at the base.
#
# A warning fails when the base does not have it (compared without line
# numbers).  BISECT_FROM=N starts at the Nth commit of the series (the
# base is always built first) and BISECT_TO=N stops after the Nth, so that
# the series can be checked in parts; steps 2 to 4 run only when the last
# commit was built.  Each line names the commit's tree, which a reworded
# commit keeps.  BISECT_ARCHES="x86_64 arm64" picks arches.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

repo=$top/linux
require_linux_tree "$repo"
# Sphinx, for step 4; the rest is what make deps installs.
"$top/scripts/deps.sh" python3-sphinx python3-sphinx-rtd-theme
out=$top/build/bisect
src=$out/src
arches=${BISECT_ARCHES:-x86_64 arm64 riscv64}
jobs=${BUILD_JOBS:-$(( $(nproc) + 1 ))}
mkdir -p "$out"
start=$(date +%s)

mapfile -t commits < <(git -C "$repo" rev-list --reverse "$BASE_TAG..HEAD")
[ ${#commits[@]} -gt 0 ] || die "linux/ has no commit on top of $BASE_TAG"
tip=${commits[-1]}
from=${BISECT_FROM:-1} to=${BISECT_TO:-${#commits[@]}}
case $from$to in *[!0-9]*) die "BISECT_FROM and BISECT_TO must be numbers" ;; esac
[ "$from" -ge 1 ] && [ "$from" -le "$to" ] && [ "$to" -le ${#commits[@]} ] ||
	die "need 1 <= BISECT_FROM ($from) <= BISECT_TO ($to) <= ${#commits[@]}"

# The worktree: made once, moved from commit to commit.  git checkout
# touches only the files that differ, so make rebuilds only what they
# reach.
if [ ! -e "$src/.git" ]; then
	rm -rf "$src"
	git -C "$repo" worktree prune
	git -C "$repo" worktree add -q --detach "$src" "$BASE_TAG" || die "cannot add a worktree at $src"
fi
checkout() { git -C "$src" checkout -q --detach "$1" || die "cannot check out $1"; }

export CCACHE_DIR=${CCACHE_DIR:-$(cache_home)/ccache}
export CCACHE_BASEDIR=$out CCACHE_NOHASHDIR=1 CCACHE_COMPILERCHECK=content
export CCACHE_DEPEND=${CCACHE_DEPEND:-1}
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970"
export KBUILD_BUILD_USER=execmem KBUILD_BUILD_HOST=harness

kmake() {	# kmake ARCH MAKE-ARGS...
	local KARCH CROSS IMAGE name=$1
	arch_vars "$name"
	shift
	make -s -C "$src" O="$out/$name" ARCH="$KARCH" CROSS_COMPILE="$CROSS" \
		CC="$top/scripts/ccache-cc ${CROSS}gcc" HOSTCC="ccache gcc" -j"$jobs" "$@"
}

# The config: what build.sh makes of the fragments at the last commit.
config() {	# config ARCH
	local a=$1 frags=("$top/configs/common.config" "$top/configs/$1.config")
	mkdir -p "$out/$a"
	[ -f "$src/tools/testing/selftests/execmem/config" ] &&
		frags+=("$src/tools/testing/selftests/execmem/config")
	(cd "$out/$a" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out/$a" "${frags[@]}" >/dev/null) &&
		mv "$out/$a/.config" "$out/$a/requested.config" &&
		kmake "$a" KCONFIG_ALLCONFIG="$out/$a/requested.config" allnoconfig >/dev/null &&
		cp "$out/$a/.config" "$out/$a/bisect.config"
}

# Warnings of a log, one per line, without line and column numbers.
warnings() {
	grep -E '(warning|error):|WARNING:' "$1" |
		sed -E "s|$src/||g; s|^([^: ]+):[0-9]+(:[0-9]+)?:|\1:|" | sort -u
}

fails=0
say() { echo "bisect: $*"; }
failed() { echo "bisect: FAILED: $*"; fails=$((fails + 1)); }

# The config comes from the last commit; the base is built first, for the
# warnings it has of its own.
checkout "$tip"
for a in $arches; do
	config "$a" || die "cannot configure $a"
done

build_one() {	# build_one ARCH COMMIT LABEL: 0 if it built with no new warning
	local a=$1 c=$2 label=$3 log new
	log=$out/$a/log-$label
	cp "$out/$a/bisect.config" "$out/$a/.config"
	kmake "$a" olddefconfig >/dev/null 2>&1
	if ! kmake "$a" >"$log" 2>&1; then
		failed "$label $(git -C "$src" log -1 --format=%s "$c") does not build for $a:"
		grep -m 10 -E 'error|Error' "$log" | sed 's/^/    /'
		return 1
	fi
	new=$(comm -13 "$out/$a/warnings-base" <(warnings "$log"))
	if [ -n "$new" ]; then
		failed "$label $(git -C "$src" log -1 --format=%s "$c") has new warnings on $a:"
		echo "$new" | head -n 10 | sed 's/^/    /'
		return 1
	fi
	return 0
}

checkout "$BASE_TAG"
for a in $arches; do
	say "base $BASE_TAG, $a"
	: >"$out/$a/warnings-base"
	build_one "$a" "$BASE_TAG" base || die "the base does not build for $a"
	warnings "$out/$a/log-base" >"$out/$a/warnings-base"
	[ -s "$out/$a/warnings-base" ] && say "the base has $(wc -l <"$out/$a/warnings-base") warnings of its own on $a"
done

n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	[ "$n" -ge "$from" ] || continue
	[ "$n" -le "$to" ] || break
	checkout "$c"
	label=$(printf '%04d' "$n")
	tree=$(git -C "$src" rev-parse --short=12 "$c^{tree}")
	touched=$(git -C "$src" diff --name-only "$c^" "$c")
	for a in $arches; do
		case $a in x86_64) dir=arch/x86/ ;; arm64) dir=arch/arm64/ ;; riscv64) dir=arch/riscv/ ;; esac
		if [ "$a" != x86_64 ] && [ "$c" != "$tip" ] && [ -z "${BISECT_ALL_ARCHES:-}" ] &&
		   ! grep -q "^$dir" <<<"$touched"; then
			continue
		fi
		t0=$(date +%s)
		build_one "$a" "$c" "$label" &&
			say "$label $a ok ($(( $(date +%s) - t0 ))s, tree $tree) $(git -C "$src" log -1 --format=%s "$c")"
	done
done

if [ "$to" -lt ${#commits[@]} ]; then
	checkout "$tip"
	say "commits $from to $to of ${#commits[@]}, $(( $(date +%s) - start ))s; W=1, sparse, kernel-doc and htmldocs run with the last commit"
	if [ $fails -gt 0 ]; then
		say "$fails failures"
		exit 1
	fi
	say "commits $from to $to build with no new warning"
	exit 0
fi

# W=1 and sparse over the files the series touches, at the last commit and
# at the base.
extra() {	# extra ARCH LABEL FILES...: the W=1 and sparse warnings
	local a=$1 label=$2 log
	shift 2
	log=$out/$a/log-extra-$label
	kmake "$a" W=1 C=2 "$@" >"$log" 2>&1
	warnings "$log"
}
mapfile -t cfiles < <(git -C "$repo" diff --name-only "$BASE_TAG" "$tip" -- '*.c')
for a in $arches; do
	checkout "$tip"
	objs=()
	for f in "${cfiles[@]}"; do
		[ -f "$out/$a/${f%.c}.o" ] && objs+=("${f%.c}.o")
	done
	[ ${#objs[@]} -gt 0 ] || continue
	say "W=1 and sparse, $a: ${#objs[@]} objects"
	extra "$a" tip "${objs[@]}" >"$out/$a/extra-tip"
	checkout "$BASE_TAG"
	base_objs=()
	for o in "${objs[@]}"; do
		[ -f "$src/${o%.o}.c" ] && base_objs+=("$o")
	done
	: >"$out/$a/extra-base"
	[ ${#base_objs[@]} -gt 0 ] && extra "$a" base "${base_objs[@]}" >"$out/$a/extra-base"
	new=$(comm -13 "$out/$a/extra-base" "$out/$a/extra-tip")
	if [ -n "$new" ]; then
		failed "W=1 or sparse warnings on $a that the base does not have:"
		echo "$new" | sed 's/^/    /'
	fi
done
checkout "$tip"

# kernel-doc over what the series adds, and the execmem files it changes.
mapfile -t docfiles < <(
	{ git -C "$repo" diff --diff-filter=A --name-only "$BASE_TAG" "$tip" -- '*.c' '*.h'
	  git -C "$repo" diff --name-only "$BASE_TAG" "$tip" -- '*execmem*.[ch]'; } | sort -u)
kd=$(cd "$src" && scripts/kernel-doc -none -v "${docfiles[@]}" 2>&1 | grep -E 'warning|error')
if [ -n "$kd" ]; then
	failed "kernel-doc:"
	echo "$kd" | sed 's/^/    /'
else
	say "kernel-doc: ${#docfiles[@]} files, no warning"
fi

# The mm book, where Documentation/mm/execmem.rst is, built by Sphinx at the
# last commit and at the base.  Building one book leaves its links to the
# others unresolved; those warnings are the base's too.
sphinx() {	# sphinx: the Sphinx warnings, without line numbers
	local log=$out/docs/log-$1
	mkdir -p "$out/docs"
	make -s -C "$src" O="$out/docs/$1" SPHINXDIRS=mm htmldocs >"$log" 2>&1 ||
		echo "error: htmldocs failed, see $log"
	grep -E 'WARNING|ERROR|error:' "$log" |
		sed -E "s|$src/||g; s|^([^: ]+):[0-9]+:|\1:|" | sort -u
}
mkdir -p "$out/docs"	# before the redirections below open files in it
sphinx tip >"$out/docs/warnings-tip"
checkout "$BASE_TAG"
sphinx base >"$out/docs/warnings-base"
checkout "$tip"
new=$(comm -13 "$out/docs/warnings-base" "$out/docs/warnings-tip")
if [ -n "$new" ]; then
	failed "htmldocs SPHINXDIRS=mm: warnings the base does not have:"
	echo "$new" | sed 's/^/    /'
elif [ ! -s "$out/docs/tip/Documentation/output/mm/execmem.html" ]; then
	failed "htmldocs SPHINXDIRS=mm did not build mm/execmem.html"
else
	say "htmldocs SPHINXDIRS=mm: no warning the base does not have ($(wc -l <"$out/docs/warnings-base") of the base's own)"
fi

say "${#commits[@]} commits, $(( $(date +%s) - start ))s"
if [ $fails -gt 0 ]; then
	say "$fails failures"
	exit 1
fi
if [ "$from" -gt 1 ]; then
	say "commits $from to $to build with no new warning; W=1, sparse, kernel-doc and htmldocs: none new"
else
	say "every prefix builds with no new warning"
fi
