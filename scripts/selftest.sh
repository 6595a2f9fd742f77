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

# expect_ SED-SCRIPT: the fixture expectation file with SED-SCRIPT applied,
# as a file name
expect_() {
	local f=$tmp/expect.$((++nexp))
	sed -e "$1" "$fx/good.expect" >"$f"
	echo "$f"
}
nexp=0
E=$fx/good.expect
W='/ok 2 test_kretprobe/i [    4.0801] execmem_kunit: expect-report begin WARNING 1 freed already\n[    4.0802] ------------[ cut here ]------------\n[    4.0803] execmem_free(x): not allocated by execmem, or freed already\n[    4.0804] WARNING: CPU: 0 PID: 1 at mm/execmem.c:1 execmem_free+0x1/0x2\n[    4.0805] Call Trace:\n[    4.0806] ---[ end trace 0000000000000000 ]---'

echo "TAP version 13"
echo "1..68"
case_ "a good log passes" pass "$E" ''
case_ "a failing KUnit case fails" fail "$E" 's/ok 2 test_kretprobe/not ok 2 test_kretprobe/'
case_ "a failing kselftest fails" fail "$E" 's/^ok 1 execmem_test/not ok 1 execmem_test/'
case_ "an expected suite that is missing fails" fail "$E" 's/kprobes_test/kprobes_tost/g'
case_ "a WARNING fails" fail "$E" '/Run \/init/i [    4.5] WARNING: CPU: 0 PID: 1 at mm/execmem.c:1 f+0x1/0x2'
case_ "a boot that never finishes fails" fail "$E" '/execmem-harness: done/d'
case_ "a panic fails" fail "$E" '$a [   20.0] Kernel panic - not syncing: Attempted to kill init!'
case_ "a kmemleak report fails" fail "$E" '/kmemleak scanned/i unreferenced object 0xffff888003 (size 64):'
case_ "a KASAN report fails" fail "$E" '/Run \/init/i [    4.5] BUG: KASAN: use-after-free in foo+0x1/0x2'
case_ "a suite cut off mid-run fails" fail "$E" '/ok 2 test_kretprobe/,/execmem-harness: init started/d'
case_ "KTAP the parser cannot read fails, without crashing" fail "$E" 's/^    ok 1 loads$/    ok 1 # SKIP loads/'
case_ "a stack dump of its own fails" fail "$E" '/Run \/init/i [    4.5] CPU: 0 PID: 1 Comm: swapper\n[    4.5] Call Trace:'
case_ "an allocation failure report fails" fail "$E" '/Run \/init/i [    4.5] insmod: vmalloc error: size 4096, vm_struct allocation failed'
case_ "a lockdep report fails" fail "$E" '/Run \/init/i [    4.5] WARNING: possible circular locking dependency detected'
case_ "a KCSAN report fails" fail "$E" '/Run \/init/i [    4.5] BUG: KCSAN: data-race in execmem_free / execmem_alloc'
# expect-report blocks
case_ "an expected WARN inside its block passes" pass "$E" "$W"'\n[    4.0807] execmem_kunit: expect-report end'
case_ "a KASAN report and a call trace inside a WARN block fail" fail "$E" \
	"$W"'\n[    4.0807] BUG: KASAN: slab-out-of-bounds in execmem_free+0x1/0x2\n[    4.0808] Call Trace:\n[    4.0809] execmem_kunit: expect-report end'
case_ "a WARN with another message inside a WARN block fails" fail "$E" \
	"$(echo "$W" | sed 's/not allocated by execmem, or freed already/called from atomic context/')"'\n[    4.0807] execmem_kunit: expect-report end'
case_ "an expected WARN that never came fails" fail "$E" \
	'/ok 2 test_kretprobe/i [    4.0801] execmem_kunit: expect-report begin WARNING 1 freed already\n[    4.0807] execmem_kunit: expect-report end'
