#!/usr/bin/env bash
# make check: test the exported series on every configuration in
# configs/check.list and print a table and the closing line
# "N passed, N failed, N skipped".  It ends with "make bench QUICK=1"
# (CHECK_NO_BENCH=1 leaves that out).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../base.conf
. "$top/base.conf"
# shellcheck source=lib.sh
. "$top/scripts/lib.sh"
start=$(date +%s)

if [ ! -e "$top/linux" ]; then
	echo "check: no linux/; building a fresh tree from patches/" >&2
	"$top/scripts/tree.sh" || { echo "check: FAILED: could not build the tree from patches/"; echo "0 passed, 1 failed, 0 skipped"; exit 1; }
else
	why=$(series_mismatch_reason "$top/linux")
	if [ -n "$why" ]; then
		echo "check: FAILED: linux/ is not the exported series; make check tests patches/." >&2
		echo "$why" | sed 's/^/    /' >&2
		echo "0 passed, 1 failed, 0 skipped"
		exit 1
	fi
fi

rows=()
tp=0 tf=0 ts=0
add_row() {
	rows+=("$(printf '%-22s %7s %7s %7s  %s' "$1" "$2" "$3" "$4" "$5")")
	tp=$((tp + $2)) tf=$((tf + $3)) ts=$((ts + $4))
}

# The harness's own self-test: parser and failure rules.
if out=$("$top/scripts/selftest.sh" 2>&1); then
	n=$(printf '%s\n' "$out" | grep -c '^ok ')
	add_row harness "$n" 0 0 ok
else
	printf '%s\n' "$out" >&2
	n=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	add_row harness "$n" "$f" 0 "harness self-test failed"
fi

while read -r arch flavour variant append; do
	case $arch in ''|\#*) continue ;; esac
	[ "$flavour" = - ] && flavour=
	name=$arch${flavour:+-$flavour}${variant:+-$variant}
	t0=$(date +%s)
	if [ "$variant" = gdb ]; then
		"$top/scripts/gdb-test.sh" "$arch" "$flavour"
	elif [ "$variant" = kunitpy ]; then
		"$top/scripts/kunitpy-test.sh"
	else
		VARIANT=$variant APPEND=$append "$top/scripts/test-config.sh" "$arch" $flavour
	fi
	t=$(( $(date +%s) - t0 ))
	res=$top/build/$name/result.json
	if [ -f "$res" ]; then
		read -r p f s note < <(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
note="; ".join((r["problems"]+r["failures"])[:2]) or "ok"
print(r["passed"], r["failed"], r["skipped"], note)' "$res")
	else
		p=0 f=1 s=0 note="no result"
	fi
	add_row "$name" "$p" "$f" "$s" "${t}s $note"
done <"$top/configs/check.list"

# make bench QUICK=1: the bench tooling still produces every figure for the
# base and the patched kernel.  Values are not judged here.
if [ -z "${CHECK_NO_BENCH:-}" ]; then
	t0=$(date +%s)
	if QUICK=1 "$top/scripts/bench.sh" >"$top/build/bench-quick.log" 2>&1; then
		add_row bench-quick 1 0 0 "$(( $(date +%s) - t0 ))s every figure produced, build/bench/quick/results.md"
	else
		add_row bench-quick 0 1 0 "$(( $(date +%s) - t0 ))s $(grep -m1 -e 'FAILED' -e 'error' "$top/build/bench-quick.log" | cut -c1-60)"
	fi
fi

echo
printf '%-22s %7s %7s %7s  %s\n' config passed failed skipped notes
printf '%s\n' "${rows[@]}"
echo "check: total time $(( $(date +%s) - start ))s; logs in build/*/console.log"
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" = 0 ]
