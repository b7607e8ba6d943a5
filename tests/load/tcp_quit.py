#!/usr/bin/env python3
"""tcp_quit.py PORT: "quit" as the tcp-echo server's session variants read it,
against a server on 127.0.0.1:PORT. Prints one TAP line per check.

"quit" ends the connection, unechoed, as a line at a line start ("quit\\n",
"quit\\r\\n") or a read of exactly "quit", even when it comes in pieces; bytes
that may still become "quit" wait up to 200 ms, then are echoed (or, when they
are "quit", end the connection); lines that only start like it are echoed.
"""
import socket
import sys
import time

PORT = int(sys.argv[1])


def connect():
    for _ in range(100):
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except OSError:
            time.sleep(0.05)
    raise SystemExit("not ok - the server listens on %d" % PORT)


def until_closed(s):
    out = b""
    while True:
        d = s.recv(65536)
        if not d:
            return out
        out += d


def exchange(parts, pause=0.05, shut=False):
    """Sends parts with a pause between them; returns all echoed until the server closes."""
    s = connect()
    for i, p in enumerate(parts):
        if i:
            time.sleep(pause)
        s.sendall(p)
    if shut:
        s.shutdown(socket.SHUT_WR)
    out = until_closed(s)
    s.close()
    return out


def check(name, got, want):
    if got == want:
        print("ok - %s" % name)
    else:
        print("not ok - %s: got %r, wanted %r" % (name, got, want))


check("'qu' + 'it\\n' in two reads is quit", exchange([b"ab\nqu", b"it\n"]), b"AB\n")
check("'quit\\r\\n' is quit", exchange([b"x\n", b"quit\r\n"]), b"X\n")
check("'qu' waits 200 ms, then is echoed; 'it\\n' after it is no quit",
      exchange([b"hello\nqu", b"it\nquit\n"], pause=0.5), b"HELLO\nQUIT\n")
check("lines that only start like quit are echoed",
      exchange([b"quip\nquitx\nquit\rx\nquit"], shut=True), b"QUIP\nQUITX\nQUIT\rX\n")
check("a held 'quit' is quit once its wait is over", exchange([b"ab\nquit"], pause=0.5), b"AB\n")
check("a held 'qu' is echoed when the client ends", exchange([b"x\nqu"], shut=True), b"X\nQU")
