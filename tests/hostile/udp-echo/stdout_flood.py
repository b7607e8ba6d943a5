# hostile: a correct echo server whose other thread writes to stdout without end
import sys, threading
from socket import *
def flood():
    line = "x" * 1023 + "\n"
    while True:
        sys.stdout.write(line)
threading.Thread(target=flood, daemon=True).start()
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
