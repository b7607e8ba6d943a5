# webserver.py  --  lab: a small web server (GET, HEAD)
import os
from socket import *
from email.utils import formatdate
from urllib.parse import unquote

serverPort = 6789
STATUS = {200: 'OK', 404: 'Not Found'}
CTYPE = {'html': 'text/html', 'txt': 'text/plain', 'png': 'image/png', 'jpg': 'image/jpeg'}

serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)


def status_line(code):
    return 'HTTP/1.1 %d %s\r\n' % (code, STATUS.get(code, ''))


def send_error(sock, code, body=True):
    page = '<html><body><h1>Error %d</h1></body></html>' % code
    msg = status_line(code)
    msg += 'Date: %s\r\nServer: webserver.py\r\n' % formatdate(usegmt=True)
    msg += 'Content-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n' % len(page)
    if body:
        msg += page
    sock.sendall(msg.encode())


def get_message(sock):
    message = b''
    while b'\r\n\r\n' not in message:
        part = sock.recv(1024)
        if not part:
            break
        message += part
    return message.decode()


while True:
    print('Ready to serve...')
    connectionSocket, addr = serverSocket.accept()
    try:
        message = get_message(connectionSocket)
        words = message.split('\r\n')[0].split()
        if len(words) != 3:
            send_error(connectionSocket, 400)
        elif words[0] not in ('GET', 'HEAD'):
            send_error(connectionSocket, 501)
        elif not words[2].startswith('HTTP/1.'):
            send_error(connectionSocket, 505)
        elif '..' in words[1]:
            # do not let anyone out of the folder
            send_error(connectionSocket, 403, words[0] == 'GET')
        else:
            method = words[0]
            filename = unquote(words[1])[1:]
            f = open(filename, 'rb')
            outputdata = f.read()
            f.close()
            header = status_line(200)
            header += 'Date: %s\r\n' % formatdate(usegmt=True)
            header += 'Server: webserver.py\r\n'
            header += 'Last-Modified: %s\r\n' % formatdate(os.path.getmtime(filename), usegmt=True)
            header += 'Content-Type: %s\r\n' % CTYPE.get(filename.split('.')[-1], 'application/octet-stream')
            header += 'Content-Length: %d\r\n' % len(outputdata)
            header += 'Connection: close\r\n\r\n'
            connectionSocket.sendall(header.encode())
            if method == 'GET':
                connectionSocket.sendall(outputdata)
    except IOError:
        send_error(connectionSocket, 404, not message.startswith('HEAD'))
    connectionSocket.close()
