# Name echo server: the reply goes out as the line with my name, then its line
# end, in two sends (a student's way of "adding the newline"). With Nagle's
# algorithm on (the default) the second, small send waits in the socket until
# the first is acknowledged.
import socket

NAME = 'Ali'

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('', 12000))
s.listen(5)
while True:
    conn, addr = s.accept()
    f = conn.makefile('rb')
    for line in f:
        text = line.rstrip(b'\r\n')
        conn.send(text + b' ' + NAME.encode())
        conn.send(line[len(text):])
    f.close()
    conn.close()
