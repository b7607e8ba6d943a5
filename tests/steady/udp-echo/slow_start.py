# steady: a correct echo server that takes a second before it binds (a slow
# start: loading, a sleep in the student's code). Asleep in a timed call, so
# the harness waits for its bind, and it passes.
import time
from socket import *
time.sleep(1.0)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
