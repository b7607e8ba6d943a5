# Lab 2 - Web Server (GET and HEAD)
# Serves the files of the folder it is started in on port 6789.
# I check that the path stays inside the folder so nobody can read ../ files.
import os
from socket import *
from urllib.parse import unquote
from email.utils import formatdate

PORT = 6789
BASE = os.path.abspath('.')

TYPES = {'.html': 'text/html', '.htm': 'text/html', '.txt': 'text/plain', '.css': 'text/css',
         '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif'}


def recv_request(conn):
    buf = b''
    while b'\r\n\r\n' not in buf:
        part = conn.recv(2048)
        if not part:
            break
        buf += part
    return buf.decode('iso-8859-1')


def reply(conn, code, reason, headers, body=b'', send_body=True):
    out = 'HTTP/1.1 %d %s\n' % (code, reason)
    for name, value in headers:
        out += name + ': ' + value + '\n'
    out += '\n'
    conn.sendall(out.encode())
    if send_body and body:
        conn.sendall(body)


def error(conn, code, reason, send_body=True):
    body = ('<html><body><h1>%d %s</h1></body></html>' % (code, reason)).encode()
    headers = [('Date', formatdate(usegmt=True)), ('Server', 'LabServer/0.2'),
               ('Content-Type', 'text/html'), ('Content-Length', str(len(body))),
               ('Connection', 'close')]
    reply(conn, code, reason, headers, body, send_body)


def handle(conn):
    request = recv_request(conn)
    if not request:
        return
    lines = request.split('\r\n')
    parts = lines[0].split()
    if len(parts) != 3:
        error(conn, 400, 'Bad Request')
        return
    method, target, version = parts
    if method not in ('GET', 'HEAD'):
        error(conn, 501, 'Not Implemented')
        return
    send_body = method == 'GET'

    path = unquote(target.split('?')[0])
    full = os.path.normpath(os.path.join(BASE, path.lstrip('/')))
    # no way out of the folder
    if full != BASE and not full.startswith(BASE + os.sep):
        error(conn, 404, 'Not Found', send_body)
        return
    if os.path.isdir(full):
        full = os.path.join(full, 'index.html')
    if not os.path.isfile(full):
        error(conn, 404, 'Not Found', send_body)
        return

    with open(full, 'rb') as f:
        data = f.read()
    ext = os.path.splitext(full)[1].lower()
    headers = [('Date', formatdate(usegmt=True)),
               ('Server', 'LabServer/0.2'),
               ('Last-Modified', formatdate(os.path.getmtime(full), usegmt=True)),
               ('Content-Type', TYPES.get(ext, 'application/octet-stream')),
               ('Content-Length', str(len(data))),
               ('Connection', 'close')]
    reply(conn, 200, 'OK', headers, data, send_body)


server = socket(AF_INET, SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(('', PORT))
server.listen(5)
print('Serving %s on port %d' % (BASE, PORT))
while True:
    conn, addr = server.accept()
    print('connection from', addr)
    try:
        handle(conn)
    except OSError as e:
        print('error:', e)
    conn.close()
