# mutant: prints message.decode(), which raises on bytes that are not UTF-8
# role: server
# variant: plain
# catches: udp-echo/binary: the server ended before answering
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print('From', clientAddress, ':', message.decode())
    serverSocket.sendto(message.upper(), clientAddress)
