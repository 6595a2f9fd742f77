#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the console log of one test boot.

The log holds the kernel's boot with its KUnit run (KTAP), then the init's
kselftest run (KTAP, between "execmem-harness: kselftest begin/end"), then
"execmem-harness: done".  Both KTAP documents are parsed with the kernel's
own tools/testing/kunit/kunit_parser.py.

Besides the test results, these are failures, each counted as one failed
harness test:
  - the boot did not reach "execmem-harness: done" (hang, timeout, panic)
  - a kernel report anywhere in the log: panic, oops, BUG (KASAN among them),
    WARNING (lockdep among them), kmemleak leaks, W+X findings, RCU stalls,
    and any other stack dump (allocation failure reports among them)
  - a suite or kselftest listed in the expectation file did not report
  - with --build-log: a warning from building the kernel, its modules or
    the initramfs programs (compiler, linker, objtool, modpost, Kconfig);
    the series must build clean

Reports between "execmem-harness: expect-report begin" and "... end", or
between "expected WARNING follows" and "expected WARNING done" (printed by
tests that provoke a WARN on purpose), are not counted.

Prints the parsed results and a summary; writes RESULT as JSON when asked.
Exit status: 0 when everything passed, 1 otherwise.
"""
import argparse
import json
import os
import re
import sys

REPORTS = [
    (re.compile(r'Kernel panic'), 'kernel panic'),
    (re.compile(r'\bOops\b|Unable to handle kernel|general protection fault'), 'oops'),
    (re.compile(r'\bBUG: '), 'BUG'),
    (re.compile(r'\bWARNING: '), 'WARNING'),
    (re.compile(r'-+\[ cut here \]-+'), 'WARN/BUG trace'),
    (re.compile(r'unreferenced object 0x'), 'kmemleak leak'),
    (re.compile(r'[Ii]nsecure W\+X|W\+X mappings: FAILED'), 'W+X mapping'),
    (re.compile(r'rcu: INFO: .* stall|detected stalls on CPUs'), 'RCU stall'),
    (re.compile(r'INFO: task .* blocked for more than'), 'hung task'),
    (re.compile(r'execmem-harness: TIMEOUT'), 'timeout'),
    (re.compile(r'Call [Tt]race:'), 'stack dump (e.g. an allocation failure report)'),
]
EXPECT_BEGIN = re.compile(r'execmem-harness: expect-report begin|expected WARNING follows')
EXPECT_END = re.compile(r'execmem-harness: expect-report end|expected WARNING done')
KSFT_BEGIN = 'execmem-harness: kselftest begin'
KSFT_END = 'execmem-harness: kselftest end'
DONE = 'execmem-harness: done'
PRINTK = re.compile(r'^\s*\[\s*\d+\.\d+\]')
# gcc and ld "file:line: warning: ...", objtool "vmlinux.o: warning: objtool:
# ...", modpost "WARNING: modpost: ...", Kconfig "WARNING: unmet direct
# dependencies detected for ..."
BUILD_WARNING = re.compile(r'\bwarning: |^WARNING: ', re.IGNORECASE)


def load_parser(linux):
    sys.path.insert(0, os.path.join(linux, 'tools', 'testing', 'kunit'))
    import kunit_parser  # pylint: disable=import-outside-toplevel
    return kunit_parser


def leaves(test, path=(), ok=()):
    """Yield (path, status) of the leaf tests under @test.

    A suite or program that failed although none of its cases did (it
    crashed, or exited non-zero after its plan) yields itself as a failure.
    """
    if not test.subtests:
        yield path + (test.name,), test.status
        return
    bad = False
    for sub in test.subtests:
        for p, st in leaves(sub, path + (test.name,), ok):
            bad = bad or st not in ok
            yield p, st
    if not bad and test.status not in ok and path:
        yield path + (test.name, '(itself)'), test.status


def parse_section(kp, lines, title):
    print(f'--- {title} ---', flush=True)
    if not any(re.search(r'(K?TAP) version', l) for l in lines):
        print(f'no KTAP output in the {title} section', flush=True)
        return None
    if any(l.strip() == '1..0' for l in lines[:3]) or \
            [l.strip() for l in lines if l.strip()][1:2] == ['1..0']:
        print(f'the {title} section ran nothing (plan 1..0)', flush=True)
        return None
    try:
        return kp.parse_run_tests(lines)
    except Exception as e:  # malformed KTAP must fail the run, not crash it
        print(f'the {title} section is not valid KTAP: {e}', flush=True)
        unreadable.append(f'{title}: output the KTAP parser cannot read ({e})')
        return None


unreadable = []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('log')
    ap.add_argument('--linux', required=True, help='kernel tree with kunit_parser.py')
    ap.add_argument('--expect', help='expectation file: "kunit SUITE" / "kselftest PROG" lines')
    ap.add_argument('--name', default='', help='name for the summary')
    ap.add_argument('--json', help='write the result here')
    ap.add_argument('--build-log', help='output of building this configuration')
    args = ap.parse_args()

    kp = load_parser(args.linux)
    with open(args.log, errors='replace') as f:
        log = [l.rstrip('\n').rstrip('\r') for l in f]

    problems = []
    if args.build_log:
        with open(args.build_log, errors='replace') as f:
            for n, line in enumerate(f, 1):
                if BUILD_WARNING.search(line):
                    problems.append(f'build warning at {os.path.basename(args.build_log)}'
                                    f' line {n}: {line.strip()}')
    kunit_lines, ksft_lines = [], []
    section, expected_report = 'kunit', False
    for n, line in enumerate(log, 1):
        if EXPECT_BEGIN.search(line):
            expected_report = True
        elif EXPECT_END.search(line):
            expected_report = False
        elif KSFT_BEGIN in line:
            section = 'ksft'
            continue
        elif KSFT_END in line:
            section = 'after'
            continue
        if not expected_report:
            for rx, what in REPORTS:
                if rx.search(line):
                    problems.append(f'{what} at log line {n}: {line.strip()}')
                    break
        if section == 'kunit':
            kunit_lines.append(line)
        elif section == 'ksft' and not PRINTK.match(line):
            ksft_lines.append(line)
    if expected_report:
        problems.append('an expect-report block was never closed')
    if not any(DONE in l for l in log):
        problems.append('the boot did not finish (no "execmem-harness: done"): hang, crash or timeout')

    results = {'kunit': parse_section(kp, kunit_lines, 'KUnit'),
               'kselftest': parse_section(kp, ksft_lines, 'kselftest')}

    problems.extend(unreadable)
    good = (kp.TestStatus.SUCCESS, kp.TestStatus.SKIPPED)
    passed = failed = skipped = 0
    failures = []
    for kind, res in results.items():
        if res is None:
            continue
        for path, status in leaves(res, ok=good):
            name = '.'.join(p for p in path[1:] if p)
            if status == kp.TestStatus.SUCCESS:
                passed += 1
            elif status == kp.TestStatus.SKIPPED:
                skipped += 1
            else:
                failed += 1
                failures.append(f'{kind}: {name}: {status.name}')
        if res.counts.errors:
            problems.append(f'{kind}: {res.counts.errors} KTAP parse errors')

    if args.expect:
        with open(args.expect) as f:
            for line in f:
                line = line.split('#', 1)[0].strip()
                if not line:
                    continue
                kind, name = line.split(None, 1)
                res = results.get(kind)
                names = [t.name for t in res.subtests] if res else []
                if name not in names:
                    problems.append(f'expected {kind} suite "{name}" did not report')
                    continue
                sub = res.subtests[names.index(name)]
                if not list(leaves(sub)):
                    problems.append(f'{kind} suite "{name}" ran no test')

    print(f'--- summary {args.name} ---')
    for f in failures:
        print(f'FAILED {f}')
    for p in problems:
        print(f'PROBLEM {p}')
    failed_total = failed + len(problems)
    print(f'{args.name}: {passed} passed, {failed_total} failed, {skipped} skipped'
          f' ({len(problems)} harness problems)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'name': args.name, 'passed': passed, 'failed': failed_total,
                       'skipped': skipped, 'failures': failures,
                       'problems': problems}, f, indent=1)
    return 0 if failed_total == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
