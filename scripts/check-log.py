#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the console log of one test boot, strictly.

The log holds the kernel's boot with its KUnit run (KTAP), then the init's
kselftest run (KTAP, between "execmem-harness: kselftest begin/end"), the
init's closing checks, and "execmem-harness: done".  Both KTAP documents
are parsed with the kernel's own tools/testing/kunit/kunit_parser.py.

Each of these is a failure, counted as one failed harness test:
  - the boot did not reach "execmem-harness: done" (hang, timeout, panic)
  - a kernel report outside an expect-report block: panic, oops, BUG (KASAN,
    KCSAN among them), WARNING (lockdep among them), kmemleak leaks, W+X
    findings, RCU stalls, hung tasks, allocation failure reports, fault
    injection reports, and any other stack dump
  - inside an expect-report block, a report of another kind or with another
    message than the block names, or a different number of reports than it
    names
  - a skipped test that the configuration does not allow to skip, for the
    reason given there; an allowance that no test used
  - a suite or kselftest listed in the expectation file that did not report
  - the execmem state the configuration expects (the ROX cache on or off),
    not reported or not met at the end; chunks not PMD-mapped, write windows
    open or stuck areas at the end; execmem allocations of a type still
    live at the end that were not at the start
  - no kmemleak scan at the end, where the configuration has kmemleak
  - with --build-log: a warning from building the kernel, its modules or
    the initramfs programs (compiler, linker, objtool, modpost, Kconfig)

An expect-report block is opened by a line that contains
    expect-report begin KIND COUNT [MESSAGE]
and closed by one that contains "expect-report end [COUNT]".  KIND is one
of the report kinds below (WARNING, BUG, KASAN, alloc-failure,
fault-injection, kmemleak, stack-dump); the block must hold exactly COUNT
reports of that kind whose headline (for a WARN: the message and the
"WARNING:" line) contains MESSAGE, and nothing else.  A COUNT of "*" at the
beginning says that the count comes at the end: a test that cannot know
beforehand how many reports it provokes (fault injection) counts them
itself, and the log must hold exactly as many.  Inside a fault-injection
block, allocation failure reports are allowed as well, uncounted: the
allocator reports the failures the injector made.

The expectation file (configs/expected/NAME) has one directive a line:
    kunit SUITE                   the KUnit suite must report
    kselftest PROG                the kselftest program must report
    skip KIND PATTERN REASON...   a KIND (kunit or kselftest) test whose
                                  dotted path matches PATTERN (fnmatch) may
                                  be skipped, with a reason that contains
                                  REASON; the allowance must be used
    state rox_cache on|off        the ROX cache must be on (off) at the end
    require kmemleak              the init must have run its kmemleak scans
    live-may-grow TYPE REASON...  allocations of TYPE may stay live
    args PROG ARG...              test-config.sh passes these to PROG

