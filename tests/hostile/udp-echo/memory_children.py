# hostile: a correct echo server whose six children take ~900 MiB each: every
# one stays under the 1 GiB RLIMIT_DATA of a process, 5.3 GiB together; only a
# limit on all the program's processes together holds them (issue 18).
#
# The memory is private and anonymous, as a bytearray's is, mapped so that the
# kernel writes every page of it in one call (MADV_POPULATE_WRITE, Linux 5.14):
# on a VM whose page faults trap to the hypervisor, a loop touching page by
# page gets ~85 MB/s, the call ~1 GB/s. An older kernel gets the loop.
# The server binds once the hogging has shown what it does: a child killed
# (by a limit), 2 GiB touched (more than a limit of 1 GiB allows), every child
# done, or 15 s. It waits in timed calls meanwhile: the harness sees it
# working, not blocked.
import mmap, os, select, signal, time
from socket import *

MiB = 1 << 20
r, w = os.pipe()
for i in range(6):
    if os.fork() == 0:
        os.close(r)
        hog = mmap.mmap(-1, 900 * MiB, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        for k in range(0, len(hog), 64 * MiB):
            try:
                hog.madvise(23, k, min(64 * MiB, len(hog) - k))  # MADV_POPULATE_WRITE
            except OSError:  # an older kernel: page by page
                for p in range(k, min(k + 64 * MiB, len(hog)), 4096):
                    hog[p] = 1
            os.write(w, b'p')  # another 64 MiB
        os.write(w, b'd')
        signal.pause()  # holds it while the server serves
        os._exit(0)
os.close(w)
touched = died = done = 0
t0 = time.monotonic()
while not died and done < 6 and touched < 2048 * MiB and time.monotonic() - t0 < 15:
    if select.select([r], [], [], 0.05)[0]:
        for b in os.read(r, 4096):
            touched += 64 * MiB if b == ord('p') else 0
            done += b == ord('d')
    try:
        died += os.waitpid(-1, os.WNOHANG)[0] > 0
    except ChildProcessError:
        break
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # a child killed later is reaped by the kernel
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
