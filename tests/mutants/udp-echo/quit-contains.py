# mutant: quit variant: ends on any datagram that contains 'quit'
# role: server
# variant: quit
# catches: udp-echo/quit-only-exact: the server ended before answering
# catches: udp-echo/quit: the server ended before answering
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    if b'quit' in message:
        break
    serverSocket.sendto(message.upper(), clientAddress)
