#!/usr/bin/env bash
# scripts/checkpatch.pl --strict over the exported series.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
[ -x "$top/linux/scripts/checkpatch.pl" ] || "$top/scripts/tree.sh"
mapfile -t series < <(series_files)
[ ${#series[@]} -gt 0 ] || { echo "checkpatch: patches/ is empty"; exit 0; }
cd "$top/linux"
rc=0
# FILE_PATH_CHANGES is ignored because it asks every patch that adds a file
# to touch MAINTAINERS, even when an entry covers the file already; instead,
# every file the series adds must be covered by the EXECMEM entry (below),
# but for the Kconfig and Makefile of lib/tests/, which the series creates.
# CAMELCASE is checked apart: checkpatch knows only include/'s types, and
# flags one type the series uses but does not name: parisc's Elf_Fdesc, in
# the module loader's code the series has to touch.  Any other CamelCase
# fails.
./scripts/checkpatch.pl --strict --show-types --ignore CAMELCASE,FILE_PATH_CHANGES \
	"${series[@]}" || rc=$?
camel=$(./scripts/checkpatch.pl --strict --terse --show-types --types CAMELCASE \
	"${series[@]}" 2>&1 | grep 'CAMELCASE' |
	grep -v -E 'CamelCase: <Elf_Fdesc>$' || true)
if [ -n "$camel" ]; then
	echo "checkpatch: CamelCase other than the known types:"
	echo "$camel"
	rc=1
fi
added=$(grep -h -A1 '^--- /dev/null' "${series[@]}" | sed -n 's|^+++ b/||p' | sort -u)
for f in $added; do
	[ -e "$f" ] || continue
	case $f in lib/tests/Kconfig|lib/tests/Makefile) continue ;; esac
	if ! ./scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$f" 2>/dev/null |
	     grep -q '^EXECMEM '; then
		echo "checkpatch: $f is added by the series but not covered by the EXECMEM entry of MAINTAINERS"
		rc=1
	fi
done
[ $rc = 0 ] && echo "checkpatch: ${#series[@]} patches clean; every added file is in MAINTAINERS"
exit $rc
