# mutant: answers only every second datagram
# role: server
# variant: plain
# catches: udp-echo/several-clients: no reply: the server is blocked, nothing will wake it
# catches: udp-echo/many-datagrams: A: no reply: the server is blocked, nothing will wake it
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
count = 0
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    count = count + 1
    if count % 2 == 0:
        continue
    serverSocket.sendto(message.upper(), clientAddress)
