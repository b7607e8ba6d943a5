# webserver.py - networking lab, part 2
# Text files are sent as text (utf-8), images as bytes.
import os
from socket import *
from email.utils import formatdate
from urllib.parse import unquote

PORT = 6789
ROOT = os.path.realpath(os.getcwd())
IMAGES = ('png', 'jpg', 'jpeg', 'gif')
TYPES = {'html': 'text/html', 'htm': 'text/html', 'png': 'image/png', 'jpg': 'image/jpeg',
         'jpeg': 'image/jpeg', 'gif': 'image/gif'}


def get_request(conn):
    req = b''
    while b'\r\n\r\n' not in req:
        piece = conn.recv(1024)
        if not piece:
            break
        req += piece
    return req.decode()


def head_lines(status, ctype, length, mtime=None):
    h = 'HTTP/1.1 ' + status + '\r\n'
    h += 'Date: ' + formatdate(usegmt=True) + '\r\n'
    h += 'Server: lab-server\r\n'
    if mtime is not None:
        h += 'Last-Modified: ' + formatdate(mtime, usegmt=True) + '\r\n'
    h += 'Content-Type: ' + ctype + '\r\n'
    h += 'Content-Length: ' + str(length) + '\r\n'
    h += 'Connection: close\r\n\r\n'
    return h


def error(conn, status, head_only=False):
    page = '<html><body><p>' + status + '</p></body></html>'
    conn.sendall((head_lines(status, 'text/html', len(page)) + ('' if head_only else page)).encode())


def serve(conn):
    req = get_request(conn)
    if not req:
        return
    lines = req.split('\r\n\r\n')[0].split('\r\n')
    first = lines[0].split()
    if len(first) != 3 or any(':' not in line for line in lines[1:]):
        error(conn, '400 Bad Request')
        return
    method, target = first[0], first[1]
    if method not in ('GET', 'HEAD'):
        error(conn, '501 Not Implemented')
        return
    head_only = method == 'HEAD'
    path = os.path.realpath(os.path.join(ROOT, unquote(target).lstrip('/')))
    if not path.startswith(ROOT + os.sep) or not os.path.isfile(path):
        error(conn, '404 Not Found', head_only)
        return
    ext = path.rsplit('.', 1)[-1].lower()
    if ext in IMAGES:
        with open(path, 'rb') as f:
            body = f.read()
    else:
        with open(path, 'r', encoding='utf-8') as f:
            text = f.read()
        body = text.encode('utf-8')
        length = len(text)
    if ext in IMAGES:
        length = len(body)
    conn.sendall(head_lines('200 OK', TYPES.get(ext, 'text/html'), length, os.path.getmtime(path)).encode())
    if not head_only:
        conn.sendall(body)


serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', PORT))
serverSocket.listen(5)
print('serving', ROOT, 'on port', PORT)
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        serve(connectionSocket)
    except OSError as e:
        print('error', e)
