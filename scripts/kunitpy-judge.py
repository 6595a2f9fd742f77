#!/usr/bin/env python3
"""Judge kunit.py's JSON results against an expectation file.

    kunitpy-judge.py NAME KUNIT-EXIT-CODE KUNIT.JSON EXPECT-FILE RESULT.JSON

The expectation file's "kunit SUITE" lines name suites that must report,
and its "skip kunit SUITE.CASE REASON" lines the cases that may skip (a
shell pattern); any other skip, any failure, a missing suite or an allowed
skip that was not used fails.  A parameterized case counts once per
parameter, under the case's name.  Writes RESULT.JSON in the harness's
format and exits 1 on failure.
"""
import fnmatch
import json
import os
import sys

name, rc, res, exp, out = sys.argv[1:]
passed = failed = skipped = 0
failures, problems = [], []
suites = set()
want, allowed, used = [], {}, set()
for line in open(exp):
    w = line.split(None, 2)
    if not w or w[0].startswith("#"):
        continue
    if w[0] == "kunit":
        want.append(w[1])
    elif w[0] == "skip" and w[1] == "kunit":
        allowed[w[2].split(None, 1)[0]] = w[2]


def judge(full, status):
    global passed, failed, skipped
    if status == "PASS":
        passed += 1
    elif status == "SKIP":
        pat = [p for p in allowed if fnmatch.fnmatchcase(full, p)]
        if pat:
            skipped += 1
            used.update(pat)
        else:
            failed += 1
            failures.append(full + ": skipped, and no skip is allowed")
    else:
        failed += 1
        failures.append(full + ": " + status)


def walk(g, suite):
    for c in g.get("test_cases", []):
        judge(suite + "." + c["name"], c["status"])
    for s in g.get("sub_groups", []):
        if not suite:
            suites.add(s["name"])
            walk(s, s["name"])
        else:
            for c in s.get("test_cases", []):
                judge(suite + "." + s["name"], c["status"])


if not os.path.exists(res):
    problems.append("kunit.py wrote no results (exit %s), see build/%s/kunit.log"
                    % (rc, name))
else:
    try:
        walk(json.load(open(res)), "")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        problems.append("kunit.py's results cannot be read: %s" % e)
    for s in want:
        if s not in suites:
            problems.append('expected kunit suite "%s" did not report' % s)
    for p in allowed:
        if p not in used:
            problems.append('the allowed skip "%s" was not used: update the '
                            'expectation file' % p)
    if rc != "0" and not failures:
        problems.append("kunit.py exited with %s, see build/%s/kunit.log"
                        % (rc, name))
json.dump({"name": name, "passed": passed, "failed": failed + len(problems),
           "skipped": skipped, "failures": failures, "problems": problems},
          open(out, "w"))
for f in failures + problems:
    print("FAILED " + f)
print("%s: %d passed, %d failed, %d skipped"
      % (name, passed, failed + len(problems), skipped))
sys.exit(1 if failed or problems else 0)
