# hostile: binds port 12000 and never answers (blocks forever after the first datagram)
from socket import *
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
s.recvfrom(2048)
import threading
threading.Event().wait()
