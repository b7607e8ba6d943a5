# mutant: client receives the reply but never prints it
# role: client
# variant: plain
# catches: udp-echo/client-prints-reply: standard output lacks
# catches: udp-echo/client-exits: standard output lacks
from socket import *
serverName = '127.0.0.1'
serverPort = 12000
clientSocket = socket(AF_INET, SOCK_DGRAM)
message = input('Input lowercase sentence:')
clientSocket.sendto(message.encode(), (serverName, serverPort))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
clientSocket.close()
