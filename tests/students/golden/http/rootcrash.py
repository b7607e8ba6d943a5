# import socket module
from socket import *
import os
from email.utils import formatdate

serverSocket = socket(AF_INET, SOCK_STREAM)
# Prepare a sever socket
serverPort = 6789
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)

types = {'html': 'text/html', 'htm': 'text/html', 'txt': 'text/plain', 'png': 'image/png',
         'jpg': 'image/jpeg', 'jpeg': 'image/jpeg', 'gif': 'image/gif'}


def error_page(connectionSocket, status, method):
    body = '<html><head></head><body><h1>' + status + '</h1></body></html>\r\n'
    header = 'HTTP/1.1 ' + status + '\r\n'
    header += 'Date: ' + formatdate(usegmt=True) + '\r\n'
    header += 'Server: Lab1-Server\r\n'
    header += 'Content-Type: text/html\r\n'
    header += 'Content-Length: ' + str(len(body)) + '\r\n'
    header += 'Connection: close\r\n\r\n'
    connectionSocket.send(header.encode())
    if method != 'HEAD':
        connectionSocket.send(body.encode())


while True:
    # Establish the connection
    print('Ready to serve...')
    connectionSocket, addr = serverSocket.accept()
    method = 'GET'
    try:
        message = connectionSocket.recv(1024).decode()
        lines = message.split('\r\n')
        words = lines[0].split()
        if len(words) != 3:
            error_page(connectionSocket, '400 Bad Request', method)
            connectionSocket.close()
            continue
        if any(l and ':' not in l for l in lines[1:]):
            error_page(connectionSocket, '400 Bad Request', method)
            connectionSocket.close()
            continue
        method = words[0]
        filename = words[1]
        if method not in ('GET', 'HEAD'):
            error_page(connectionSocket, '501 Not Implemented', method)
            connectionSocket.close()
            continue
        if '..' in filename:
            error_page(connectionSocket, '403 Forbidden', method)
            connectionSocket.close()
            continue
        name = filename[1:]
        if os.path.isdir(name):
            error_page(connectionSocket, '403 Forbidden', method)
            connectionSocket.close()
            continue
        extension = name.split('.')[1]
        f = open(name, 'rb')
        outputdata = f.read()
        f.close()
        # Send one HTTP header line into socket
        header = 'HTTP/1.1 200 OK\r\n'
        header += 'Date: ' + formatdate(usegmt=True) + '\r\n'
        header += 'Server: Lab1-Server\r\n'
        header += 'Last-Modified: ' + formatdate(os.path.getmtime(name), usegmt=True) + '\r\n'
        header += 'Content-Type: ' + types.get(extension, 'application/octet-stream') + '\r\n'
        header += 'Content-Length: ' + str(len(outputdata)) + '\r\n'
        header += 'Connection: close\r\n\r\n'
        connectionSocket.send(header.encode())
        if method == 'HEAD':
            connectionSocket.close()
            continue
        # Send the content of the requested file to the client
        connectionSocket.send(outputdata)
        connectionSocket.send("\r\n".encode())
        connectionSocket.close()
    except IOError:
        # Send response message for file not found
        error_page(connectionSocket, '404 Not Found', method)
        # Close client socket
        connectionSocket.close()

serverSocket.close()
