# hostile: a correct client of the slides (one line from stdin to
# 127.0.0.1:12000, the reply printed) whose child floods other addresses
# ([::1]:9 and 127.0.0.1:9) with 60000-byte datagrams from before the exchange
# until the sandbox ends it (issue 18, the client's side). Decided: LABS.md
# has a client's hard-coded address, whatever it is, brought to the server, so
# in a client scenario every flow of the program goes to the reference server,
# the flood's too: it is not "elsewhere" on the wire but what this client sent
# its server, and the judge takes its first 60000-byte datagram for the line
# (its own FAIL, never an ERROR); the report counts the other addresses it
# sent to ("and N more"). What protects the grader is the capture's byte cap (64 MiB;
# 1.3 GB of pcaps for three scenarios before it) and the scenario's cgroup.
import os
import time
from socket import *

if os.fork() == 0:
    junk = b'x' * 60000
    f4 = socket(AF_INET, SOCK_DGRAM)
    try:
        f6 = socket(AF_INET6, SOCK_DGRAM)
    except OSError:
        f6 = None
    while True:
        try:
            f4.sendto(junk, ('127.0.0.1', 9))
            if f6:
                f6.sendto(junk, ('::1', 9))
        except OSError:
            pass

time.sleep(0.3)  # the flood is under way before the exchange
clientSocket = socket(AF_INET, SOCK_DGRAM)
message = input('Input lowercase sentence:')
clientSocket.sendto(message.encode(), ('127.0.0.1', 12000))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
print(modifiedMessage.decode())
clientSocket.close()
