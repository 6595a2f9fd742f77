#!/usr/bin/env bash
# Self-test of the harness's log judge (scripts/check-log.py): a good log
# passes, and each failure rule catches the case it exists for.  The same
# for make bench's report (scripts/bench-report.py): a figure missing for
# either kernel, or an error, fails it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
linux=${LINUX_DIR:-$top/linux}
fx=$top/tests/harness
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0

# judge DESCRIPTION WANT COMMAND...: run COMMAND, whose output goes to
# $tmp/out, and print a TAP line: ok when it passed or failed as WANT says.
judge() {
	local desc=$1 want=$2 got=fail
	shift 2
	n=$((n + 1))
	"$@" >"$tmp/out" 2>&1 && got=pass
	if [ "$got" = "$want" ]; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc (wanted $want, got $got)"
		tail -n 20 "$tmp/out" | sed 's/^/# /'
		bad=$((bad + 1))
	fi
}

# case DESCRIPTION WANT(pass|fail) EXPECT-FILE SED-SCRIPT
case_() {
	sed -e "$4" "$fx/good.log" >"$tmp/log"
	judge "$1" "$2" python3 "$top/scripts/check-log.py" "$tmp/log" \
		--linux "$linux" --expect "$3" --name selftest
}

echo "TAP version 13"
echo "1..21"
case_ "a good log passes" pass "$fx/good.expect" ''
case_ "a failing KUnit case fails" fail "$fx/good.expect" 's/ok 2 test_kretprobe/not ok 2 test_kretprobe/'
case_ "a failing kselftest fails" fail "$fx/good.expect" 's/^ok 1 execmem_test/not ok 1 execmem_test/'
case_ "an expected suite that is missing fails" fail "$fx/good.expect" 's/kprobes_test/kprobes_tost/g'
case_ "a WARNING fails" fail "$fx/good.expect" '/Run \/init/i [    4.5] WARNING: CPU: 0 PID: 1 at mm/execmem.c:1 f+0x1/0x2'
case_ "a WARNING inside a kernel test's expected-WARNING block passes" pass "$fx/good.expect" \
	'/Run \/init/i [    4.4] execmem_kunit: expected WARNING follows\n[    4.5] WARNING: CPU: 0 PID: 1 at x\n[    4.6] execmem_kunit: expected WARNING done'
case_ "a WARNING inside an expect-report block passes" pass "$fx/good.expect" \
	'/Run \/init/i [    4.4] execmem-harness: expect-report begin\n[    4.5] WARNING: CPU: 0 PID: 1 at x\n[    4.6] execmem-harness: expect-report end'
case_ "a boot that never finishes fails" fail "$fx/good.expect" '/execmem-harness: done/d'
case_ "a panic fails" fail "$fx/good.expect" '$a [   20.0] Kernel panic - not syncing: Attempted to kill init!'
case_ "a kmemleak report fails" fail "$fx/good.expect" '/kmemleak scanned/i unreferenced object 0xffff888003 (size 64):'
case_ "a KASAN report fails" fail "$fx/good.expect" '/Run \/init/i [    4.5] BUG: KASAN: use-after-free in foo+0x1/0x2'
case_ "a suite cut off mid-run fails" fail "$fx/good.expect" '/ok 2 test_kretprobe/,/execmem-harness: init started/d'
case_ "a kselftest skip with a reason passes" pass "$fx/good.expect" 's/^    ok 2 unloads$/    ok 2 unloads # SKIP no module support/'
case_ "KTAP the parser cannot read fails, without crashing" fail "$fx/good.expect" 's/^    ok 1 loads$/    ok 1 # SKIP loads/'

# build_case DESCRIPTION WANT SED-SCRIPT: the good log judged with the
# fixture build log, SED-SCRIPT applied to it.
build_case() {
	sed -e "$3" "$fx/build.log" >"$tmp/build.log"
	judge "$1" "$2" python3 "$top/scripts/check-log.py" "$fx/good.log" \
		--linux "$linux" --expect "$fx/good.expect" --name selftest \
		--build-log "$tmp/build.log"
}
build_case "a build log without warnings passes" pass ''
build_case "a compiler warning in the build log fails" fail \
	'/bzImage/i ../mm/execmem.c:685:12: warning: \x27f\x27 defined but not used [-Wunused-function]'
build_case "a modpost WARNING in the build log fails" fail \
	'/bzImage/i WARNING: modpost: vmlinux.o: section mismatch in reference: f (section: .text) -> g (section: .init.text)'
build_case "an objtool warning in the build log fails" fail \
	'/bzImage/i vmlinux.o: warning: objtool: f+0x12: unreachable instruction'

# bench_case DESCRIPTION WANT SED-SCRIPT: bench-report.py over the fixture
# logs of a QUICK bench, with SED-SCRIPT applied to the base log.
bench_case() {
	local b=$fx/bench
	sed -e "$3" "$b/base.log" >"$tmp/base.log"
	judge "$1" "$2" python3 "$top/scripts/bench-report.py" --out "$tmp/results.md" \
		base="$tmp/base.log" patched="$b/patched.log" \
		base-smp2="$b/base-smp2.log" patched-smp2="$b/patched-smp2.log"
}
bench_case "bench: complete logs give every figure" pass ''
bench_case "bench: a figure missing for one kernel fails" fail '/BENCH step microbench/d'
bench_case "bench: a step that reports an error fails" fail '/BENCH end/i BENCH error bpf_load BPF_PROG_LOAD: Invalid argument'
[ $bad = 0 ]
