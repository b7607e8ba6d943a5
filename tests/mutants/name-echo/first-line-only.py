# mutant: treats each recv() as one line: answers only the first line of a segment
# role: server
# variant: plain
# catches: name-echo/two-lines: A: no reply line: the server is blocked, nothing will wake it
import socket
import threading

NAME = 'Ali'

def handle(conn):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        line = data.decode().splitlines()[0]
        conn.sendall((line + ' ' + NAME + '\n').encode())
    conn.close()

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('', 12000))
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
