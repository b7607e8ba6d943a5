# mutant: lower() instead of upper()
# role: server
# variant: oneshot
# catches: tcp-echo/oneshot-basic: A: reply differs at byte 0
# catches: tcp-echo/mixed: A: reply differs at byte 0
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)
while True:
    connectionSocket, addr = serverSocket.accept()
    buf = b''
    while not buf.endswith(b'\n'):
        data = connectionSocket.recv(1024)
        if not data:
            break
        buf += data
    connectionSocket.sendall(buf.lower())
    connectionSocket.close()
