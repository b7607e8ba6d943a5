# hostile: a correct echo server that first fills its folder with files of
# 16 MiB until a write fails (no single file is over the file-size limit), then
# serves. It appends 'LEAK: wrote N MiB' to every reply when it could write over
# 600 MiB (the copy's tmpfs holds 512), so a missing quota fails the scenario.
import os
from socket import *

wrote = 0
chunk = b'x' * (16 << 20)
try:
    for i in range(256):  # 4 GiB at most
        with open('fill%03d.bin' % i, 'wb') as f:
            f.write(chunk)
        wrote += 16
except OSError:
    pass
leak = (' LEAK: wrote %d MiB' % wrote).encode() if wrote > 600 else b''
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper() + leak, a)
