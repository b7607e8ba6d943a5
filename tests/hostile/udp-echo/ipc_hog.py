# hostile: a correct echo server that first makes one IPC object of each kind
# and leaves them: a SysV shared memory segment (key 0x57434b40, 1 MiB), a
# semaphore set (0x57434b41), a message queue holding a message (0x57434b42)
# and a POSIX message queue (/wirecheck-hostile-mq). Each must end with the
# program's IPC namespace and never be seen on the host. If one cannot be
# made, it exits with status 3 before binding, so a test sees the objects
# were there to leave (a program denied IPC would prove nothing).
# 'ipc_hog.py leave': makes them and exits, serving nothing; 'leave KEY MQ':
# with the keys KEY, KEY+1, KEY+2 (hex) and the queue /MQ instead (a control
# whose objects no other check looks for).
import ctypes, os, sys
from socket import *

libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
IPC_CREAT = 0o1000
key, mq_name = 0x57434b40, b'/wirecheck-hostile-mq'
if len(sys.argv) == 4 and sys.argv[1] == 'leave':
    key, mq_name = int(sys.argv[2], 16), b'/' + sys.argv[3].encode()
made = []
shm = libc.shmget(key, 1 << 20, IPC_CREAT | 0o666)
if shm >= 0:
    at = libc.shmat(shm, None, 0)
    if at not in (None, ctypes.c_void_p(-1).value):
        ctypes.memmove(at, b'left behind\0', 12)
        made.append('shm')
if libc.semget(key + 1, 1, IPC_CREAT | 0o666) >= 0:
    made.append('sem')
msq = libc.msgget(key + 2, IPC_CREAT | 0o666)
if msq >= 0:
    msg = ctypes.create_string_buffer(b'\x01\0\0\0\0\0\0\0left behind', 19)
    if libc.msgsnd(msq, msg, 11, 0o4000) == 0:  # IPC_NOWAIT
        made.append('msg')
libc.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
mq = libc.mq_open(mq_name, os.O_CREAT | os.O_RDWR, 0o666, None)
if mq >= 0:
    libc.mq_send.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint]
    if libc.mq_send(mq, b'left behind', 11, 0) == 0:
        made.append('mqueue')
if len(made) != 4:
    print('ipc_hog: made only %s: %s' % (made, os.strerror(ctypes.get_errno())), file=sys.stderr)
    sys.exit(3)
if sys.argv[1:2] == ['leave']:  # made and left, no server (a test's control, outside the sandbox)
    sys.exit(0)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
