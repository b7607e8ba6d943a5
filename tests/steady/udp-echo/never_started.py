# steady: a threaded server whose author forgot t.start(): the main thread
# waits, with no timeout, for a worker that never runs to say it has bound its
# socket. It blocks for good before binding: the wait for its bind ends on
# that proof, with where it waits, not when the ready timeout runs out.
import threading
from socket import *
ready = threading.Event()

def serve():
    s = socket(AF_INET, SOCK_DGRAM)
    s.bind(('', 12000))
    ready.set()
    while True:
        m, a = s.recvfrom(2048)
        s.sendto(m.upper(), a)

t = threading.Thread(target=serve)
ready.wait()
t.join()
