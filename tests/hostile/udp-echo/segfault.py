# hostile: binds, then dies of SIGSEGV on the first datagram
import os, signal
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
s.recvfrom(2048)
os.kill(os.getpid(), signal.SIGSEGV)
