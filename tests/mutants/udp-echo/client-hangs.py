# mutant: client waits for a second reply after printing the first, so it never ends
# role: client
# variant: plain
# catches: udp-echo/client-exits: did not end by itself
from socket import *
serverName = '127.0.0.1'
serverPort = 12000
clientSocket = socket(AF_INET, SOCK_DGRAM)
message = input('Input lowercase sentence:')
clientSocket.sendto(message.encode(), (serverName, serverPort))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
print(modifiedMessage.decode())
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
clientSocket.close()
