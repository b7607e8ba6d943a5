# a correct echo server on port 80 (below 1024): must work without privileges
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 80))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
