#!/usr/bin/python3
"""Checks the layout rules of docs/architecture.md on the C sources.

- no file over 600 lines;
- no function over 60 lines (from the line of its opening brace to the line
  of its closing brace, both at the start of a line, as clang-format leaves
  them);
- no circle between files: a.c includes b.h and b.c (or something it
  includes, transitively) includes a.h.

usage: tools/check-layout.py [DIR...]   (default: common e7d e7ctl applet module)
Prints each breach and exits 1 if there is one.
"""
import os
import re
import subprocess
import sys

MAX_FILE, MAX_FUNC = 600, 60
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sources(dirs):
    out = subprocess.run(["git", "-C", top, "ls-files", "--"] + list(dirs),
                         capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if f.endswith((".c", ".h"))]


def long_functions(path, lines):
    start, name = None, None
    for n, line in enumerate(lines, 1):
        if line.startswith("{") and start is None:
            start = n
            prev = "".join(lines[max(0, n - 4):n - 1])
            m = re.findall(r"(\w+)\s*\(", prev)
            name = m[0] if m else "?"
        elif line.startswith("}") and start is not None:
            if n - start + 1 > MAX_FUNC and "(" in "".join(lines[max(0, start - 4):start]):
                yield "%s:%d: function %s is %d lines (at most %d)" % (
                    path, start, name, n - start + 1, MAX_FUNC)
            start = None


def includes(path, lines):
    for line in lines:
        m = re.match(r'#include "([^"]+)"', line)
        if m:
            yield m.group(1)


def circles(files, text):
    # Each unit is a .c file with its .h; a unit depends on the units
    # whose header it (or its header) includes.
    # A unit's private header (x-private.h) belongs to unit x.
    units = {}
    for f in files:
        units.setdefault(re.sub(r"-private$", "", os.path.splitext(f)[0]), []).append(f)
    by_header = {os.path.basename(u) + ".h": u for u in units if u + ".h" in files}
    deps = {}
    for u, fs in units.items():
        d = set()
        for f in fs:
            for h in includes(f, text[f]):
                v = by_header.get(os.path.basename(h))
                if v and v != u and os.path.dirname(v) == os.path.dirname(u):
                    d.add(v)
        deps[u] = d
    seen, stack, found = {}, [], []

    def visit(u):
        seen[u] = 1
        stack.append(u)
        for v in sorted(deps[u]):
            if seen.get(v) == 1:
                found.append(stack[stack.index(v):] + [v])
            elif v not in seen:
                visit(v)
        stack.pop()
        seen[u] = 2

    for u in sorted(deps):
        if u not in seen:
            visit(u)
    for c in found:
        yield "circle: " + " -> ".join(c)


def main():
    dirs = sys.argv[1:] or ["common", "e7d", "e7ctl", "applet", "module"]
    files = sources(dirs)
    text = {}
    for f in files:
        with open(os.path.join(top, f), errors="replace") as fh:
            text[f] = fh.read().splitlines(keepends=True)
    breaches = []
    for f in files:
        if len(text[f]) > MAX_FILE:
            breaches.append("%s: %d lines (at most %d)" % (f, len(text[f]), MAX_FILE))
        if f.endswith(".c"):
            breaches.extend(long_functions(f, text[f]))
    breaches.extend(circles(files, text))
    for b in breaches:
        print(b)
    print("layout: %d files, %d breaches" % (len(files), len(breaches)))
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
