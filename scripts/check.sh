#!/usr/bin/env bash
# make check: test the exported series on every configuration in
# configs/check.list and print a table and the closing line
# "N passed, N failed, N skipped".  It ends with "make bench QUICK=1"
# (CHECK_NO_BENCH=1 leaves that out; CHECK_LIST=file tests other lines than
# configs/check.list).
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

# Builds and boots overlap.  One background job builds every kernel in the
# order check.list first names it (build.sh, initramfs.sh; make -j CPUs+1,
# so that a build keeps its share of the CPUs beside a boot and through its
# serial steps), then runs kunit.py (its own build and boot) and make bench
# QUICK=1 side by side; the bench's timed figures are instruction-counted.
# Meanwhile the boots start in check.list order as soon as their kernel is
# there, one at a time beside the builder.  After it, CHECK_JOBS boots run
# at once: 1 by default, because two TCG boots side by side made a torture
# round on arm64 miss a traced call once (not understood yet); 2 is faster.
run=$top/build/.check
rm -rf "$run" && mkdir -p "$run"
jobs_max=${CHECK_JOBS:-1}
case $jobs_max in ''|*[!0-9]*|0) echo "check: CHECK_JOBS must be a number of at least 1" >&2; exit 2 ;; esac
lines=() kernels=()
while read -r arch flavour variant append || [ -n "$arch" ]; do
	case $arch in ''|\#*) continue ;; esac
	[ "$flavour" = - ] && flavour=
	lines+=("$arch|$flavour|$variant|$append")
	# No result may survive from an earlier run.
	rm -f "$top/build/$arch${flavour:+-$flavour}${variant:+-$variant}/result.json"
	k=$arch${flavour:+-$flavour}
	[ "$variant" = kunitpy ] && continue
	case " ${kernels[*]} " in *" $k "*) ;; *) kernels+=("$k") ;; esac
done <"${CHECK_LIST:-$top/configs/check.list}"

