# mutant: select() server whose 'if not data: break' leaves the main loop, not the client
# role: server
# variant: plain
# catches: name-echo/leaves-without-word: the server ended before answering
import select
import socket

NAME = b'Ali'

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('', 12000))
server.listen(5)
clients = {}
while True:
    ready, _, _ = select.select([server] + list(clients), [], [])
    stop = False
    for s in ready:
        if s is server:
            conn, addr = server.accept()
            clients[conn] = b''
            continue
        data = s.recv(1024)
        if not data:
            stop = True
            break
        clients[s] += data
        while b'\n' in clients[s]:
            line, clients[s] = clients[s].split(b'\n', 1)
            s.sendall(line.rstrip(b'\r') + b' ' + NAME + b'\n')
    if stop:
        break
server.close()
