#!/usr/bin/env python3
"""layout-check.py - harness/ stays laid out as its pipeline (issue 14).

Reads every #include "..." of harness/ (and, given --objects, the symbols the
compiled objects define and use) and fails when
  - a folder of harness/ is not one of the known stages (STAGES below),
  - a file includes a header of a higher stage (an include running upward),
  - modules include each other in a loop, directly or through others (a module
    is a .c and its .h: check.c and check.h are one module),
  - with --objects: objects call each other in a loop, or an object calls a
    function of a higher stage.
Prints one line per problem ('file:line: ...') and exits 1; exits 0 with a
summary line when the layout holds.

usage: layout-check.py ROOT [--objects BUILD_DIR]
  ROOT       the checkout (its harness/ is read)
  BUILD_DIR  the build folder holding harness/**/*.o (nm reads them)
"""
import os
import re
import subprocess
import sys

# Lowest first: a stage includes only its own folder and the ones before it.
# The run stage judges its run in the worker before sending the verdict, so
# judge/ (with the run record the driver writes) sits below run/.
STAGES = ["scenario", "sandbox", "judge", "run", "report", "grade", ""]
# "" is harness/ itself: main.c and inspect.c, on top of every stage.

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def stage_of(rel):
    """harness/judge/check.c -> 'judge'; harness/main.c -> ''."""
    parts = rel.split("/")
    return parts[1] if len(parts) > 2 else ""


def module_of(rel):
    return os.path.splitext(rel)[0]


def resolve(root, rel, inc):
    """The harness file an include names, or None (lib/ or system)."""
    here = os.path.dirname(rel)
    for cand in (os.path.join(here, inc), os.path.join("harness", inc)):
        cand = os.path.normpath(cand)
        if cand.startswith("harness/") and os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def find_cycle(graph):
    """A list of nodes forming a loop, or None (iterative DFS, colours)."""
    colour = {n: 0 for n in graph}
    for start in sorted(graph):
        if colour[start]:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
                continue
            if nxt not in colour:
                continue
            if colour[nxt] == 1:
                return path[path.index(nxt):] + [nxt]
            if colour[nxt] == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(graph[nxt]))))
                path.append(nxt)
    return None


def all_cycles(graph):
    """Every loop, one at a time: report one, cut its first edge, look again."""
    g = {k: set(v) for k, v in graph.items()}
    out = []
    while True:
        c = find_cycle(g)
        if not c:
            return out
        out.append(c)
        g[c[0]].discard(c[1])


def check_includes(root, problems):
    files = []
    for dirpath, _, names in os.walk(os.path.join(root, "harness")):
        for n in names:
            if n.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(dirpath, n), root))
    files.sort()
    folders = sorted({stage_of(f) for f in files})
    for f in folders:
        if f not in STAGES:
            problems.append("harness/%s/: a folder that is not a stage: add it to STAGES in %s "
                            "(in pipeline order) and to DESIGN.md's layout" % (f, os.path.basename(__file__)))
    graph = {}
    for rel in files:
        mod = module_of(rel)
        graph.setdefault(mod, set())
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
            for ln, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve(root, rel, m.group(1))
                if not target:
                    continue
                a, b = stage_of(rel), stage_of(target)
                if a in STAGES and b in STAGES and STAGES.index(b) > STAGES.index(a):
                    problems.append("%s:%d: includes '%s' of stage '%s', above its own stage '%s'"
                                    % (rel, ln, m.group(1), b or "harness", a or "harness"))
                if module_of(target) != mod:
                    graph[mod].add(module_of(target))
    for c in all_cycles(graph):
        problems.append("include loop: " + " -> ".join(c))
    return len(files), folders


def check_objects(root, build, problems):
    objs = []
    for dirpath, _, names in os.walk(os.path.join(build, "harness")):
        for n in names:
            if n.endswith(".o"):
                objs.append(os.path.join(dirpath, n))
    live = []
    for o in objs:  # only objects of sources that still exist (a stale .o is no module)
        rel = os.path.join("harness", os.path.relpath(o, os.path.join(build, "harness")))[:-2] + ".c"
        if os.path.isfile(os.path.join(root, rel)):
            live.append((o, rel))
    if not live:
        problems.append("%s/harness: no object files (build first)" % build)
        return 0
    defines, uses = {}, {}
    for o, rel in live:
        out = subprocess.run(["nm", "--defined-only", "-g", o], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 3 and f[1] in "TDBRC":
                defines[f[2]] = rel
        out = subprocess.run(["nm", "--undefined-only", o], capture_output=True, text=True, check=True).stdout
        uses[rel] = {line.split()[-1] for line in out.splitlines() if line.split()}
    graph = {module_of(rel): set() for _, rel in live}
    for rel, syms in uses.items():
        for s in sorted(syms):
            d = defines.get(s)
            if not d or d == rel:
                continue
            a, b = stage_of(rel), stage_of(d)
            if a in STAGES and b in STAGES and STAGES.index(b) > STAGES.index(a):
                problems.append("%s: calls %s() of %s, a stage above its own" % (rel, s, d))
            graph[module_of(rel)].add(module_of(d))
    for c in all_cycles(graph):
        problems.append("call loop between objects: " + " -> ".join(c))
    return len(live)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 2 if len(argv) < 2 else 0
    root = argv[1]
    build = None
    if len(argv) == 4 and argv[2] == "--objects":
        build = argv[3]
    elif len(argv) != 2:
        print("layout-check: usage: layout-check.py ROOT [--objects BUILD_DIR]", file=sys.stderr)
        return 2
    problems = []
    nfiles, folders = check_includes(root, problems)
    nobj = check_objects(root, build, problems) if build else 0
    for p in problems:
        print(p)
    if problems:
        return 1
    print("layout: %d files in %d stages (%s), %d objects: no upward include or call, no loop"
          % (nfiles, len(folders), ", ".join(f or "harness" for f in folders), nobj))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
