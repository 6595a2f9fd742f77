#!/usr/bin/env bash
# Rewrite patches/ from the commits in linux/ on top of the base tag.
#
# Zero commit hashes, no version signature, stable file names, and a cover
# letter whose subject and text come from cover-letter.txt (first line: the
# subject; the rest: the body).  Exporting twice gives identical files; patch
# files that no longer belong to the series are removed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"

tree=$top/linux
require_linux_tree "$tree"
dirty=$(git -C "$tree" status --porcelain --untracked-files=normal | head -n 10)
[ -z "$dirty" ] || die "linux/ has uncommitted changes; commit them first:
$dirty"
[ -f "$top/cover-letter.txt" ] || die "cover-letter.txt is missing"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count=$(git -C "$tree" rev-list --count "$BASE_TAG..HEAD")
if [ "$count" -gt 0 ]; then
	# The cover letter's date is the committer date: pin it to the tip's.
	GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%cI HEAD) \
	git -C "$tree" -c core.abbrev=12 -c diff.noprefix=false -c format.signoff=false \
		format-patch -q --zero-commit --no-signature --cover-letter \
		--no-attach --no-thread --encode-email-headers --subject-prefix=PATCH \
		-o "$out" "$BASE_TAG..HEAD"
	python3 - "$out"/0000-cover-letter.patch "$top/cover-letter.txt" <<'PY'
import sys
path, text = sys.argv[1], open(sys.argv[2]).read().strip('\n')
subject, _, body = text.partition('\n')
s = open(path).read()
s = s.replace('*** SUBJECT HERE ***', subject.strip(), 1)
s = s.replace('*** BLURB HERE ***', body.strip('\n'), 1)
open(path, 'w').write(s)
PY
fi
mkdir -p "$top/patches"
rm -f "$top"/patches/*.patch
[ "$count" -gt 0 ] && cp "$out"/*.patch "$top/patches/"
echo "export: $count patches in patches/" >&2
