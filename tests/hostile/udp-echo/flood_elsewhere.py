# hostile: a correct echo server whose child floods another port ([::1]:9 and
# 127.0.0.1:9) with 60000-byte datagrams from before the bind to the end: the
# capture must keep the scenario's own traffic (no frames dropped, no ERROR, a
# small pcap), and port discovery must take the server's socket, not the
# flood's (issue 18)
import os
import time
from socket import *

if os.fork() == 0:
    junk = b'x' * 60000
    f4 = socket(AF_INET, SOCK_DGRAM)
    try:
        f6 = socket(AF_INET6, SOCK_DGRAM)
    except OSError:
        f6 = None
    while True:
        try:
            f4.sendto(junk, ('127.0.0.1', 9))
            if f6:
                f6.sendto(junk, ('::1', 9))
        except OSError:
            pass

time.sleep(0.3)  # the flood is under way before the server binds
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
