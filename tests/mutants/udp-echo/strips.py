# mutant: strips the message (whitespace and line ends lost) before uppercasing
# role: server
# variant: plain
# catches: udp-echo/binary: A: reply of 11 bytes, expected 14
from socket import *
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', 12000))
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.strip().upper(), clientAddress)
