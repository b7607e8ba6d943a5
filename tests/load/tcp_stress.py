#!/usr/bin/env python3
"""Stress a reference TCP server: many sequential connections, many at once,
peers that vanish at every moment; then check it still answers.
usage: tcp_stress.py PORT echo|name [SEQUENTIAL] [AT_ONCE]
Prints one 'ok - ...' or 'not ok - ...' line per check; exits 1 on a failure.
Waits on events only: connect() retries until the server listens, bounded."""
import socket, struct, sys, time

port = int(sys.argv[1])
kind = sys.argv[2]
sequential = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
at_once = int(sys.argv[4]) if len(sys.argv) > 4 else 300
failed = 0


def report(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    failed += 0 if ok else 1


def reply_for(line):
    return line.upper() if kind == "echo" else line.rstrip(b"\n") + b" Ali\n"


def connect(deadline=5.0):
    end = time.monotonic() + deadline
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=5)
        except ConnectionRefusedError:  # not listening yet: try again, within the deadline
            if time.monotonic() > end:
                raise


def read_exact(s, n):
    got = b""
    while len(got) < n:
        chunk = s.recv(n - len(got))
        if not chunk:
            break
        got += chunk
    return got


def exchange(s, line):
    s.sendall(line)
    want = reply_for(line)
    return read_exact(s, len(want)) == want


# the server is up
s = connect()
report(exchange(s, b"first\n"), "first exchange")
s.close()

ok = True
for i in range(sequential):
    s = connect()
    ok = exchange(s, b"conn %d\n" % i) and ok
    s.close()
report(ok, "%d sequential connections each answered" % sequential)

socks = [connect() for _ in range(at_once)]
for i, s in enumerate(socks):
    s.sendall(b"client %d\n" % i)
ok = all(read_exact(s, len(reply_for(b"client %d\n" % i))) == reply_for(b"client %d\n" % i)
         for i, s in enumerate(socks))
for s in socks:
    s.close()
report(ok, "%d connections at once each answered" % at_once)

# peers that vanish: silent close, RST before and in the middle of a line, half-close
for i in range(200):
    s = connect()
    if i % 4 == 1:
        s.sendall(b"half a li")
    if i % 4 == 2:
        s.sendall(b"x" * 100000)
    if i % 4 == 3:
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
    if i % 2:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
s = connect()
report(exchange(s, b"still there?\n"), "answers after 200 peers that vanished")
s.close()
sys.exit(1 if failed else 0)
