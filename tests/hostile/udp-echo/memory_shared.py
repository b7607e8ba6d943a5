# hostile: a correct echo server whose child maps 3 GiB MAP_SHARED|MAP_ANONYMOUS
# and touches every page: RLIMIT_DATA counts no shared mapping, so the 1 GiB
# limit of a process never sees it (issue 18); only a limit on the program's
# memory as a whole does.
#
# The kernel writes every page of it (MADV_POPULATE_WRITE, Linux 5.14): on a
# VM whose page faults trap to the hypervisor, a loop touching page by page
# gets ~85 MB/s, the call ~1 GB/s; an older kernel gets the loop. The server
# binds once the hogging has shown what it does: the child killed (by a
# limit), 2 GiB touched, the child done, or 15 s; it waits in timed calls
# meanwhile (the harness sees it working, not blocked). The child holds the
# mapping while the server serves.
#
# 'memory_shared.py self': the server maps it itself, at the first datagram,
# and dies of the limit: the report says why it was killed.
import mmap, os, select, signal, sys, time
from socket import *

MiB = 1 << 20


def hog(w):
    shared = mmap.mmap(-1, 3072 * MiB, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
    for k in range(0, len(shared), 64 * MiB):
        try:
            shared.madvise(23, k, 64 * MiB)  # MADV_POPULATE_WRITE
        except OSError:  # an older kernel: page by page
            for p in range(k, k + 64 * MiB, 4096):
                shared[p] = 1
        if w is not None:
            os.write(w, b'p')
    return shared


if sys.argv[1:] == ['self']:
    s = socket(AF_INET, SOCK_DGRAM)
    s.bind(('', 12000))
    m, a = s.recvfrom(2048)
    held = hog(None)
    s.sendto(m.upper(), a)
    while True:
        m, a = s.recvfrom(2048)
        s.sendto(m.upper(), a)
r, w = os.pipe()
if os.fork() == 0:
    os.close(r)
    held = hog(w)
    os.write(w, b'd')
    signal.pause()
    os._exit(0)
os.close(w)
touched = died = done = 0
t0 = time.monotonic()
while not died and not done and touched < 2048 * MiB and time.monotonic() - t0 < 15:
    if select.select([r], [], [], 0.05)[0]:
        for b in os.read(r, 4096):
            touched += 64 * MiB if b == ord('p') else 0
            done += b == ord('d')
    try:
        died += os.waitpid(-1, os.WNOHANG)[0] > 0
    except ChildProcessError:
        break
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
