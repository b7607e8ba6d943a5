# mutant: session server that never checks for b'': a client leaving makes it spin on recv()
# role: server
# variant: session
# catches: tcp-echo/leaves-without-word: B: no reply: the server kept a CPU busy without answering
# catches: tcp-echo/leaves-mid-session: B: no reply: the server kept a CPU busy without answering
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    conn, addr = serverSocket.accept()
    while True:
        data = conn.recv(1024)
        if data.strip() == b'quit':
            break
        conn.sendall(data.upper())
    conn.close()
