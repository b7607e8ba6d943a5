# mutant: session variant, but the connection is closed after the first message (slides' oneshot habit)
# role: server
# variant: session
# catches: tcp-echo/session: A: no reply; then the server
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    conn, addr = serverSocket.accept()
    try:
        data = conn.recv(1024)
        if data and data.strip() != b'quit':
            conn.sendall(data.upper())
    except OSError:
        pass
    conn.close()
