# A second-course client as many students hand it in: the name question of the
# slides dropped, straight to its '> ' prompt, then a loop until 'quit'.
from socket import *

serverAddress = ('127.0.0.1', 50000)
clientSocket = socket(AF_INET, SOCK_DGRAM)
while True:
    message = input('> ')
    clientSocket.sendto(message.encode(), serverAddress)
    if message == 'quit':
        break
    modified, server = clientSocket.recvfrom(2048)
    print(modified.decode())
clientSocket.close()
