# Lab: Web Server
# The response uses the same HTTP version as the request, so an HTTP/1.0
# browser gets an HTTP/1.0 answer.
import os
from socket import *
from email.utils import formatdate
from urllib.parse import unquote

serverPort = 6789
root = os.path.realpath('.')

serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)


def recv_all(sock):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode('latin-1')


def status(sock, version, code, text, body=True):
    page = '<html><body><h1>%d %s</h1></body></html>' % (code, text)
    head = '%s %d %s\r\n' % (version, code, text)
    head += 'Date: %s\r\n' % formatdate(usegmt=True)
    head += 'Server: Lab-Webserver/1.0\r\n'
    head += 'Content-Length: %d\r\n' % len(page)
    head += 'Connection: close\r\n\r\n'
    sock.sendall((head + (page if body else '')).encode())


while True:
    print('Ready to serve...')
    connectionSocket, addr = serverSocket.accept()
    version = 'HTTP/1.1'
    try:
        message = recv_all(connectionSocket)
        lines = message.split('\r\n')
        words = lines[0].split()
        if len(words) != 3 or [l for l in lines[1:] if l and ':' not in l]:
            status(connectionSocket, version, 400, 'Bad Request')
            connectionSocket.close()
            continue
        method, url, version = words
        if method not in ('GET', 'HEAD'):
            status(connectionSocket, version, 501, 'Not Implemented')
            connectionSocket.close()
            continue
        path = os.path.realpath(os.path.join(root, unquote(url).lstrip('/')))
        if not path.startswith(root + os.sep):
            status(connectionSocket, version, 403, 'Forbidden', method == 'GET')
            connectionSocket.close()
            continue
        header = '%s 200 OK\r\n' % version
        header += 'Date: %s\r\n' % formatdate(usegmt=True)
        header += 'Server: Lab-Webserver/1.0\r\n'
        header += 'Last-Modified: %s\r\n' % formatdate(os.path.getmtime(path), usegmt=True)
        if method == 'GET':
            with open(path, 'rb') as f:
                data = f.read()
            header += 'Content-Length: %d\r\n' % len(data)
            header += 'Connection: close\r\n\r\n'
            connectionSocket.sendall(header.encode() + data)
        else:
            header += 'Content-Length: %d\r\n' % os.path.getsize(path)
            header += 'Connection: close\r\n\r\n'
            connectionSocket.sendall(header.encode())
        connectionSocket.close()
        print('sent', path, len(data), 'bytes')
    except FileNotFoundError:
        status(connectionSocket, version, 404, 'Not Found', not message.startswith('HEAD'))
        connectionSocket.close()
