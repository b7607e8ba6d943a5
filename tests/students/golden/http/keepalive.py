# HTTP server with persistent connections (extra credit).
# Every client gets a thread; a connection stays open when the client asks
# for keep-alive, otherwise it is closed after the response.
import os
import threading
from socket import *
from email.utils import formatdate
from urllib.parse import unquote

PORT = 6789
ROOT = os.path.realpath(os.getcwd())
TYPES = {'html': 'text/html', 'htm': 'text/html', 'txt': 'text/plain', 'png': 'image/png',
         'jpg': 'image/jpeg', 'gif': 'image/gif', 'css': 'text/css', 'js': 'text/javascript'}


def response(status, headers, body):
    head = 'HTTP/1.1 %s\r\n' % status
    head += ''.join('%s: %s\r\n' % h for h in headers)
    return head.encode() + b'\r\n' + body


def error_response(status, keep):
    body = ('<html><body><h1>%s</h1></body></html>' % status).encode()
    return response(status, [('Date', formatdate()), ('Server', 'ka-server/1.0'),
                             ('Content-Type', 'text/html'), ('Content-Length', len(body)),
                             ('Connection', 'keep-alive' if keep else 'close')], body)


def answer(method, target, keep):
    path = os.path.realpath(os.path.join(ROOT, unquote(target.split('?')[0]).lstrip('/')))
    if not path.startswith(ROOT + os.sep) or not os.path.isfile(path):
        r = error_response('404 Not Found', keep)
        return r if method != 'HEAD' else r.split(b'\r\n\r\n')[0] + b'\r\n\r\n'
    with open(path, 'rb') as f:
        data = f.read()
    ext = path.rsplit('.', 1)[-1].lower()
    headers = [('Date', formatdate()),
               ('Server', 'ka-server/1.0'),
               ('Last-Modified', formatdate(os.path.getmtime(path))),
               ('Content-Type', TYPES.get(ext, 'application/octet-stream')),
               ('Content-Length', len(data)),
               ('Connection', 'keep-alive' if keep else 'close')]
    return response('200 OK', headers, b'' if method == 'HEAD' else data)


def client_thread(conn, addr):
    buf = b''
    try:
        while True:
            while b'\r\n\r\n' not in buf:
                data = conn.recv(4096)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b'\r\n\r\n', 1)
            lines = head.decode('latin-1').split('\r\n')
            parts = lines[0].split()
            headers = {}
            bad = len(parts) != 3
            for line in lines[1:]:
                if ':' not in line:
                    bad = True
                    break
                k, v = line.split(':', 1)
                headers[k.strip().lower()] = v.strip()
            if bad:
                conn.sendall(error_response('400 Bad Request', False))
                return
            keep = headers.get('connection', '').lower() == 'keep-alive'
            conn.sendall(answer(parts[0], parts[1], keep))
            if not keep:
                return
    finally:
        conn.close()


server = socket(AF_INET, SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
server.bind(('', PORT))
server.listen(20)
print('listening on', PORT)
while True:
    c, a = server.accept()
    threading.Thread(target=client_thread, args=(c, a), daemon=True).start()
