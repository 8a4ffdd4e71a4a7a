#!/usr/bin/python3
"""Judges one VM boot: each test's exit status and its part of the kernel log.

A test fails on a non-zero exit status (77: skipped), on a kernel splat in
its part of the kernel log (SPLAT), or on a deprecation notice there that
names our module (DEPRECATED, OURS). Prints "ok KERNEL TEST [secs]" or
"not ok KERNEL TEST (why)" per test (tests/vm/run gives KERNEL as
NAME:RELEASE, e.g. "6.1:6.1.0-57-amd64"), plus the pseudo-tests "kernel-log"
(splats outside every test) and "kmemleak" (when the kernel has it). Exits 1
if anything failed.
"""
import argparse
import os
import re
import sys

SPLAT = re.compile(
    r"WARNING:|BUG:|Oops|KASAN|UBSAN:|general protection fault|Kernel panic"
    r"|possible (recursive|circular) locking|inconsistent lock state"
    r"|sleeping function called from invalid context|soft lockup"
    r"|hung task|blocked for more than \d+ seconds|detected stalls? on CPU"
    r"|self-detected stall|list_(add|del) corruption|kernel BUG at")
# A deprecation notice that names our module or one of its e7_ functions
# (7.x: "workqueue: work func e7_events_work [eftirlit7] enqueued on
# deprecated workqueue") fails the test too: it names an API the next
# kernel removes. Other code's notices (6.x: "UDP-Lite is deprecated", when
# a test opens a UDP-Lite socket) do not.
DEPRECATED = re.compile(r"deprecated", re.IGNORECASE)
OURS = re.compile(r"\beftirlit7\b|\be7_\w+")
BEGIN = re.compile(r"e7vm: begin (\S+)")
END = re.compile(r"e7vm: end (\S+) rc=")
TAIL = 25  # lines of a failed test's log that are printed


def test_name(path):
    return "%s-%s" % (os.path.basename(os.path.dirname(path)),
                      os.path.splitext(os.path.basename(path))[0])


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read().splitlines()
    except OSError:
        return []


def splats_by_test(klog):
    found, current = {}, None
    for line in klog:
        m = BEGIN.search(line)
        if m:
            current = m.group(1)
            continue
        if END.search(line):
            current = None
            continue
        if SPLAT.search(line) or (DEPRECATED.search(line) and OURS.search(line)):
            found.setdefault(current, []).append(line.strip())
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--klog", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--qemu-log", required=True)
    ap.add_argument("tests", nargs="*")
    a = ap.parse_args()

    results = {}
    finished = False
    for line in read(a.results):
        if line == "done":
            finished = True
            continue
        parts = line.split()
        if len(parts) == 3:
            results[parts[0]] = (int(parts[1]), parts[2])
    klog = read(a.klog)
    if not finished:
        # The guest died early: its console is the only kernel log we have.
        klog = read(a.console)
    splats = splats_by_test(klog)
    failed = False
    for t in a.tests:
        name = test_name(t)
        why = None
        if t not in results:
            why = "no result: the guest died or timed out (see console.log)"
        elif results[t][0] == 77:
            print("ok %s %s # SKIP" % (a.kernel, name))
            continue
        elif results[t][0] != 0:
            why = "exit status %d (see %s.log)" % (results[t][0], name)
        if name in splats:
            why = (why + "; " if why else "") + "kernel log: " + splats[name][0]
        if why:
            failed = True
            print("not ok %s %s (%s)" % (a.kernel, name, why))
            # CI keeps only what the suite prints: the end of the test's
            # own log says which step failed.
            for line in read(os.path.join(os.path.dirname(a.klog), name + ".log"))[-TAIL:]:
                print("#   " + line)
        else:
            print("ok %s %s [%.1fs]" % (a.kernel, name, float(results[t][1])))
    if None in splats:
        failed = True
        print("not ok %s kernel-log (%s)" % (a.kernel, splats[None][0]))
    leaks = [l for l in read(os.path.join(os.path.dirname(a.klog), "kmemleak.txt"))
             if l.startswith("unreferenced object")]
    if leaks:
        failed = True
        print("not ok %s kmemleak (%d unreferenced objects)" % (a.kernel, len(leaks)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
