# mutant: prints message.decode(), which raises on bytes that are not UTF-8
# role: server
# variant: plain
# catches: udp-echo/binary: A: no reply: the server crashed: UnicodeDecodeError: 'utf-8' codec can't decode byte 0x80
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print('From', clientAddress, ':', message.decode())
    serverSocket.sendto(message.upper(), clientAddress)
