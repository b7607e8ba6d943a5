# mutant: session server that echoes 'quit' too before closing
# role: server
# variant: session
# catches: tcp-echo/session: A: 4 more bytes came before the end of the connection
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    conn, addr = serverSocket.accept()
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data.upper())
        if data.strip() == b'quit':
            break
    conn.close()
