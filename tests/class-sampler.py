#!/usr/bin/env python3
"""class-sampler.py OUT STOP MQDIR KEY...: samples the host while a class is
graded, every 20 ms until the file STOP exists (or SIGTERM), then writes OUT:

  before KIB      MemAvailable at the first sample
  min KIB         the least MemAvailable seen
  samples N       how many samples were taken
  ipc WHAT...     SysV objects of the given keys (hex, 0x...) and POSIX
                  message queues named wirecheck-* (under MQDIR, the host's
                  mqueue file system) seen on the host during the run
                  (with SAMPLER_NOT_ROOTS=1 in the environment: only those
                  that a uid other than root made; SAMPLER_MQ_PREFIX: queues
                  named so, not wirecheck-*)
  cgroup DIR...   cgroup folders under /sys/fs/cgroup/*/wirecheck/ and
                  /sys/fs/cgroup/wirecheck/ that appeared during the run
                  (with SAMPLER_ROOT=PID in the environment: only those of a
                  worker below PID, named PID-N by their worker; other runs
                  on the machine have theirs)

Polling is the point here (a minimum over time), not a wait for an event.
With 'once' as STOP, takes one sample and writes OUT at once (a control)."""
import glob, os, signal, sys, time

out, stop, mqdir = sys.argv[1:4]
keys = {int(k, 16) for k in sys.argv[4:]}
CG = ['/sys/fs/cgroup/*/wirecheck/*', '/sys/fs/cgroup/wirecheck/*']


def mem_available():
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith('MemAvailable:'):
                return int(line.split()[1])
    return 0


# SAMPLER_NOT_ROOTS=1: objects root made are left out: the programs of a class
# never run as root, and root is who makes the controls' objects on the host on
# purpose (this suite's, or another checkout's running meanwhile)
NOT_ROOTS = os.environ.get('SAMPLER_NOT_ROOTS') == '1'
# the POSIX queues looked at: those named so (SAMPLER_MQ_PREFIX)
MQ_PREFIX = os.environ.get('SAMPLER_MQ_PREFIX', 'wirecheck-')


def ipc_seen():
    seen = set()
    for kind in ('shm', 'sem', 'msg'):
        try:
            with open('/proc/sysvipc/' + kind) as f:
                cuid = next(f).split().index('cuid')
                for line in f:
                    fields = line.split()
                    key = int(fields[0]) & 0xffffffff
                    if key in keys and not (NOT_ROOTS and fields[cuid] == '0'):
                        seen.add('%s:0x%08x' % (kind, key))
        except (OSError, StopIteration, ValueError, IndexError):
            pass
    try:
        for n in os.listdir(mqdir):
            if n.startswith(MQ_PREFIX) and not (NOT_ROOTS and os.stat(os.path.join(mqdir, n)).st_uid == 0):
                seen.add('mqueue:' + n)
    except OSError:
        pass
    return seen


ROOT = int(os.environ.get('SAMPLER_ROOT', '0'))


def below_root(pid):
    """pid is ROOT or a process under it (the parent links of /proc/PID/stat)"""
    for _ in range(64):
        if pid == ROOT:
            return True
        try:
            with open('/proc/%d/stat' % pid) as f:
                st = f.read()
            pid = int(st[st.rfind(')') + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid <= 1:
            return False
    return False


def ours(d):
    if not ROOT:
        return True
    try:
        return below_root(int(os.path.basename(d).split('-')[0]))
    except ValueError:
        return False


def cgroups():
    return {d for g in CG for d in glob.glob(g) if os.path.isdir(d)}


done = False


def on_term(*_):
    global done
    done = True


signal.signal(signal.SIGTERM, on_term)
cg_before = cgroups()
before = low = mem_available()
n, ipc, cg = 0, set(), set()
while True:
    m = mem_available()
    low = min(low, m)
    ipc |= ipc_seen()
    cg |= {d for d in cgroups() - cg_before if ours(d)}
    n += 1
    if done or stop == 'once' or os.path.exists(stop):
        break
    time.sleep(0.02)
with open(out + '.tmp', 'w') as f:
    f.write('before %d\nmin %d\nsamples %d\n' % (before, low, n))
    f.write('ipc %s\n' % ' '.join(sorted(ipc)))
    f.write('cgroup %s\n' % ' '.join(sorted(cg)))
os.rename(out + '.tmp', out)
