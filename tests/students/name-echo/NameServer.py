# Name echo server: every line comes back with my name appended.
import socket
import threading

HOST = ''
PORT = 12000
NAME = 'Ali'

def handle(conn, addr):
    print('connected', addr)
    buf = b''
    while True:
        data = conn.recv(1024)
        if not data:
            break
        buf += data
        while b'\n' in buf:
            line, buf = buf.split(b'\n', 1)
            line = line.rstrip(b'\r')
            conn.sendall(line + b' ' + NAME.encode() + b'\r\n')
    conn.close()
    print('disconnected', addr)

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((HOST, PORT))
server.listen(5)
print('listening on port', PORT)
while True:
    conn, addr = server.accept()
    t = threading.Thread(target=handle, args=(conn, addr))
    t.daemon = True
    t.start()
