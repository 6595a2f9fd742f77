#!/usr/bin/env bash
# Create linux/: the pinned base committed and tagged, and a branch with the
# series in patches/ applied by "git am".
#
# It never destroys work: if linux/ exists, it is left alone when it matches
# patches/ and refused (with the reason) when it does not.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

tree=$top/linux

if [ -e "$tree" ]; then
	if ! series_matches_tree "$tree"; then
		echo "tree: error: linux/ exists and differs from patches/:" >&2
		series_mismatch_reason "$tree" | sed 's/^/    /' >&2
		echo "tree: refusing to touch it. Export your work ('make export') or move linux/ away." >&2
		exit 1
	fi
	echo "tree: linux/ matches patches/; nothing to do" >&2
	exit 0
fi

name=$(git config user.name || true)
email=$(git config user.email || true)
[ -n "$name" ] && [ -n "$email" ] ||
	die "set git config user.name and user.email first: they sign off the series commits"

tarball=$("$top/scripts/fetch-base.sh")
tmp=$(mktemp -d "$top/.linux.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "tree: extracting $(basename "$tarball")" >&2
tar -xf "$tarball" -C "$tmp" --strip-components=1

g() { git -C "$tmp" "$@"; }
g init -q -b base
g config user.name "$name"
g config user.email "$email"
g config core.abbrev 12
g add -A
# The base commit gets a fixed identity and date so that its hash is the same
# on every machine.
GIT_AUTHOR_NAME="Linux $BASE_VERSION" GIT_AUTHOR_EMAIL="base@execmem.invalid" \
GIT_COMMITTER_NAME="Linux $BASE_VERSION" GIT_COMMITTER_EMAIL="base@execmem.invalid" \
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	g commit -q -m "Linux $BASE_VERSION" \
	-m "Debian source package $BASE_DEB_SOURCE $BASE_DEB_VERSION, $BASE_TARBALL, sha256 $BASE_TARBALL_SHA256"
g tag "$BASE_TAG"
g checkout -q -b execmem

mapfile -t series < <(series_files)
if [ ${#series[@]} -gt 0 ]; then
	echo "tree: applying ${#series[@]} patches" >&2
	if ! g am -q --signoff --keep-cr "${series[@]}" >"$tmp/.am.log" 2>&1; then
		cat "$tmp/.am.log" >&2
		cur=$(cat "$tmp/.git/rebase-apply/next" 2>/dev/null || echo 1)
		die "patch $(basename "${series[$((cur - 1))]}") does not apply on $BASE_TAG"
	fi
fi
rm -f "$tmp/.am.log"
mv "$tmp" "$tree"
trap - EXIT
echo "tree: linux/ is ready: $BASE_TAG + ${#series[@]} patches on branch execmem" >&2
