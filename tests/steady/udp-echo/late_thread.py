# steady: a correct echo server whose main thread hands each datagram to a
# worker thread and waits on a queue with no timeout; the worker sleeps 0.3 s
# before it replies. One thread blocked, one sleeping in a timed call: the
# program will answer, and every scenario passes.
import queue, threading, time
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
jobs, done = queue.Queue(), queue.Queue()

def worker():
    while True:
        m, a = jobs.get()
        time.sleep(0.3)
        s.sendto(m.upper(), a)
        done.put(1)

threading.Thread(target=worker, daemon=True).start()
while True:
    jobs.put(s.recvfrom(2048))
    done.get()
