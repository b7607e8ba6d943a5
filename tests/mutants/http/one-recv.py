# mutant: one recv(1024) per connection, parsed as the whole request
# role: server
# variant: plain
# catches: http/split-request: the server reset the connection before it had all 69 bytes of the message
# catches: http/bytewise-request: the server reset the connection before it had all 50 bytes of the message
import os
import mimetypes
from email.utils import formatdate
from urllib.parse import unquote
from socket import *

serverPort = 6789
ROOT = os.path.realpath(os.getcwd())

REASONS = {200: 'OK', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found',
           501: 'Not Implemented', 505: 'HTTP Version Not Supported'}


def read_request(sock):
    # read until the empty line that ends the head, however it is cut
    return sock.recv(1024)


def send_response(sock, status, body=b'', headers=None, head_only=False):
    lines = ['HTTP/1.1 %d %s' % (status, REASONS[status])]
    lines.append('Date: ' + formatdate(usegmt=True))
    lines.append('Server: webserver.py (Python)')
    if headers:
        for name, value in headers:
            lines.append(name + ': ' + value)
    else:
        lines.append('Content-Type: text/html; charset=utf-8')
    lines.append('Content-Length: %d' % len(body))
    lines.append('Connection: close')
    head = '\r\n'.join(lines) + '\r\n\r\n'
    sock.sendall(head.encode())
    if not head_only:
        sock.sendall(body)


def error_page(status):
    text = '<html><body><h1>%d %s</h1></body></html>\n' % (status, REASONS[status])
    return text.encode()


def handle(sock):
    request = read_request(sock)
    if not request:
        return
    requestLine = request.split(b'\r\n')[0].decode('latin-1')
    parts = requestLine.split()
    if len(parts) != 3 or not parts[2].startswith('HTTP/'):
        send_response(sock, 400, error_page(400))
        return
    method, target, version = parts
    if version not in ('HTTP/1.0', 'HTTP/1.1'):
        send_response(sock, 505, error_page(505))
        return
    if method not in ('GET', 'HEAD'):
        send_response(sock, 501, error_page(501))
        return
    headOnly = method == 'HEAD'
    path = unquote(target.split('?')[0])
    filePath = os.path.realpath(os.path.join(ROOT, path.lstrip('/')))
    if filePath != ROOT and not filePath.startswith(ROOT + os.sep):
        send_response(sock, 403, error_page(403), head_only=headOnly)
        return
    if not os.path.isfile(filePath):
        send_response(sock, 404, error_page(404), head_only=headOnly)
        return
    try:
        with open(filePath, 'rb') as f:
            body = f.read()
    except OSError:
        send_response(sock, 404, error_page(404), head_only=headOnly)
        return
    ctype = mimetypes.guess_type(filePath)[0] or 'application/octet-stream'
    headers = [('Last-Modified', formatdate(os.path.getmtime(filePath), usegmt=True)),
               ('Content-Type', ctype)]
    send_response(sock, 200, body, headers, head_only=headOnly)


serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)
print('Ready to serve on port', serverPort)
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        handle(connectionSocket)
    except OSError as e:
        print('client error:', e)
    connectionSocket.close()
