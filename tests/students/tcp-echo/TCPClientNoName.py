# A session client without the name question: one connection, a 'Message: '
# prompt for each line, the reply printed, 'quit' sent and the client leaves.
from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.connect(('127.0.0.1', 50000))
while True:
    msg = input('Message: ')
    s.send(msg.encode())
    if msg == 'quit':
        break
    print('From Server:', s.recv(1024).decode())
s.close()
