# mutant: crashes when a client leaves without a word (decodes b'' and indexes it)
# (in leaves-mid-session B opens right after A closed: "B: cannot connect" when the
# crash has ended the server by then, "B: no reply" when not; the crash is named
# either way, and that is what is checked)
# role: server
# variant: session
# catches: tcp-echo/leaves-without-word: B: no reply: the server crashed: IndexError: string index out of range (exit status 1)
# catches: tcp-echo/leaves-mid-session: the server crashed: IndexError: string index out of range (exit status 1)
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
