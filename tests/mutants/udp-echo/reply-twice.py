# mutant: sends every reply twice
# (the duplicate of a scenario's last reply can come after the scenario ends, so
#  the scenarios with several requests catch it; they do so every run)
# role: server
# variant: plain
# catches: udp-echo/many-datagrams: more than one datagram came back for one request
# catches: udp-echo/several-clients: more than one datagram came back for one request
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.upper(), clientAddress)
    serverSocket.sendto(message.upper(), clientAddress)
