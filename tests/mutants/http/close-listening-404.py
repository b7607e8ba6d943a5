# mutant: closes serverSocket, not connectionSocket, after a 404; accept() then fails, is retried each second
# role: server
# variant: plain
# catches: http/listening-after-404: B: the server no longer listens on port 6789 (its listening socket is closed), though it is still running
import os
import time
from email.utils import formatdate
from socket import *

serverPort = 6789
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)

TYPES = {'html': 'text/html', 'txt': 'text/plain', 'png': 'image/png'}


def read_head(sock):
    data = b''
    while b'\r\n\r\n' not in data:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.decode('latin-1')


while True:
    try:
        connectionSocket, addr = serverSocket.accept()
    except OSError as e:
        print('accept failed:', e)
        time.sleep(1)
        continue
    try:
        message = read_head(connectionSocket)
        filename = message.split()[1]
        f = open(filename[1:], 'rb')
        outputdata = f.read()
        f.close()
        header = 'HTTP/1.1 200 OK\r\nConnection: close\r\n'
        header += 'Date: ' + formatdate(usegmt=True) + '\r\n'
        header += 'Server: Python webserver\r\n'
        header += 'Last-Modified: ' + formatdate(os.path.getmtime(filename[1:]), usegmt=True) + '\r\n'
        header += 'Content-Length: %d\r\n' % len(outputdata)
        header += 'Content-Type: ' + TYPES.get(filename.rsplit('.', 1)[-1], 'application/octet-stream')
        header += '\r\n\r\n'
        connectionSocket.sendall(header.encode() + outputdata)
        connectionSocket.close()
    except IOError:
        body = b'<html><body><h1>404 Not Found</h1></body></html>'
        header = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nDate: ' + formatdate(usegmt=True)
        header += '\r\nServer: Python webserver\r\nContent-Type: text/html\r\n'
        header += 'Content-Length: %d\r\n\r\n' % len(body)
        connectionSocket.sendall(header.encode() + body)
        serverSocket.close()
