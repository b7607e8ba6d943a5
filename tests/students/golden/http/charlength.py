# Web server lab
# GET and HEAD for the files in this folder, port 6789
import os
import datetime
from socket import *
from urllib.parse import unquote

serverPort = 6789

mime = {
    'html': 'text/html',
    'txt': 'text/plain',
    'css': 'text/css',
    'js': 'application/javascript',
    'png': 'image/png',
    'jpg': 'image/jpeg',
    'gif': 'image/gif',
}
binary = ('png', 'jpg', 'gif')


def now():
    return datetime.datetime.utcnow().strftime('%a, %d %b %Y %H:%M:%S GMT')


def receive(connectionSocket):
    message = ''
    while '\r\n\r\n' not in message:
        data = connectionSocket.recv(1024)
        if not data:
            break
        message += data.decode()
    return message


def send_page(connectionSocket, code, text, head_only=False):
    page = '<html><body><h1>' + code + '</h1><p>' + text + '</p></body></html>'
    header = 'HTTP/1.1 ' + code + '\r\n'
    header += 'Date: ' + now() + '\r\n'
    header += 'Server: lab-webserver\r\n'
    header += 'Content-Type: text/html\r\n'
    header += 'Content-Length: ' + str(len(page)) + '\r\n'
    header += 'Connection: close\r\n\r\n'
    if head_only:
        connectionSocket.send(header.encode())
    else:
        connectionSocket.send((header + page).encode())


def handle(connectionSocket):
    message = receive(connectionSocket)
    if not message:
        return
    lines = message.split('\r\n')
    request = lines[0].split()
    if len(request) != 3:
        send_page(connectionSocket, '400 Bad Request', 'bad request line')
        return
    for line in lines[1:]:
        if line != '' and ':' not in line:
            send_page(connectionSocket, '400 Bad Request', 'bad header line')
            return
    method = request[0]
    filename = unquote(request[1])
    if method not in ['GET', 'HEAD']:
        send_page(connectionSocket, '501 Not Implemented', method + ' is not supported')
        return
    head_only = method == 'HEAD'
    if '..' in filename:
        send_page(connectionSocket, '403 Forbidden', 'no', head_only)
        return
    filename = filename[1:]
    if not os.path.isfile(filename):
        send_page(connectionSocket, '404 Not Found', filename + ' was not found', head_only)
        return

    ext = filename.split('.')[-1].lower()
    if ext in binary:
        f = open(filename, 'rb')
    else:
        f = open(filename, 'r', encoding='utf-8')
    outputdata = f.read()
    f.close()

    header = 'HTTP/1.1 200 OK\r\n'
    header += 'Date: ' + now() + '\r\n'
    header += 'Server: lab-webserver\r\n'
    header += 'Last-Modified: ' + now() + '\r\n'
    header += 'Content-Type: ' + mime.get(ext, 'application/octet-stream') + '\r\n'
    header += 'Content-Length: ' + str(len(outputdata)) + '\r\n'
    header += 'Connection: close\r\n\r\n'
    connectionSocket.send(header.encode())
    if not head_only:
        if ext in binary:
            connectionSocket.sendall(outputdata)
        else:
            connectionSocket.sendall(outputdata.encode())


serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(1)
while True:
    print('Ready to serve...')
    connectionSocket, addr = serverSocket.accept()
    try:
        handle(connectionSocket)
    except Exception as e:
        print('error:', e)
    connectionSocket.close()
