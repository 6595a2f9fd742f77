# Shared shell helpers for the harness scripts.  Sourced, never run.
# shellcheck shell=bash

# The user's cache directory, even when HOME is not set (as in some CI).
cache_home() {
	local home=${HOME:-}
	[ -n "$home" ] || home=$(getent passwd "$(id -u)" | cut -d: -f6)
	echo "${XDG_CACHE_HOME:-${home:-/tmp}/.cache}"
}

die() { echo "${0##*/}: error: $*" >&2; exit 1; }

# Fail unless $1 is a git tree with the base tag (what "make tree" makes).
require_linux_tree() {
	[ -d "$1/.git" ] || die "no linux/ at $1 (run 'make tree')"
	git -C "$1" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null || die "linux/ has no tag $BASE_TAG"
}

# The patches of the series, in order, without the cover letter.
series_files() {
	local p
	for p in "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$p" ] || continue
		grep -q '^diff --git' "$p" || continue
		echo "$p"
	done
}

# The tree object that base + patches/ gives, computed in a scratch index of
# the repository $1.  Prints nothing and fails if a patch does not apply.
series_tree() {
	local repo=$1 idx rc=0
	local -a series
	mapfile -t series < <(series_files)
	idx=$(mktemp -u)
	GIT_INDEX_FILE=$idx git -C "$repo" read-tree "$BASE_TAG" || rc=1
	if [ $rc = 0 ] && [ ${#series[@]} -gt 0 ]; then
		GIT_INDEX_FILE=$idx git -C "$repo" apply --cached "${series[@]}" || rc=1
	fi
	[ $rc = 0 ] && GIT_INDEX_FILE=$idx git -C "$repo" write-tree
	rm -f "$idx"
	return $rc
}

# Why linux/ ($1) is not the exported series; prints nothing when it is.
series_mismatch_reason() {
	local repo=$1 dirty want have
	if [ ! -d "$repo/.git" ]; then
		echo "$repo is not a git repository"
		return
	fi
	if ! git -C "$repo" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null; then
		echo "$repo has no tag $BASE_TAG"
		return
	fi
	dirty=$(git -C "$repo" status --porcelain --untracked-files=normal | head -n 10)
	if [ -n "$dirty" ]; then
		echo "uncommitted or untracked changes:"
		echo "$dirty"
		return
	fi
	if ! want=$(series_tree "$repo" 2>&1); then
		echo "patches/ does not apply onto $BASE_TAG:"
		echo "$want" | head -n 5
		return
	fi
	have=$(git -C "$repo" rev-parse 'HEAD^{tree}')
	if [ "$want" != "$have" ]; then
		echo "the commits in linux/ differ from patches/ (run 'make export', or move linux/ away):"
		git -C "$repo" diff --stat "$want" "$have" | tail -n 5
	fi
}

series_matches_tree() {
	[ -z "$(series_mismatch_reason "$1")" ]
}

# Cross compiler prefix and kernel ARCH for a harness arch name.
arch_vars() {
	case $1 in
	x86_64) KARCH=x86_64 CROSS= IMAGE=arch/x86/boot/bzImage ;;
	arm64) KARCH=arm64 CROSS=aarch64-linux-gnu- IMAGE=arch/arm64/boot/Image ;;
	riscv64) KARCH=riscv CROSS=riscv64-linux-gnu- IMAGE=arch/riscv/boot/Image ;;
	*) die "unknown arch '$1' (x86_64, arm64 or riscv64)" ;;
	esac
}
