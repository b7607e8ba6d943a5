# mutant: mixes up the labs: uppercases the line before appending the name
# role: server
# variant: plain
# catches: name-echo/basic: A: the reply line differs
# catches: name-echo/crlf: A: the reply line differs
import socket, threading
def serve(c):
    buf = b""
    while True:
        d = c.recv(1024)
        if not d:
            break
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            c.sendall(line.rstrip(b"\r").upper() + b" Ali\n")
    c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 12000))
s.listen(5)
while True:
    c, a = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
