# hostile: a correct client of the slides (one line from stdin to
# 127.0.0.1:12000, the reply printed) whose child floods other addresses
# ([::1]:9 and 127.0.0.1:9) with 60000-byte datagrams from before the exchange
# until the sandbox ends it (issue 18, the client's side). Open: in a client
# scenario every flow of the program is redirected to the reference server,
# the flood's too, so the flood is not "elsewhere" on the wire: the judge takes
# its first 60000-byte datagram for the client's line (FAIL), the capture
# keeps everything (25391 and 28102 frames dropped, 1.3 GB of pcaps for three
# scenarios, seen on Debian 12 with 2 cores).
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
