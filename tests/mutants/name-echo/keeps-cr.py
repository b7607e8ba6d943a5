# mutant: splits on '\n' only, so a telnet line keeps its '\r' ("Hello\r Ali")
# role: server
# variant: plain
# catches: name-echo/crlf: A: the reply line differs
import socket
import threading

NAME = 'Ali'

def handle(conn):
    buf = b''
    while True:
        data = conn.recv(1024)
        if not data:
            break
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            conn.sendall(line + b' ' + NAME.encode() + b'\n')
    conn.close()

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('', 12000))
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
