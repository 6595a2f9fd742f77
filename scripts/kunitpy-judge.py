#!/usr/bin/env python3
"""Judge a kunit.py run against an expectation file.

    kunitpy-judge.py NAME KUNIT-EXIT-CODE KUNIT.JSON KTAP-LOG KUNIT-LOG
                     EXPECT-FILE RESULT.JSON

KUNIT.JSON is what kunit.py run --json wrote, KTAP-LOG the kernel's raw
output (test.log in kunit.py's build directory), KUNIT-LOG kunit.py's own
output, build included.  The expectation file has "kunit SUITE" lines, for
suites that must report, and "skip kunit SUITE.CASE REASON" lines, for the
cases that may skip (SUITE.CASE is a shell pattern): the kernel's skip
message must contain REASON.  Anything else fails: a failed or crashed
case, a skip that is not listed or whose message differs, a listed suite
that did not report, an allowed skip that was not used, a compiler warning
(other than one the expectation file lists as "warning REGEX", which must
then be seen) or a parse error in KUNIT-LOG, kunit.py exiting non-zero, or
results that cannot be read.  A parameterized case counts once per
parameter, under the case's name.  Writes RESULT.JSON in the harness's
format; exits 1 on failure.
"""
import fnmatch
import json
import os
import re
import sys

name, rc, res, ktap, klog, exp, out = sys.argv[1:]
passed = failed = skipped = 0
failures, problems = [], []
suites = set()
want, allowed, used = [], {}, set()
# Build warnings that are the base tree's own: "warning REGEX", where REGEX
# matches the whole line (stripped) of a build warning, and only a warning;
# like an allowed skip, each must be seen.  kunitpy-test.sh relinks the
# kernel on every run, so that link warnings are always there to be seen.
known_warnings, seen_warnings = [], set()

for n, line in enumerate(open(exp), 1):
    w = line.split(None, 2)
    if not w or w[0].startswith("#"):
        continue
    if w[0] == "kunit" and len(w) == 2:
        want.append(w[1])
    elif w[0] == "skip" and len(w) == 3 and w[1] == "kunit":
        pat, _, reason = w[2].strip().partition(" ")
        if not reason.strip():
            problems.append("%s:%d: a skip without its reason" % (exp, n))
        allowed[pat] = reason.strip()
    elif w[0] == "warning" and len(w) >= 2:
        pat = line.split(None, 1)[1].strip()
        try:
            known_warnings.append((pat, re.compile(pat)))
        except re.error as e:
            problems.append("%s:%d: bad regular expression: %s" % (exp, n, e))
    else:
        problems.append("%s:%d: not understood: %s" % (exp, n, line.strip()))

# The kernel's skip messages, by SUITE.CASE, from the raw KTAP: a result
# line at indentation k belongs to the "# Subtest:" header at k.
reasons = {}
if os.path.exists(ktap):
    hdr = {}
    for line in open(ktap, errors="replace"):
        line = re.sub(r"^\[[^]]*\] ?", "", line.rstrip("\n"))
        m = re.match(r"^( *)# Subtest: (\S+)", line)
        if m:
            k = len(m.group(1))
            hdr = {i: v for i, v in hdr.items() if i < k}
            hdr[k] = m.group(2)
            continue
        m = re.match(r"^( *)(?:not )?ok \d+ (\S+)(?:\s+#\s*SKIP\s*(.*))?$", line)
        if not m:
            continue
        k = len(m.group(1))
        path = [hdr[i] for i in sorted(hdr) if 0 < i <= k]
        if k > 0 and len(path) >= 1:
            full = path[0] + "." + (path[1] if len(path) > 1 else m.group(2))
            if m.group(3) is not None:
                reasons.setdefault(full, []).append(m.group(3).strip())
        hdr = {i: v for i, v in hdr.items() if i <= k}


def judge(full, status):
    global passed, failed, skipped
    if status == "PASS":
        passed += 1
        return
    if status == "SKIP":
        pat = [p for p in allowed if fnmatch.fnmatchcase(full, p)]
        msgs = reasons.get(full, [])
        if not pat:
            why = "skipped (%s), and no skip is allowed" % "; ".join(msgs)
        elif not msgs:
            why = "skipped without a message"
        elif not all(allowed[pat[0]].lower() in m.lower() for m in msgs):
            why = 'skipped (%s), not for the allowed reason "%s"' % (
                "; ".join(msgs), allowed[pat[0]])
        else:
            skipped += 1
            used.update(pat)
            return
    else:
        why = status
    failed += 1
    failures.append("%s: %s" % (full or "(unnamed)", why))


def walk(g, path):
    for c in g.get("test_cases", []):
        judge(".".join((path + [c["name"]])[:2]), c["status"])
    for s in g.get("sub_groups", []):
        if not path:
            suites.add(s["name"])
        walk(s, path + [s["name"]])


if not os.path.exists(res) or os.path.getsize(res) == 0:
    problems.append("kunit.py wrote no results (exit %s), see build/%s/kunit.log"
                    % (rc, name))
else:
    try:
        walk(json.load(open(res)), [])
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        problems.append("kunit.py's results cannot be read: %s" % e)
    for s in want:
        if s not in suites:
            problems.append('expected kunit suite "%s" did not report' % s)
    for p in allowed:
        if p not in used:
            problems.append('the allowed skip "%s" was not used: update the '
                            'expectation file' % p)
if rc != "0":
    problems.append("kunit.py exited with %s, see build/%s/kunit.log" % (rc, name))
if os.path.exists(klog):
    bad_lines = []
    for line in open(klog, errors="replace"):
        line = line.strip()
        if re.search(r"\[ERROR\]|\[CRASHED\]|Could not find any KTAP", line):
            bad_lines.append(line)
        elif ": warning: " in line:
            known = [p for p, r in known_warnings if r.fullmatch(line)]
            if known:
                seen_warnings.update(known)
            else:
                bad_lines.append(line)
    # The first one says enough.
    problems.extend("kunit.log: " + l for l in bad_lines[:1])
    for p, _ in known_warnings:
        if p not in seen_warnings:
            problems.append('the known warning "%s" was not seen' % p)
else:
    problems.append("no kunit.py output at %s" % klog)

json.dump({"name": name, "passed": passed, "failed": failed + len(problems),
           "skipped": skipped, "failures": failures, "problems": problems},
          open(out, "w"))
for f in failures + problems:
    print("FAILED " + f)
print("%s: %d passed, %d failed, %d skipped"
      % (name, passed, failed + len(problems), skipped))
sys.exit(1 if failed or problems else 0)
