# IndexServer.py - a web server in the style of the lab's skeleton: one recv(),
# the request line split into words. A request line with fewer than three words
# ("HELLO THERE", or the first byte of a request cut into pieces) raises
# IndexError, which nothing catches: the server ends.
import os
from email.utils import formatdate
from socket import *

serverPort = 6789
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)

TYPES = {'html': 'text/html', 'txt': 'text/plain', 'png': 'image/png'}

while True:
    print('Ready to serve...')
    connectionSocket, addr = serverSocket.accept()
    try:
        message = connectionSocket.recv(1024).decode()
        words = message.split()
        method, filename, version = words[0], words[1], words[2]
        f = open(filename[1:], 'rb')
        outputdata = f.read()
        f.close()
        ext = filename.rsplit('.', 1)[-1]
        stamp = formatdate(os.path.getmtime(filename[1:]), usegmt=True)
        header = 'HTTP/1.1 200 OK\r\n'
        header += 'Connection: close\r\n'
        header += 'Date: ' + formatdate(usegmt=True) + '\r\n'
        header += 'Server: IndexServer\r\n'
        header += 'Last-Modified: ' + stamp + '\r\n'
        header += 'Content-Length: ' + str(len(outputdata)) + '\r\n'
        header += 'Content-Type: ' + TYPES.get(ext, 'application/octet-stream') + '\r\n\r\n'
        connectionSocket.send(header.encode())
        if method != 'HEAD':
            connectionSocket.sendall(outputdata)
        connectionSocket.close()
    except IOError:
        body = b'<html><body><h1>404 Not Found</h1></body></html>'
        header = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nDate: ' + formatdate(usegmt=True)
        header += '\r\nServer: IndexServer\r\nContent-Type: text/html\r\n'
        header += 'Content-Length: ' + str(len(body)) + '\r\n\r\n'
        connectionSocket.send(header.encode() + body)
        connectionSocket.close()