case_ "one WARN more than expected fails" fail "$E" \
	"$W"'\n[    4.0802] ------------[ cut here ]------------\n[    4.0803] execmem_free(y): not allocated by execmem, or freed already\n[    4.0804] WARNING: CPU: 0 PID: 1 at mm/execmem.c:1 execmem_free+0x1/0x2\n[    4.0807] execmem_kunit: expect-report end'
case_ "a lockdep WARNING inside a WARN block fails" fail "$E" \
	"$W"'\n[    4.0807] WARNING: possible circular locking dependency detected\n[    4.0808] execmem_kunit: expect-report end'
case_ "an expect-report block never closed fails" fail "$E" "$W"
case_ "an expect-report block of an unknown kind fails" fail "$E" \
	'/ok 2 test_kretprobe/i [    4.0801] execmem_kunit: expect-report begin WARNONG 0 x\n[    4.0807] execmem_kunit: expect-report end'
case_ "an expected allocation failure report inside its block passes" pass "$E" \
	'/ok 2 test_kretprobe/i [    4.08] execmem_kunit: expect-report begin alloc-failure 1 vmalloc error\n[    4.08] kunit_try_catch: vmalloc error: size 4096, vm_struct allocation failed\n[    4.08] CPU: 0 PID: 1\n[    4.08] Call Trace:\n[    4.08] Mem-Info:\n[    4.08] execmem_kunit: expect-report end'
F='/ok 2 test_kretprobe/i [    4.08] execmem-harness: expect-report begin fault-injection * FAULT_INJECTION\n[    4.08] FAULT_INJECTION: forcing a failure.\n[    4.08] name failslab, interval 1, probability 3, space 0, times -1\n[    4.08] CPU: 0 PID: 1\n[    4.08] Call Trace:\n[    4.08]  <TASK>\n[    4.08]  dump_stack_lvl+0x1/0x2\n[    4.08]  </TASK>'
case_ "fault injection reports counted by the test pass" pass "$E" "$F"'\n[    4.09] execmem-harness: expect-report end 1'
case_ "fault injection reports the test did not count fail" fail "$E" "$F"'\n[    4.09] execmem-harness: expect-report end 2'
case_ "a counted block without its count at the end fails" fail "$E" "$F"'\n[    4.09] execmem-harness: expect-report end'
case_ "an allocation failure report inside a fault injection block passes" pass "$E" \
	"$F"'\n[    4.085] insmod: vmalloc error: size 4096, vm_struct allocation failed\n[    4.085] Call Trace:\n[    4.09] execmem-harness: expect-report end 1'
case_ "a WARNING inside a fault injection block fails" fail "$E" \
	"$F"'\n[    4.085] WARNING: CPU: 0 PID: 1 at mm/execmem.c:1 f+0x1/0x2\n[    4.09] execmem-harness: expect-report end 1'
# skips
case_ "a skip the configuration does not list fails" fail "$(expect_ '/^skip /d')" ''
case_ "a listed skip with another reason fails" fail "$E" 's/# SKIP not on this arch/# SKIP the ROX cache is off/'
case_ "an allowance that no test used fails" fail "$E" 's/ok 1 case_one # SKIP not on this arch/ok 1 case_one/'
case_ "the kselftest program skipped as a whole fails" fail "$E" \
	'/^    TAP version 13/,/^    ok 2 unloads/d; s/^ok 1 execmem_test$/ok 1 execmem_test # SKIP/'
case_ "every kselftest case skipped fails" fail "$E" \
	's/^    ok 1 loads$/    ok 1 loads # SKIP no module/; s/^    ok 2 unloads$/    ok 2 unloads # SKIP no module/'
case_ "every case of an expected KUnit suite skipped fails" fail "$E" \
	's/ok 1 test_kprobe$/ok 1 test_kprobe # SKIP off/; s/ok 2 test_kretprobe$/ok 2 test_kretprobe # SKIP off/'
case_ "an allowed kselftest skip passes" pass "$(expect_ '$a skip kselftest execmem_test.unloads no module support')" \
	's/^    ok 2 unloads$/    ok 2 unloads # SKIP no module support/'
