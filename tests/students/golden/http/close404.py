# Programming assignment 1: web server
# Serves GET and HEAD requests for files in the current directory.
import os
import sys
import time
from socket import *
from email.utils import formatdate

serverPort = 6789
ROOT = os.path.realpath(os.getcwd())
MIME = {'.html': 'text/html', '.txt': 'text/plain', '.png': 'image/png', '.jpg': 'image/jpeg', '.css': 'text/css'}

serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)


def read_message(sock):
    msg = b''
    while b'\r\n\r\n' not in msg:
        chunk = sock.recv(1024)
        if not chunk:
            break
        msg += chunk
    return msg.decode('latin-1')


def short_reply(sock, status, method='GET'):
    body = '<html><body>' + status + '</body></html>'
    head = 'HTTP/1.1 ' + status + '\r\nDate: ' + formatdate(usegmt=True) + '\r\nServer: pa1-server\r\n'
    head += 'Content-Type: text/html\r\nContent-Length: ' + str(len(body)) + '\r\n\r\n'
    sock.sendall((head + (body if method == 'GET' else '')).encode())


while True:
    try:
        connectionSocket, addr = serverSocket.accept()
    except OSError as e:
        print('accept failed:', e)
        time.sleep(1)
        continue
    method = 'GET'
    try:
        message = read_message(connectionSocket)
        lines = message.split('\r\n')
        requestLine = lines[0].split()
        if len(requestLine) != 3:
            short_reply(connectionSocket, '400 Bad Request')
            connectionSocket.close()
            continue
        if [l for l in lines[1:] if l and ':' not in l]:
            short_reply(connectionSocket, '400 Bad Request')
            connectionSocket.close()
            continue
        method, filename = requestLine[0], requestLine[1]
        if method not in ('GET', 'HEAD'):
            short_reply(connectionSocket, '501 Not Implemented')
            connectionSocket.close()
            continue
        if filename == '/':
            filename = '/HelloWorld.html'
        path = os.path.realpath(ROOT + filename)
        if not path.startswith(ROOT + os.sep):
            short_reply(connectionSocket, '403 Forbidden', method)
            connectionSocket.close()
            continue
        if os.path.isdir(path):
            short_reply(connectionSocket, '403 Forbidden', method)
            connectionSocket.close()
            continue
        f = open(path, 'rb')
        outputdata = f.read()
        f.close()
        header = 'HTTP/1.1 200 OK\r\n'
        header += 'Date: ' + formatdate(usegmt=True) + '\r\n'
        header += 'Server: pa1-server\r\n'
        header += 'Last-Modified: ' + formatdate(os.path.getmtime(path), usegmt=True) + '\r\n'
        header += 'Content-Length: ' + str(len(outputdata)) + '\r\n'
        header += 'Content-Type: ' + MIME.get(os.path.splitext(path)[1], 'application/octet-stream') + '\r\n'
        header += '\r\n'
        connectionSocket.sendall(header.encode())
        if method == 'GET':
            connectionSocket.sendall(outputdata)
        connectionSocket.close()
    except IOError:
        # Send response message for file not found
        short_reply(connectionSocket, '404 Not Found', method)
        # Close client socket
        serverSocket.close()
