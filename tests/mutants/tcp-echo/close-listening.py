# mutant: closes both sockets after the first client, the listening one first
# role: server
# variant: oneshot
# catches: tcp-echo/oneshot-next-client: B: cannot connect
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
    connectionSocket.sendall(buf.upper())
    serverSocket.close()
    connectionSocket.close()
