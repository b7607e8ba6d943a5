# mutant: session server that adds a newline to every reply
# role: server
# variant: session
# catches: tcp-echo/session: A: reply of 4 bytes, expected 3: 1 more came in the same segment
# catches: tcp-echo/session-next-client: A: reply of 6 bytes, expected 5: 1 more came in the same segment
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    conn, addr = serverSocket.accept()
    while True:
        data = conn.recv(1024)
        if not data or data.strip() == b'quit':
            break
        conn.sendall(data.upper() + b'\n')
    conn.close()
