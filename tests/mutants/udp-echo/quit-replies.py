# mutant: quit variant: replies 'QUIT' before it ends
# role: server
# variant: quit
# catches: udp-echo/quit: no datagram was to come back, but 4 bytes did
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.upper(), clientAddress)
    if message == b'quit':
        break
