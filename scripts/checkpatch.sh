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
# CAMELCASE is ignored: it flags existing arch types (parisc's Elf_Fdesc) on
# lines the series has to touch; checkpatch only knows include/'s types.
./scripts/checkpatch.pl --strict --show-types --ignore CAMELCASE "${series[@]}" || rc=$?
[ $rc = 0 ] && echo "checkpatch: ${#series[@]} patches clean"
exit $rc
