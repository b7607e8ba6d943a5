# mutant: correct lines, but one client at a time (no thread)
# role: server
# variant: plain
# catches: name-echo/three-clients: serves one client at a time
import socket

NAME = 'Ali'

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('', 12000))
server.listen(5)
while True:
    conn, addr = server.accept()
    buf = b''
    try:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                conn.sendall(line.rstrip(b'\r') + b' ' + NAME.encode() + b'\n')
    except OSError:
        pass
    conn.close()
