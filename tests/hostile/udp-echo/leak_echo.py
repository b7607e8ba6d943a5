# leak_echo.py - the server of the hostile programs that look for what is not
# theirs (peeks_host.py, reads_grader.py, lists_etc.py): a correct UDP echo on
# port 12000 that appends what the program found to every reply, so that a
# leak fails the scenario. Not a program of its own: it goes beside them.
from socket import *


def serve(found):
    leak = (' LEAK: ' + ', '.join(found)).encode() if found else b''
    s = socket(AF_INET, SOCK_DGRAM)
    s.bind(('', 12000))
    while True:
        m, a = s.recvfrom(2048)
        s.sendto(m.upper() + leak, a)
