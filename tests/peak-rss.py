#!/usr/bin/env python3
"""peak-rss.py OUT CMD...: runs CMD and samples, every 10 ms until it ends, the
resident memory of all its descendants together (VmRSS, a shared mapping's
pages included: the program under test, its children, the harness's workers);
OUT gets 'PEAK_KIB DROP_KIB': that peak, and how far MemAvailable fell below
its value before the run (other work on the machine moves the latter by
hundreds of MiB, so tests judge the former). Exits with CMD's status."""
import os, subprocess, sys, time


def mem_available():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemAvailable:'):
                return int(line.split()[1])
    return 0


def descendants(pid):
    """pid and every process below it (the parent links of /proc/*/stat)"""
    kids = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                with open('/proc/%s/stat' % p) as f:
                    st = f.read()
                kids.setdefault(int(st[st.rfind(')') + 2:].split()[1]), []).append(int(p))
            except (OSError, ValueError, IndexError):
                pass
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += kids.get(p, [])
    return seen


def rss(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


out, cmd = sys.argv[1], sys.argv[2:]
base = low = mem_available()
peak = 0
child = subprocess.Popen(cmd)
while child.poll() is None:
    peak = max(peak, sum(rss(p) for p in descendants(child.pid)))
    low = min(low, mem_available())
    time.sleep(0.01)
with open(out, 'w') as f:
    f.write('%d %d\n' % (peak, base - low))
sys.exit(child.returncode)
