# mutant: maps the letters by hand and stops one short ('a' <= c < 'z': z stays)
# role: server
# variant: plain
# catches: udp-echo/mixed-case: A: reply differs at byte 37
from socket import *
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', 12000))
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    out = bytes(c - 32 if ord('a') <= c < ord('z') else c for c in message)
    serverSocket.sendto(out, clientAddress)
