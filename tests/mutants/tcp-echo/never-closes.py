# mutant: oneshot server that keeps reading until the client closes, so it never closes first
# role: server
# variant: oneshot
# catches: tcp-echo/oneshot-basic: A: the server did not close the connection
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        while True:
            sentence = connectionSocket.recv(4096)
            if not sentence:
                break
            connectionSocket.sendall(sentence.upper())
    except OSError:
        pass
    connectionSocket.close()
