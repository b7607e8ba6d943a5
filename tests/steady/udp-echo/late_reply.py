# steady: a correct echo server that thinks before each reply (a timed sleep,
# 0.3 s). Asleep, but in a call that ends by itself: a wait must not end
# early on it, and every scenario passes as the slides' server does.
import time
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    time.sleep(0.3)
    s.sendto(m.upper(), a)
