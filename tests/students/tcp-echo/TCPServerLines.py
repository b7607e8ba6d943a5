# A session server written the way a Java course writes it, in Python: it
# reads the client's messages as lines (readLine() / makefile().readline()),
# answers each line upper-cased with its line end, and ends the session on
# the line 'quit'. Threads, one per client, on port 12000. It never answers a
# message that has no line end: it is still waiting for the rest of the line.
import threading
from socket import *

SERV_PORT = 12000


def serve(conn):
    with conn, conn.makefile('rb') as lines:
        for line in lines:
            if line.strip() == b'quit':
                break
            conn.sendall(line.upper())


s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', SERV_PORT))
s.listen(5)
print('TCP server started ...')
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
