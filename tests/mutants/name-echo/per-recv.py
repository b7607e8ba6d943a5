# mutant: replies to each recv() instead of each line (strips the line end of whatever came)
# role: server
# variant: plain
# catches: name-echo/split-line: A: the reply line differs
import socket
import threading

NAME = 'Ali'

def handle(conn):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        text = data.decode().rstrip('\r\n')
        conn.sendall((text + ' ' + NAME + '\n').encode())
    conn.close()

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('', 12000))
server.listen(5)
while True:
    conn, addr = server.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
