# mutant: quit variant: 'quit' is not looked at; the server echoes QUIT and goes on
# role: server
# variant: quit
# catches: udp-echo/quit: did not end by itself
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.upper(), clientAddress)
