# mutant: one recv(1024) per connection, replies to whatever piece it got
# role: server
# variant: oneshot
# catches: tcp-echo/segmented: before it had all 24 bytes of the message
# catches: tcp-echo/bytewise: before it had all 13 bytes of the message
# catches: tcp-echo/long-1500: A: 1024 of the 1501 bytes came back
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', serverPort))
serverSocket.listen(5)
print('The server is ready to receive')
while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        sentence = connectionSocket.recv(1024)
        connectionSocket.sendall(sentence.upper())
    except OSError as e:
        print('client error:', e)
    connectionSocket.close()
