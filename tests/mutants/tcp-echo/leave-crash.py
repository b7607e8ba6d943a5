# mutant: crashes when a client leaves without a word (decodes b'' and indexes it)
# role: server
# variant: session
# catches: tcp-echo/leaves-without-word: B: no reply: the server crashed: IndexError: string index out of range (exit status 1)
# catches: tcp-echo/leaves-mid-session: B: no reply: the server crashed: IndexError: string index out of range (exit status 1)
from socket import *
serverSocket = socket(AF_INET, SOCK_STREAM)
serverSocket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
serverSocket.bind(('', 12000))
serverSocket.listen(5)
while True:
    connectionSocket, addr = serverSocket.accept()
    while True:
        sentence = connectionSocket.recv(1024).decode()
        if sentence[0:4] == 'quit':
            break
        if sentence[-1] == '\n':          # IndexError on '' when the client left
            pass
        connectionSocket.send(sentence.upper().encode())
    connectionSocket.close()
