# mutant: a correct session server, but it serves one client at a time (no thread)
# role: server
# variant: concurrent
# catches: tcp-echo/concurrent-three: serves one client at a time
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    conn, addr = serverSocket.accept()
    buf = b''
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            buf += data
            done = False
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if line.strip() == b'quit':
                    done = True
                    break
                conn.sendall(line.upper() + b'\n')
            if done:
                break
    except OSError:
        pass
    conn.close()
