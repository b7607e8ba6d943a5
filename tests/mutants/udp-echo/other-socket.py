# mutant: replies from a second socket, so the reply comes from another port
# role: server
# variant: plain
# catches: udp-echo/basic: came from port
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
replySocket = socket(AF_INET, SOCK_DGRAM)
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    replySocket.sendto(message.upper(), clientAddress)
