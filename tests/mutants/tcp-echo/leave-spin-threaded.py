# mutant: threaded session server whose threads never check for b'': each
# client that leaves leaves a thread spinning on recv(), while new clients are
# still served by threads of their own (the busy loop issue 16 saw go unnamed)
# role: server
# variant: concurrent
# catches: tcp-echo/leaves-without-word: the server keeps a CPU busy with nothing sent to it (a busy loop)
# catches: tcp-echo/leaves-mid-session: the server keeps a CPU busy with nothing sent to it (a busy loop)
from socket import *
from threading import Thread

def handle_client(conn):
    while True:
        data = conn.recv(1024)
        if data.strip() == b'quit':
            break
        conn.send(data.upper())
    conn.close()

s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', 12000))
s.listen(5)
while True:
    c, a = s.accept()
    Thread(target=handle_client, args=(c,)).start()
