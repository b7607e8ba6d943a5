#!/usr/bin/env python3
# Simple HTTP/1.1 web server for the networking lab.
# Usage: python3 headbody.py   (then open http://localhost:6789/HelloWorld.html)
import os
import mimetypes
from socket import socket, AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR
from email.utils import formatdate
from urllib.parse import unquote

HOST = ''
PORT = 6789
DOCROOT = os.path.realpath(os.getcwd())


def get_request(sock):
    raw = b''
    while not raw.endswith(b'\r\n\r\n'):
        piece = sock.recv(1024)
        if not piece:
            break
        raw += piece
    return raw.decode('utf-8', errors='replace')


def build_response(status, body, ctype, mtime=None):
    resp = 'HTTP/1.1 ' + status + '\r\n'
    resp += 'Date: ' + formatdate(usegmt=True) + '\r\n'
    if mtime is not None:
        resp += 'Last-Modified: ' + formatdate(mtime, usegmt=True) + '\r\n'
    resp += 'Content-Type: ' + ctype + '\r\n'
    resp += 'Content-Length: ' + str(len(body)) + '\r\n'
    resp += 'Connection: keep-alive\r\n'
    resp += '\r\n'
    return resp.encode() + body


def error_response(status):
    body = ('<html><body><h2>' + status + '</h2></body></html>').encode()
    return build_response(status, body, 'text/html')


def serve(sock):
    request = get_request(sock)
    if request == '':
        return
    head = request.split('\r\n\r\n')[0].split('\r\n')
    words = head[0].split()
    if len(words) != 3 or not words[2].startswith('HTTP/'):
        sock.sendall(error_response('400 Bad Request'))
        return
    for line in head[1:]:
        if ':' not in line:
            sock.sendall(error_response('400 Bad Request'))
            return
    method, target = words[0], words[1]
    if method != 'GET' and method != 'HEAD':
        sock.sendall(error_response('501 Not Implemented'))
        return

    path = os.path.realpath(os.path.join(DOCROOT, unquote(target).lstrip('/')))
    if not path.startswith(DOCROOT + os.sep) or not os.path.isfile(path):
        sock.sendall(error_response('404 Not Found'))
        return

    with open(path, 'rb') as f:
        content = f.read()
    ctype = mimetypes.guess_type(path)[0] or 'application/octet-stream'
    # GET and HEAD get the same response
    sock.sendall(build_response('200 OK', content, ctype, os.path.getmtime(path)))


listener = socket(AF_INET, SOCK_STREAM)
listener.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
listener.bind((HOST, PORT))
listener.listen(5)
print('Listening on port', PORT)
while True:
    client, address = listener.accept()
    try:
        serve(client)
    finally:
        client.close()
