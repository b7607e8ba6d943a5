# mutant: an empty datagram is taken as the end (break on b'')
# role: server
# variant: plain
# catches: udp-echo/empty-datagram: the server ended before answering
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    if not message:
        break
    serverSocket.sendto(message.upper(), clientAddress)
