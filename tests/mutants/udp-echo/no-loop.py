# mutant: no loop: answers the first datagram and ends
# role: server
# variant: plain
# catches: udp-echo/many-datagrams: the server ended before answering
# catches: udp-echo/several-clients: the server ended before answering
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
message, clientAddress = serverSocket.recvfrom(2048)
serverSocket.sendto(message.upper(), clientAddress)
