# steady: a correct echo server that forks a child for each datagram and waits
# for it (os.waitpid, no timeout); the child sleeps 0.3 s, then replies. The
# parent is blocked, the child is not: the program as a whole will answer.
import os, time
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    pid = os.fork()
    if pid == 0:
        time.sleep(0.3)
        s.sendto(m.upper(), a)
        os._exit(0)
    os.waitpid(pid, 0)
