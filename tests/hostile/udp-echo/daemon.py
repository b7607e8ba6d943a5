# hostile: double-forks a daemon (setsid) that outlives the server unless the
# sandbox kills it; the daemon's command line names this file so tests can look for it
import os, sys, time
from socket import *
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("python3", ["python3", "-c", "import threading; threading.Event().wait()", "wirecheck-daemon-marker"])
    os._exit(0)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
