#!/usr/bin/env bash
# Fetch the pinned base tarball (base.conf), verify it and cache it.
#
# Prints the path of the verified tarball on stdout.
#
#   LINUX_TARBALL=path   use a copy the user already has (still verified)
#
# The tarball is the orig tarball of Debian's source package "linux".  It is
# fetched with "apt-get source --download-only" through a private apt
# configuration whose deb-src entries are derived from this machine's own
# Debian sources, so no mirror is named here and the system's apt state is
# left alone.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

die() { echo "fetch-base: error: $*" >&2; exit 1; }
log() { echo "fetch-base: $*" >&2; }

verify() {
	local f=$1 sum
	[ -f "$f" ] || return 1
	sum=$(sha256sum "$f" | cut -d' ' -f1)
	[ "$sum" = "$BASE_TARBALL_SHA256" ]
}

if [ -n "${LINUX_TARBALL:-}" ]; then
	[ -f "$LINUX_TARBALL" ] || die "LINUX_TARBALL=$LINUX_TARBALL does not exist"
	verify "$LINUX_TARBALL" ||
		die "LINUX_TARBALL=$LINUX_TARBALL: sha256 mismatch (want $BASE_TARBALL_SHA256)"
	readlink -f "$LINUX_TARBALL"
	exit 0
fi

cache=$(cache_home)/execmem
mkdir -p "$cache"
tarball=$cache/$BASE_TARBALL
if [ -f "$tarball" ]; then
	verify "$tarball" && { echo "$tarball"; exit 0; }
	log "cached $tarball has a bad checksum; fetching it again"
	rm -f "$tarball"
fi

work=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources" "$work/lists/partial" "$work/dl"

# deb-src entries from the machine's own sources, deb822 and one-line style.
n=0
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources/$n.sources"
	n=$((n + 1))
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	sed -nE 's/^[[:space:]]*deb([[:space:]])/deb-src\1/p' "$f" >"$work/sources/$n.list"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no apt sources found under /etc/apt to derive deb-src entries from"

aptopts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/sources"
	 -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
log "fetching $BASE_DEB_SOURCE=$BASE_DEB_VERSION source index"
apt-get -q "${aptopts[@]}" update >"$work/update.log" 2>&1 ||
	{ cat "$work/update.log" >&2; die "apt-get update of the deb-src index failed"; }
log "downloading $BASE_TARBALL"
(cd "$work/dl" && apt-get -q "${aptopts[@]}" source --download-only \
	"$BASE_DEB_SOURCE=$BASE_DEB_VERSION") >"$work/source.log" 2>&1 ||
	{ cat "$work/source.log" >&2; die "apt-get source --download-only $BASE_DEB_SOURCE=$BASE_DEB_VERSION failed"; }
[ -f "$work/dl/$BASE_TARBALL" ] || die "apt-get source did not produce $BASE_TARBALL"
verify "$work/dl/$BASE_TARBALL" ||
	die "$BASE_TARBALL: sha256 mismatch (got $(sha256sum "$work/dl/$BASE_TARBALL" | cut -d' ' -f1), want $BASE_TARBALL_SHA256)"
mv "$work/dl/$BASE_TARBALL" "$tarball"
log "cached $tarball"
echo "$tarball"