case_ "every case of a suite skipped, though each is allowed, fails" fail \
	"$(expect_ '$a skip kunit kprobes_test.* off')" \
	's/ok 1 test_kprobe$/ok 1 test_kprobe # SKIP off/; s/ok 2 test_kretprobe$/ok 2 test_kretprobe # SKIP off/'
# the state at the end
case_ "no kmemleak scan fails where kmemleak is required" fail "$E" '/kmemleak scanned/d'
case_ "no kmemleak scan passes where kmemleak is not required" pass "$(expect_ '/require kmemleak/d')" '/kmemleak scanned/d'
case_ "the ROX cache off where it must be on fails" fail "$E" 's/final cache enabled=1/final cache enabled=0/'
case_ "the ROX cache on where it must be off fails" fail "$(expect_ 's/rox_cache on/rox_cache off/')" ''
case_ "no final execmem state fails" fail "$E" '/final cache/d'
case_ "a chunk not PMD-mapped at the end fails" fail "$E" 's/final cache \(.*\) pmd_mapped=2/final cache \1 pmd_mapped=1/'
case_ "a stuck area at the end fails" fail "$E" 's/final cache \(.*\)stuck=0/final cache \1stuck=1/'
case_ "a write window open at the end fails" fail "$E" 's/final cache \(.*\)windows=0/final cache \1windows=1/'
case_ "an allocation still live at the end fails" fail "$E" 's/final stats type=module_text live=0/final stats type=module_text live=1/'

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

