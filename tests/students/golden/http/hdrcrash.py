"""
Lab 3 -- HTTP web server
Answers GET and HEAD for the files below the folder it runs in (port 6789).
"""
import os
from socket import *
from email.utils import formatdate
from urllib.parse import unquote

PORT = 6789
WEBROOT = os.path.realpath('.')
SERVER_NAME = 'MyPyServer/1.0'


def read_head(conn):
    data = b''
    while b'\r\n\r\n' not in data:
        more = conn.recv(4096)
        if not more:
            break
        data += more
    return data.decode('latin-1')


def parse_request(text):
    lines = text.split('\r\n')
    request_line = lines[0].split()
    headers = {}
    for line in lines[1:]:
        if line == '':
            break
        name, value = line.split(': ', 1)
        headers[name.lower()] = value
    return request_line, headers


def send(conn, status, headers, body):
    out = 'HTTP/1.1 ' + status + '\r\n'
    for k in headers:
        out += k + ': ' + headers[k] + '\r\n'
    out += '\r\n'
    conn.sendall(out.encode() + body)


def error(conn, status, head_only=False):
    body = ('<h1>' + status + '</h1>').encode()
    headers = {'Server': SERVER_NAME, 'Content-Type': 'text/html',
               'Content-Length': str(len(body)), 'Connection': 'close'}
    send(conn, status, headers, b'' if head_only else body)


def handle(conn):
    text = read_head(conn)
    if not text:
        return
    if len(text.split('\r\n')[0].split()) != 3:
        error(conn, '400 Bad Request')
        return
    (method, target, version), headers = parse_request(text)
    if method not in ('GET', 'HEAD'):
        error(conn, '501 Not Implemented')
        return
    head_only = method == 'HEAD'
    path = os.path.realpath(os.path.join(WEBROOT, unquote(target).lstrip('/')))
    if not path.startswith(WEBROOT + '/'):
        error(conn, '403 Forbidden', head_only)
        return
    if not os.path.isfile(path):
        error(conn, '404 Not Found', head_only)
        return
    with open(path, 'rb') as f:
        body = f.read()
    headers = {
        'Server': SERVER_NAME,
        'Last-Modified': formatdate(os.path.getmtime(path), usegmt=True),
        'Content-Type': 'text/html',
        'Content-Length': str(len(body)),
        'Connection': 'close',
    }
    send(conn, '200 OK', headers, b'' if head_only else body)


s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', PORT))
s.listen(5)
print('server started on port', PORT)
while True:
    conn, addr = s.accept()
    try:
        handle(conn)
    except IOError as e:
        print('I/O error:', e)
    conn.close()
