# mutant: swapcase() instead of upper()
# role: server
# variant: plain
# catches: udp-echo/mixed-case: reply differs at byte 0
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.swapcase(), clientAddress)
