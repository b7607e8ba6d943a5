# hostile: an echo server that answers the first datagram, then sends itself
# SIGTERM: its end is its own, not the harness's (issue 18: reported as "ended
# on the harness's SIGTERM")
import os
import signal
from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
m, a = s.recvfrom(2048)
s.sendto(m.upper(), a)
os.kill(os.getpid(), signal.SIGTERM)
