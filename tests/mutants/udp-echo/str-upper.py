# mutant: str.upper() on the decoded text (turns é into É); undecodable bytes kept
# role: server
# variant: plain
# catches: udp-echo/utf8: reply differs at byte 4
from socket import *
serverPort = 12000
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print("The server is ready to receive")
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    text = message.decode(errors='surrogateescape')
    serverSocket.sendto(text.upper().encode(errors='surrogateescape'), clientAddress)
