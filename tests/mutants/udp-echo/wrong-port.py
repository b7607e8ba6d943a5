# mutant: replies to the client's port + 1
# role: server
# variant: plain
# catches: udp-echo/basic: went to
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.upper(), (clientAddress[0], clientAddress[1] + 1))