Prints the parsed results and a summary; writes RESULT as JSON when asked.
Exit status: 0 when everything passed, 1 otherwise.
"""
import argparse
import fnmatch
import json
import os
import re
import sys

PRINTK = re.compile(r'^\s*\[\s*\d+\.\d+\]\s?')
CUT_HERE = re.compile(r'-+\[ cut here \]-+')
END_TRACE = re.compile(r'---\[ end trace ')
CALL_TRACE = re.compile(r'Call [Tt]race:')
# (regex, kind, what): the first that matches a line starts a report.
TRIGGERS = [
    (re.compile(r'Kernel panic'), 'panic', 'kernel panic'),
    (re.compile(r'\bOops\b|Unable to handle kernel|general protection fault'), 'oops', 'oops'),
    (re.compile(r'\bBUG: KASAN: '), 'KASAN', 'KASAN report'),
    (re.compile(r'\bBUG: KCSAN: '), 'KCSAN', 'KCSAN report'),
    (re.compile(r'\bBUG: KFENCE: '), 'KFENCE', 'KFENCE report'),
    (re.compile(r'\bBUG: |kernel BUG at '), 'BUG', 'BUG'),
    (re.compile(r'\bWARNING: '), 'WARNING', 'WARNING'),
    (re.compile(r'unreferenced object 0x'), 'kmemleak', 'kmemleak leak'),
    (re.compile(r'[Ii]nsecure W\+X|W\+X mappings: FAILED'), 'W+X', 'W+X mapping'),
    (re.compile(r'rcu: INFO: .* stall|detected stalls on CPUs'), 'rcu-stall', 'RCU stall'),
    (re.compile(r'INFO: task .* blocked for more than'), 'hung-task', 'hung task'),
    (re.compile(r'vmalloc error: |page allocation failure: '), 'alloc-failure',
     'allocation failure report'),
    (re.compile(r'FAULT_INJECTION: forcing a failure'), 'fault-injection',
     'fault injection report'),
    (re.compile(r'execmem-harness: TIMEOUT'), 'timeout', 'timeout'),
]
KINDS = {k for _, k, _ in TRIGGERS} | {'stack-dump'}
# A line of a stack trace: a frame ("func+0x1/0x2", "? func+...",
# "[<ffff...>] func+..."), a context marker ("<TASK>", "</IRQ>"), or
# registers.
FRAME = re.compile(r'^\s+(\? )?[\w.$]+\+0x[0-9a-f]+/0x[0-9a-f]+|^\s*</?[A-Z]+>|'
                   r'^\s*\[<[0-9a-f]+>\]|^\s*(RIP|RSP|RAX|RDX|RBP|R1[0-5]|R[89]|'
                   r'pc|lr|sp|x\d+|epc|ra|gp|status|badaddr|cause)\s*[:=]|'
                   r'^\s*(Code|Modules linked in|Hardware name|CPU|Kernel panic)|^\s*\[ end')
# A report whose stack trace never comes is over after this many lines.
REPORT_MAX = 400
EXPECT_BEGIN = re.compile(r'expect-report begin (\S+) (\d+|\*)(?: (.*))?$')
EXPECT_END = re.compile(r'expect-report end(?: (-?\d+))?')
KSFT_BEGIN = 'execmem-harness: kselftest begin'
KSFT_END = 'execmem-harness: kselftest end'
KMEMLEAK_DONE = 'execmem-harness: kmemleak scanned'
DONE = 'execmem-harness: done'
FINAL = re.compile(r'execmem-harness: (start|final) (cache|stats) (.*)$')
# gcc and ld "file:line: warning: ...", objtool "vmlinux.o: warning: objtool:
# ...", modpost "WARNING: modpost: ...", Kconfig "WARNING: unmet direct
# dependencies detected for ..."
BUILD_WARNING = re.compile(r'\bwarning: |^WARNING: ', re.IGNORECASE)


def load_parser(linux):
    sys.path.insert(0, os.path.join(linux, 'tools', 'testing', 'kunit'))
    import kunit_parser  # pylint: disable=import-outside-toplevel

    # Keep the reason of a SKIP directive, which the parser drops.
    orig = kunit_parser.parse_test_result

    def parse_test_result(lines, test, expected_num):
        m = kunit_parser.TEST_RESULT_SKIP.match(lines.peek() or '')
        ok = orig(lines, test, expected_num)
        if ok and m:
            test.skip_reason = m.group(5).strip()
        return ok
    kunit_parser.parse_test_result = parse_test_result
    return kunit_parser


def leaves(test, path=(), ok=()):
    """Yield (path, test) of the leaf tests under @test.

    A suite or program that failed although none of its cases did (it
    crashed, or exited non-zero after its plan) yields itself as a failure.
    """
    if not test.subtests:
        yield path + (test.name,), test
        return
    bad = False
    for sub in test.subtests:
        for p, t in leaves(sub, path + (test.name,), ok):
            bad = bad or t.status not in ok
            yield p, t
    if not bad and test.status not in ok and path:
        yield path + (test.name, '(itself)'), test


unreadable = []


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


class Expectations:
    def __init__(self, path):
        self.suites = []        # (kind, name)
        self.skips = []         # [kind, pattern, reason, used]
        self.state = {}
        self.require = set()
        self.live_may_grow = set()
        if not path:
            return
        with open(path) as f:
            for n, raw in enumerate(f, 1):
                line = raw.split('#', 1)[0].strip()
                if not line:
                    continue
                words = line.split()
                d = words[0]
                if d in ('kunit', 'kselftest') and len(words) == 2:
                    self.suites.append((d, words[1]))
                elif d == 'skip' and len(words) >= 4 and words[1] in ('kunit', 'kselftest'):
                    self.skips.append([words[1], words[2], ' '.join(words[3:]), 0])
                elif d == 'state' and len(words) == 3:
                    self.state[words[1]] = words[2]
                elif d == 'require' and len(words) == 2:
                    self.require.add(words[1])
                elif d == 'live-may-grow' and len(words) >= 3:
                    self.live_may_grow.add(words[1])
                elif d == 'args' and len(words) >= 2:
                    pass    # for test-config.sh: the program's arguments
                else:
                    raise SystemExit(f'{path}:{n}: cannot read "{raw.strip()}"')

    def allow_skip(self, kind, name, reason):
        for s in self.skips:
            if s[0] == kind and fnmatch.fnmatchcase(name, s[1]) and \
                    s[2].lower() in (reason or '').lower():
                s[3] += 1
                return True
        return False


def scan_reports(log):
    """Find the kernel reports in @log and judge them against the
    expect-report blocks.  Returns (problems, kunit_lines, ksft_lines).

    A report starts at a trigger line and lasts until its stack trace
    ends (the first line after "Call Trace:" that is not a frame), or
    until "---[ end trace"; a "Call Trace:" outside a report is a stack
    dump of its own."""
    problems = []
    kunit_lines, ksft_lines = [], []
    section = 'kunit'
    block = None            # dict(kind, count, match, got, line)
    cur = None              # the open report: dict(start, trace, pending)

    def report(n, kind, what, headline):
        if block is None:
            problems.append(f'{what} at log line {n + 1}: {headline}')
            return
        if kind == block['kind'] and block['match'] in headline:
            block['got'] += 1
        elif kind == 'alloc-failure' and block['kind'] == 'fault-injection':
            # An allocation that the injector made fail is reported by
            # the allocator too (vmalloc, ratelimited): not counted.
            pass
        else:
            problems.append(f'{what} inside an expect-report block for '
                            f'{block["kind"]} "{block["match"]}" (log line '
                            f'{n + 1}): {headline}')

    def close_pending():
        # A "cut here" whose WARNING/BUG line never came.
        if cur and cur['pending'] is not None:
            report(cur['start'], 'WARNING', 'WARN/BUG trace',
                   ' '.join(cur['pending']) or 'cut here')
            cur['pending'] = None

    for n, raw in enumerate(log):
        text = PRINTK.sub('', raw)
        m = EXPECT_BEGIN.search(text)
        if m:
            if block is not None:
                problems.append(f'expect-report block opened inside another at log line {n + 1}')
            if m.group(1) not in KINDS:
                problems.append(f'expect-report block of unknown kind "{m.group(1)}" at log line {n + 1}')
            block = {'kind': m.group(1),
                     'count': None if m.group(2) == '*' else int(m.group(2)),
                     'match': (m.group(3) or '').strip(), 'got': 0, 'line': n + 1}
        elif EXPECT_END.search(text):
            close_pending()
            cur = None
            end = EXPECT_END.search(text)
            if block is not None and block['count'] is None:
                # "*": the count comes with the end line, as the test
                # counted them.
                if end.group(1) is None:
                    problems.append(f'expect-report block at log line {block["line"]} '
                                    'gives no count at its end')
                    block['count'] = -1
                else:
                    block['count'] = int(end.group(1))
            if block is None:
                problems.append(f'expect-report end without a begin at log line {n + 1}')
            elif block['got'] != block['count']:
                problems.append(f'expect-report block at log line {block["line"]} wanted '
                                f'{block["count"]} {block["kind"]} "{block["match"]}", '
                                f'got {block["got"]}')
            block = None
        elif KSFT_BEGIN in text:
            section = 'ksft'
            continue
        elif KSFT_END in text:
            section = 'after'
            continue
        else:
            # Is the open report over?
            if cur is not None:
                if cur['trace'] and not FRAME.search(text):
                    cur = None
                elif END_TRACE.search(text):
                    close_pending()
                    cur = None
                    text = ''
                elif n - cur['start'] > REPORT_MAX:
                    close_pending()
                    cur = None
            if cur is not None and cur['pending'] is not None:
                if n - cur['start'] > 6:
                    close_pending()
                elif re.search(r'\bWARNING: |kernel BUG at |\bBUG: ', text):
                    kind = 'WARNING' if 'WARNING: ' in text else 'BUG'
                    report(cur['start'], kind, kind, ' '.join(cur['pending'] + [text.strip()]))
                    cur['pending'] = None
                    text = ''
                else:
                    cur['pending'].append(text.strip())
            if CUT_HERE.search(text):
                close_pending()
                cur = {'start': n, 'trace': False, 'pending': []}
            elif CALL_TRACE.search(text):
                if cur is None:
                    report(n, 'stack-dump', 'stack dump (e.g. an allocation failure report)',
                           text.strip())
                    cur = {'start': n, 'trace': True, 'pending': None}
                else:
                    cur['trace'] = True
            elif text:
                for rx, kind, what in TRIGGERS:
                    if rx.search(text):
                        close_pending()
                        report(n, kind, what, text.strip())
                        cur = {'start': n, 'trace': False, 'pending': None}
                        break
        if section == 'kunit':
            kunit_lines.append(raw)
        elif section == 'ksft' and not PRINTK.match(raw):
            ksft_lines.append(raw)
    close_pending()
    if block is not None:
        problems.append(f'the expect-report block at log line {block["line"]} was never closed')
    return problems, kunit_lines, ksft_lines


def fields(s):
    return dict(kv.split('=', 1) for kv in s.split() if '=' in kv)


def check_state(log, exp):
    """The execmem state the init printed at its start and end."""
    problems = []
    lines = {'start': {'cache': [], 'stats': []}, 'final': {'cache': [], 'stats': []}}
    for raw in log:
        m = FINAL.search(raw)
        if m:
            lines[m.group(1)][m.group(2)].append(fields(m.group(3)))
    final_cache = [f for f in lines['final']['cache'] if 'enabled' in f]
    if not final_cache:
        if exp.state:
            problems.append('the init reported no final execmem state '
                            '(execmem-harness: final cache ...)')
        return problems
    cache = final_cache[0]
    want = exp.state.get('rox_cache')
    if want is not None:
        on = cache.get('enabled') == '1'
        if on != (want == 'on'):
            problems.append(f'the ROX cache is {"on" if on else "off"} at the end; '
                            f'this configuration expects it {want}')
    if cache.get('pmd_mapped') != cache.get('chunks'):
        problems.append(f'at the end {cache.get("pmd_mapped")} of {cache.get("chunks")} '
                        'ROX cache chunks are PMD-mapped')
    for key in ('windows', 'stuck'):
        if cache.get(key, '0') != '0':
            problems.append(f'at the end the ROX cache has {key}={cache[key]}')
    start = {f['type']: f for f in lines['start']['stats'] if 'type' in f}
    for f in lines['final']['stats']:
        t = f.get('type')
        if t is None or t not in start or t in exp.live_may_grow:
            continue
        if int(f.get('live', 0)) > int(start[t].get('live', 0)):
            problems.append(f'{t}: {f["live"]} allocations live at the end, '
                            f'{start[t]["live"]} at the start of the init')
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    ap.add_argument('log')
    ap.add_argument('--linux', required=True, help='kernel tree with kunit_parser.py')
    ap.add_argument('--expect', help='expectation file (see above)')
    ap.add_argument('--name', default='', help='name for the summary')
    ap.add_argument('--json', help='write the result here')
    ap.add_argument('--build-log', help='output of building this configuration')
    args = ap.parse_args()

    kp = load_parser(args.linux)
    exp = Expectations(args.expect)
    with open(args.log, errors='replace') as f:
        log = [l.rstrip('\n').rstrip('\r') for l in f]

    problems = []
    if args.build_log:
        with open(args.build_log, errors='replace') as f:
            for n, line in enumerate(f, 1):
                if BUILD_WARNING.search(line):
                    problems.append(f'build warning at {os.path.basename(args.build_log)}'
                                    f' line {n}: {line.strip()}')
    found, kunit_lines, ksft_lines = scan_reports(log)
    problems.extend(found)
    if not any(DONE in l for l in log):
        problems.append('the boot did not finish (no "execmem-harness: done"): hang, crash or timeout')
    if 'kmemleak' in exp.require and not any(KMEMLEAK_DONE in l for l in log):
        problems.append('no kmemleak scan at the end (no "execmem-harness: kmemleak scanned")')
    problems.extend(check_state(log, exp))

    results = {'kunit': parse_section(kp, kunit_lines, 'KUnit'),
               'kselftest': parse_section(kp, ksft_lines, 'kselftest')}

    problems.extend(unreadable)
    good = (kp.TestStatus.SUCCESS, kp.TestStatus.SKIPPED)
    passed = failed = skipped = 0
    failures = []
    for kind, res in results.items():
        if res is None:
            continue
        for path, t in leaves(res, ok=good):
            name = '.'.join(p for p in path[1:] if p)
            if t.status == kp.TestStatus.SUCCESS:
                passed += 1
            elif t.status == kp.TestStatus.SKIPPED:
                reason = getattr(t, 'skip_reason', '')
                if exp.allow_skip(kind, name, reason):
                    skipped += 1
                else:
                    failed += 1
                    failures.append(f'{kind}: {name}: SKIPPED ({reason or "no reason"}), '
                                    'which this configuration does not allow')
            else:
                failed += 1
                failures.append(f'{kind}: {name}: {t.status.name}')
        if res.counts.errors:
            problems.append(f'{kind}: {res.counts.errors} KTAP parse errors')

    for kind, name in exp.suites:
        res = results.get(kind)
        names = [t.name for t in res.subtests] if res else []
        if name not in names:
            problems.append(f'expected {kind} suite "{name}" did not report')
            continue
        sub = res.subtests[names.index(name)]
        if not any(t.status == kp.TestStatus.SUCCESS for _, t in leaves(sub)):
            problems.append(f'{kind} suite "{name}" passed no test')
    for kind, pattern, reason, used in exp.skips:
        if not used:
            problems.append(f'the allowed skip "{kind} {pattern}" ({reason}) was not used: '
                            'update the expectation file')

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
