# A CPE 314-style concurrent server: fork a child per client, the parent
# goes back to accept(). listen(1), as in the C examples it was ported from:
# with A and B waiting to be accepted, C's SYN may be dropped until the
# parent catches up, and the kernel sends it again a second later.
import os
import signal
from socket import *

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies

serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 50000))
serverSocket.listen(1)
print('The server is ready to receive')
while True:
    connectionSocket, addr = serverSocket.accept()
    pid = os.fork()
    if pid == 0:
        serverSocket.close()
        while True:
            sentence = connectionSocket.recv(1024)
            if not sentence or sentence == b'quit':
                break
            connectionSocket.send(sentence.upper())
        connectionSocket.close()
        os._exit(0)
    connectionSocket.close()
