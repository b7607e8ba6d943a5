# webserver.py -- CS lab web server
# Handles GET and HEAD, one thread per client so that the browser's extra
# connections don't block anything.
import os
import time
import threading
from socket import *
from urllib.parse import unquote

serverPort = 6789
ROOT = os.path.realpath('.')

# only the types we need for the lab
CONTENT_TYPES = {'html': 'text/html', 'png': 'image/png', 'jpg': 'image/jpeg'}


def http_date():
    return time.strftime('%a, %d %b %Y %H:%M:%S GMT')


def file_date(path):
    return time.strftime('%a, %d %b %Y %H:%M:%S GMT', time.gmtime(os.path.getmtime(path)))


def content_type(path):
    ext = path.rsplit('.', 1)[-1].lower()
    return CONTENT_TYPES.get(ext, 'text/html')


def make_head(code, reason, ctype, length, path=None):
    head = 'HTTP/1.1 %d %s\r\n' % (code, reason)
    head += 'Date: %s\r\n' % http_date()
    head += 'Server: Python/%s\r\n' % 'threaded-lab'
    if path is not None and os.path.exists(path):
        head += 'Last-Modified: %s\r\n' % file_date(path)
    head += 'Content-Type: %s\r\n' % ctype
    head += 'Content-Length: %d\r\n' % length
    head += 'Connection: close\r\n'
    head += '\r\n'
    return head


def send_error(conn, code, reason, with_body=True):
    body = ('<html><h1>%d %s</h1></html>' % (code, reason)).encode()
    conn.sendall(make_head(code, reason, 'text/html', len(body)).encode() + (body if with_body else b''))


def read_request(conn):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode('latin-1')


def handle(conn, addr):
    try:
        req = read_request(conn)
        if not req:
            return
        lines = req.split('\r\n')
        first = lines[0].split(' ')
        if len(first) != 3:
            send_error(conn, 400, 'Bad Request')
            return
        method, url, version = first
        for h in lines[1:]:
            if h and ':' not in h:
                send_error(conn, 400, 'Bad Request')
                return
        if version not in ('HTTP/1.0', 'HTTP/1.1'):
            send_error(conn, 505, 'HTTP Version Not Supported')
            return
        if method not in ('GET', 'HEAD'):
            send_error(conn, 501, 'Not Implemented')
            return
        path = unquote(url.split('?')[0])
        if path == '/':
            path = '/HelloWorld.html'
        local = os.path.realpath('.' + path)
        if not local.startswith(ROOT + '/'):
            send_error(conn, 403, 'Forbidden', method == 'GET')
            return

        if method == 'HEAD':
            # HEAD only wants the headers, no need to open the file
            size = os.path.getsize(local) if os.path.exists(local) else 0
            conn.sendall(make_head(200, 'OK', content_type(local), size, local).encode())
            return

        try:
            with open(local, 'rb') as f:
                data = f.read()
        except IOError:
            send_error(conn, 404, 'Not Found')
            return
        conn.sendall(make_head(200, 'OK', content_type(local), len(data), local).encode() + data)
    finally:
        conn.close()


serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(10)
print('Ready to serve...')
while True:
    connectionSocket, addr = serverSocket.accept()
    threading.Thread(target=handle, args=(connectionSocket, addr), daemon=True).start()
