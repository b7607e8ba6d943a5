# hostile: binds, then crashes with an exception on the first datagram (exit status 1)
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
msg, addr = s.recvfrom(2048)
raise RuntimeError("student bug: crashed on " + repr(msg))
