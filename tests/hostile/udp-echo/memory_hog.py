# hostile: a correct echo server that also grabs memory until refused
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
hog = []
try:
    while True:
        hog.append(bytearray(64 << 20))
except MemoryError:
    pass
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
