# hostile: a correct echo server that looks for what is not its own: a host
# process (its pid, argument 1) in /proc, a host network interface (argument
# 2) in /sys/class/net, a SysV shared memory segment another program left
# under key 0x57434b31, the host's accounts in /etc/passwd, and files of the
# grader (arguments 3...: another class's folder, the fixtures) (issue 18).
# What it finds it appends to every reply, so a leak fails the scenario; it
# also leaves a segment of its own (key 0x57434b32) behind, for the test to
# look for on the host.
import ctypes, os, sys
from leak_echo import serve

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
found = []
if os.path.exists('/proc/%s' % sys.argv[1]):
    found.append('pid %s' % sys.argv[1])
if os.path.exists('/sys/class/net/%s' % sys.argv[2]):
    found.append('if %s' % sys.argv[2])
shm = libc.shmget(0x57434b31, 0, 0)
if shm >= 0:
    at = libc.shmat(shm, None, 0)
    found.append('shm ' + ctypes.string_at(at, 16).split(b'\0')[0].decode(errors='replace'))
try:
    if 'daemon:' in open('/etc/passwd').read():
        found.append('host accounts')
except OSError:
    pass
for f in sys.argv[3:]:
    try:
        open(f, 'rb').read(1)
        found.append('file ' + f)
    except OSError:
        pass
mine = libc.shmget(0x57434b32, 4096, 0o1666)  # IPC_CREAT | 0666
if mine >= 0:
    ctypes.memmove(libc.shmat(mine, None, 0), b'left behind\0', 12)
serve(found)
