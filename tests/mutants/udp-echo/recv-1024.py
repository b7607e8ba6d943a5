# mutant: recvfrom(1024): a buffer smaller than the lab's 2048 bytes
# role: server
# variant: plain
# catches: udp-echo/size-2048: reply of 1024 bytes, expected 2048
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(1024)
    serverSocket.sendto(message.upper(), clientAddress)
