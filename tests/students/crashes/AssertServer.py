# AssertServer.py - a web server that was only ever tried with a browser's GET:
# it asserts the method is GET, so a HEAD (or any other method) raises
# AssertionError and the server ends.
import os
from email.utils import formatdate
from socket import *

serverPort = 6789
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)


def read_head(sock):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode('latin-1')


def reply(sock, status, body, stamp=None, ctype='text/html'):
    head = 'HTTP/1.1 ' + status + '\r\n'
    head += 'Date: ' + formatdate(usegmt=True) + '\r\n'
    head += 'Server: AssertServer/1.0\r\n'
    if stamp:
        head += 'Last-Modified: ' + stamp + '\r\n'
    head += 'Content-Type: ' + ctype + '\r\n'
    head += 'Content-Length: %d\r\n' % len(body)
    head += 'Connection: close\r\n\r\n'
    sock.sendall(head.encode() + body)


while True:
    conn, addr = serverSocket.accept()
    try:
        request = read_head(conn)
        if not request:
            continue
        method, path, version = request.split('\r\n')[0].split(' ')
        assert method == 'GET', 'only GET is supported'
        name = path.lstrip('/')
        if '..' in name or not os.path.isfile(name):
            reply(conn, '404 Not Found', b'<h1>404 Not Found</h1>')
        else:
            with open(name, 'rb') as f:
                data = f.read()
            ctype = 'text/html' if name.endswith('.html') else 'application/octet-stream'
            reply(conn, '200 OK', data, formatdate(os.path.getmtime(name), usegmt=True), ctype)
    finally:
        conn.close()
