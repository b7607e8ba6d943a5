# mutant: client sends the line with its newline (sys.stdin.readline() without strip)
# role: client
# variant: plain
# catches: udp-echo/client-no-newline: newline
import sys
from socket import *
serverName = '127.0.0.1'
serverPort = 12000
clientSocket = socket(AF_INET, SOCK_DGRAM)
print('Input lowercase sentence:', end='', flush=True)
message = sys.stdin.readline()
clientSocket.sendto(message.encode(), (serverName, serverPort))
modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
print(modifiedMessage.decode())
clientSocket.close()