# bench_case DESCRIPTION WANT MESSAGE [LOG-SED [CONFIG-SED [MORE-ARGS...]]]:
# bench-report.py over the fixture logs and .config files of a QUICK bench,
# with LOG-SED applied to the base's timed log and CONFIG-SED to the
# patched .config; MORE-ARGS are added.  A case that must fail must fail
# with MESSAGE among the report's problems.
bench_case() {
	local b=$fx/bench desc=$1 want=$2 msg=$3
	sed -e "${4:-}" "$b/base.log" >"$tmp/base.log"
	sed -e "${5:-}" "$b/patched.config" >"$tmp/patched.config"
	shift 3
	shift $(($# < 2 ? $# : 2))
	judge "$desc" "$want" bench_judge "$msg" \
		--config base="$b/base.config" --config patched="$tmp/patched.config" \
		--base-src "$b/src" \
		base="$tmp/base.log" patched="$b/patched.log" \
		base-smp2="$b/base-smp2.log" patched-smp2="$b/patched-smp2.log" "$@"
}
bench_judge() {	# MESSAGE ARGS...: the report, and MESSAGE in its problems
	local msg=$1 rc
	shift
	python3 "$top/scripts/bench-report.py" --out "$tmp/results.md" "$@"
	rc=$?
	# grep without -q reads all of sed's output: with -q it may exit at
	# the first match and sed die of SIGPIPE, failing the pipeline.
	[ $rc = 0 ] || sed -n '/^## Problems/,$p' "$tmp/results.md" |
		grep -F -- "$msg" >/dev/null || {
		echo "# the report failed, but without \"$msg\""; return 0; }
	return $rc
}
bench_case "bench: complete logs give every figure" pass ''
bench_case "bench: a figure missing for one kernel fails" fail \
	'figure missing: microbench' '/BENCH step microbench/d'
bench_case "bench: a phase of load_module() missing for one kernel fails" fail \
	'per load: free_init' '/BENCH step load_phases/s/ free_init=[0-9]*//'
bench_case "bench: a step that reports an error fails" fail \
	'base: bpf_load BPF_PROG_LOAD' '/BENCH end/i BENCH error bpf_load BPF_PROG_LOAD: Invalid argument'
bench_case "bench: kprobes at other functions on one kernel fail" fail \
	'probed different functions' 's/ set=5d1c7a0e/ set=5d1c7a0f/'
sed 's/ set=5d1c7a0e/ set=00c0ffee/' "$fx/bench/base-smp2.log" >"$tmp/base-smp2.log"
bench_case "bench: kprobes at other functions in an IPI boot fail" fail \
	'00c0ffee on base-smp2' '' '' base="$fx/bench/base.log" base-smp2="$tmp/base-smp2.log"
bench_case "bench: no hash of the kprobes probed fails" fail \
	'no hash of the kprobes' 's/ set=5d1c7a0e//'
bench_case "bench: a config symbol the base has, set differently, fails" fail \
	'CONFIG_BPF_JIT is n on the base' '' 's/^# CONFIG_BPF_JIT is not set/CONFIG_BPF_JIT=y/'
bench_case "bench: a config symbol of the base's Kconfig, set only on the series, fails" fail \
	'CONFIG_BPF_JIT is absent on the base' '' 's/^# CONFIG_BPF_JIT is not set/CONFIG_BPF_JIT=y/' \
	--config base="$fx/bench/base-nobpf.config"
bench_case "bench: a symbol only the series defines passes" pass '' '' \
	'$a CONFIG_EXECMEM_ROX_CACHE=y'
bench_case "bench: more timed boots than IPI boots fails" fail \
	'base: 2 timed boots but 1 IPI boots' '' '' base="$tmp/base.log"
bench_case "bench: more IPI boots than timed boots fails" fail \
	'base: 1 timed boots but 2 IPI boots' '' '' base-smp2="$fx/bench/base-smp2.log"
# kunit_case DESCRIPTION WANT MESSAGE PYTHON-EXPR [RC [KTAP-SED [LOG-SED
#            [EXPECT-SED]]]]:
# kunitpy-judge.py over the fixture results of kunit.py (JSON tree "j",
# edited by PYTHON-EXPR; a suite is j["sub_groups"][N]; None writes an
# empty file, and "rm" none at all), its raw KTAP, its log and the
# expectation file, each edited by a sed script, with kunit.py's exit
# code RC.  A case that must fail
# must also print MESSAGE, so that it fails for the rule it tests.
kunit_case() {
	local desc=$1 want=$2 msg=$3
	python3 -c 'import json,os,sys
j = json.load(open(sys.argv[1]))
exec(sys.argv[2])
if j == "rm":
    os.path.exists(sys.argv[3]) and os.remove(sys.argv[3])
else:
    open(sys.argv[3], "w").write("" if j is None else json.dumps(j))' \
		"$fx/kunitpy-good.json" "$4" "$tmp/kunit.json"
	sed -e "${6:-}" "$fx/kunitpy-good.ktap" >"$tmp/test.log"
	sed -e "${7:-}" "$fx/kunitpy-good.log" >"$tmp/kunit.log"
	sed -e "${8:-}" "$fx/kunitpy-good.expect" >"$tmp/kunit.expect"
	judge "$desc" "$want" kunit_judge "$msg" "${5:-0}"
}
kunit_judge() {	# MESSAGE RC: the judge, and MESSAGE in its output
	python3 "$top/scripts/kunitpy-judge.py" selftest "$2" "$tmp/kunit.json" \
		"$tmp/test.log" "$tmp/kunit.log" "$tmp/kunit.expect" \
		"$tmp/result.json"
	local rc=$?
	[ $rc = 0 ] || grep -qF -- "$1" "$tmp/out" || {
		echo "# the judge failed, but without \"$1\""; return 0; }
	return $rc
}
S0='j["sub_groups"][0]'
S1='j["sub_groups"][1]'
kunit_case "kunit.py: good results pass" pass '' 'pass'
kunit_case "kunit.py: a failing case fails" fail 'test_size_zero: FAIL' \
	"$S0[\"test_cases\"][0][\"status\"] = \"FAIL\""
kunit_case "kunit.py: a failing parameter fails" fail 'test_type_in_range: FAIL' \
	"$S0[\"sub_groups\"][0][\"test_cases\"][1][\"status\"] = \"FAIL\""
kunit_case "kunit.py: a crashed case (kunit.py's placeholder) fails" fail 'execmem_rox_cache.: ERROR' \
	"$S1[\"test_cases\"].append({\"name\": \"\", \"status\": \"ERROR\"})"
kunit_case "kunit.py: a skip that is not allowed fails" fail 'no skip is allowed' \
	"$S1[\"test_cases\"][1][\"status\"] = \"SKIP\""
kunit_case "kunit.py: a skip for another reason fails" fail 'not for the allowed reason' \
	'pass' 0 's/# SKIP only arm64.*/# SKIP no idea why/'
kunit_case "kunit.py: a skip without a message fails" fail 'without a message' \
	'pass' 0 's/ # SKIP only arm64.*//'
kunit_case "kunit.py: an expected suite that is missing fails" fail 'suite "execmem_rox_cache" did not report' \
	"$S1[\"name\"] = \"execmem_rox_cachy\""
kunit_case "kunit.py: an allowed skip that ran fails (stale list)" fail 'was not used' \
	"$S0[\"test_cases\"][1][\"status\"] = \"PASS\""
kunit_case "kunit.py: results that cannot be read fail" fail 'cannot be read' 'j = [j]'
kunit_case "kunit.py: an empty results file fails" fail 'wrote no results' 'j = None'
kunit_case "kunit.py: no results file fails" fail 'wrote no results' 'j = "rm"'
kunit_case "kunit.py: good results with a non-zero exit fail" fail 'exited with 1' 'pass' 1
kunit_case "kunit.py: a compiler warning in the build fails" fail 'warning:' 'pass' 0 '' \
	"2i ../lib/tests/execmem_kunit.c:910:13: warning: 'f' defined but not used [-Wunused-function]"
LDW='ld: warning: x.o: missing .note.GNU-stack section implies executable stack'
kunit_case "kunit.py: a base-tree warning the expectation lists passes" pass '' \
	'pass' 0 '' "2i $LDW" '$a warning ld: warning: x\\.o: missing .*'
kunit_case "kunit.py: a listed warning that never came fails (stale list)" fail \
	'was not seen' 'pass' 0 '' '' '$a warning ld: warning: x\\.o: missing .*'
kunit_case "kunit.py: a listed warning does not cover another" fail 'execmem.c:1:1: warning' \
	'pass' 0 '' "2i $LDW
2i ../mm/execmem.c:1:1: warning: unused" '$a warning ld: warning: x\\.o: missing .*'
kunit_case "kunit.py: a listed warning must match the whole line" fail 'x.o: missing' \
	'pass' 0 '' "2i $LDW" '$a warning ld: warning: x\\.o'
kunit_case "kunit.py: a listed warning never covers a crash" fail '[CRASHED]' \
	'pass' 0 '' '4i [09:01:55] [CRASHED] ld: warning: x.o' '$a warning .*'
kunit_case "kunit.py: a bad regular expression in the expectation fails" fail \
	'bad regular expression' 'pass' 0 '' "2i $LDW" '$a warning ld: warning: (x'
kunit_case "kunit.py: a parse error fails" fail '[ERROR]' 'pass' 0 '' \
	'4i [09:01:55] [ERROR] Test: execmem: missing expected subtest!'
# The compiler wrapper: an object that .incbin's a file must follow that
# file, where ccache in depend mode hands back the first build's object.
# incbin_build WANT COMPILER...: build twice, the included file changed in
# between; pass when the object holds WANT.
incbin_build() {
	local d=$tmp/incbin want=$1 v rc=1
	shift
	rm -rf "$d" && mkdir -p "$d"
	printf '.section .rodata\n.incbin "%s/data.bin"\n' "$d" >"$d/w.S"
	for v in first second; do
		echo "$v" >"$d/data.bin"
		(cd "$d" && CCACHE_DIR=$d/ccache CCACHE_DEPEND=1 "$@" \
			-Wp,-MMD,w.d -c w.S -o w.o) || break
	done &&
		objcopy -O binary -j .rodata "$d/w.o" "$d/out" &&
		grep -qx "$want" "$d/out" && rc=0
	rm -rf "$d"
	return $rc
}
judge "ccache-cc: an .incbin'd file that changed is built again" pass \
	incbin_build second "$top/scripts/ccache-cc" gcc
judge "ccache-cc: plain ccache in depend mode reuses the stale object" pass \
	incbin_build first ccache gcc
[ $bad = 0 ]