kernel_of() {	# kernel_of NAME: ARCH FLAVOUR
	local a=${1%%-*} f=
	[ "$a" = "$1" ] || f=${1#*-}
	echo "$a" "$f"
}

builder() {
	local k a f t0
	for k in "${kernels[@]}"; do
		read -r a f < <(kernel_of "$k")
		mkdir -p "$top/build/$k"
		echo "check: building $k" >&2
		t0=$(date +%s)
		if "$top/scripts/build.sh" "$a" ${f:+"$f"} >"$top/build/$k/build.log" 2>&1 &&
		   "$top/scripts/initramfs.sh" "$a" ${f:+"$f"} >>"$top/build/$k/build.log" 2>&1; then
			echo $(( $(date +%s) - t0 )) >"$run/$k.built.tmp"
			mv "$run/$k.built.tmp" "$run/$k.built"
		else
			tail -n 25 "$top/build/$k/build.log" >&2
			echo "kernel or initramfs build failed, see build/$k/build.log" >"$run/$k.failed.tmp"
			mv "$run/$k.failed.tmp" "$run/$k.failed"
		fi
	done
	# kunit.py and the bench build kernels of their own and then boot them
	# one by one: run side by side, each fills the other's link steps and
	# boots.  The kunit.py runs follow each other.  The bench's timed
	# figures count instructions (-icount), so the load beside it does not
	# change them.
	(
		for l in "${lines[@]}"; do
			IFS='|' read -r a f v _ <<<"$l"
			[ "$v" = kunitpy ] || continue
			[ -e "$run/stopped" ] && break
			t0=$(date +%s)
			"$top/scripts/kunitpy-test.sh" "$a"
			echo $(( $(date +%s) - t0 )) >"$run/$a${f:+-$f}-$v.time"
		done
	) &
	if [ -z "${CHECK_NO_BENCH:-}" ]; then
		t0=$(date +%s)
		if QUICK=1 "$top/scripts/bench.sh" >"$top/build/bench-quick.log" 2>&1; then
			echo "$(( $(date +%s) - t0 ))s every figure produced, build/bench/quick/results.md" >"$run/bench.ok"
		else
			echo "$(( $(date +%s) - t0 ))s $(grep -m1 -e 'FAILED' -e 'error' "$top/build/bench-quick.log" | cut -c1-60)" >"$run/bench.failed"
		fi
	fi
	wait
}

export BUILD_JOBS=${BUILD_JOBS:-$(( $(nproc) + 1 ))}
builder &
builder_pid=$!
# Interrupted: stop the jobs, their builds and their QEMUs (timeout(1) puts
# each QEMU in a process group of its own), and say so.
stop() {
	trap - INT TERM
	touch "$run/stopped"
	# shellcheck disable=SC2046
	kill $(jobs -p) 2>/dev/null
	pkill -TERM -f "^qemu-system-.* -kernel $top/build/" 2>/dev/null
	pkill -TERM -f "^make .*O=$top/build/" 2>/dev/null
	echo "check: interrupted" >&2
	exit 130
}
trap stop INT TERM

running() {	# the number of boots still running: jobs but the builder
	local n=0 p
	for p in $(jobs -rp); do [ "$p" = "$builder_pid" ] || n=$((n + 1)); done
	echo $n
}
for l in "${lines[@]}"; do
	IFS='|' read -r arch flavour variant append <<<"$l"
	[ "$variant" = kunitpy ] && continue
	k=$arch${flavour:+-$flavour}
	name=$k${variant:+-$variant}
	# Wait for the kernel, and for a free slot.
	while [ ! -e "$run/$k.built" ] && [ ! -e "$run/$k.failed" ]; do
		kill -0 $builder_pid 2>/dev/null || break
		sleep 2
	done
	while :; do
		max=$jobs_max
		kill -0 $builder_pid 2>/dev/null && max=1
		[ "$(running)" -lt "$max" ] && break
		sleep 2
	done
	if [ ! -e "$run/$k.built" ]; then
		mkdir -p "$top/build/$name"
		python3 -c 'import json,sys; json.dump({"name":sys.argv[1],"passed":0,"failed":1,"skipped":0,"failures":[],"problems":[sys.argv[2]]},open(sys.argv[3],"w"))' \
			"$name" "$(cat "$run/$k.failed" 2>/dev/null || echo "no kernel $k")" "$top/build/$name/result.json"
		echo 0 >"$run/$name.time"
		continue
	fi
	(
		t0=$(date +%s)
		if [ "$variant" = gdb ]; then
			"$top/scripts/gdb-test.sh" "$arch" "$flavour"
		else
			PREBUILT=1 VARIANT=$variant APPEND=$append TIMEOUT=1200 \
				"$top/scripts/test-config.sh" "$arch" $flavour
		fi
		echo $(( $(date +%s) - t0 )) >"$run/$name.time"
	) &
done
wait
trap - INT TERM

for l in "${lines[@]}"; do
	IFS='|' read -r arch flavour variant append <<<"$l"
	k=$arch${flavour:+-$flavour}
	name=$k${variant:+-$variant}
	t=$(cat "$run/$name.time" 2>/dev/null || echo '?')
	res=$top/build/$name/result.json
	if [ -f "$res" ]; then
		read -r p f s note < <(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
note="; ".join((r["problems"]+r["failures"])[:2]) or "ok"
print(r["passed"], r["failed"], r["skipped"], note)' "$res")
	else
		p=0 f=1 s=0 note="no result"
	fi
	[ -e "$run/$k.built" ] && [ "$name" = "$k" ] && note="build $(cat "$run/$k.built")s, $note"
	add_row "$name" "$p" "$f" "$s" "${t}s $note"
done

# make bench QUICK=1 (run by the builder, last): the bench tooling still
# produces every figure for the base and the patched kernel.  Values are not
# judged here.
if [ -e "$run/bench.ok" ]; then
	add_row bench-quick 1 0 0 "$(cat "$run/bench.ok")"
elif [ -e "$run/bench.failed" ]; then
	add_row bench-quick 0 1 0 "$(cat "$run/bench.failed")"
elif [ -z "${CHECK_NO_BENCH:-}" ]; then
	add_row bench-quick 0 1 0 "did not run"
fi

echo
printf '%-22s %7s %7s %7s  %s\n' config passed failed skipped notes
printf '%s\n' "${rows[@]}"
echo "check: total time $(( $(date +%s) - start ))s; logs in build/*/console.log"
echo "$tp passed, $tf failed, $ts skipped"
[ "$tf" = 0 ]
