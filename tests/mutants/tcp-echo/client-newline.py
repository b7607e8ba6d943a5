# mutant: session client that sends the line with its newline (readline() without strip)
# role: client
# variant: session
# catches: tcp-echo/client-session: the client's bytes differ from the line typed
import sys
from socket import *
s = socket(AF_INET, SOCK_STREAM)
s.connect(('127.0.0.1', 50000))
username = input('Enter your name: ')
while True:
    print('%s> ' % (username), end='')
    sys.stdout.flush()
    txtout = sys.stdin.readline()
    s.send(txtout.encode('utf-8'))
    if txtout.strip() == 'quit':
        break
    modifiedMsg = s.recv(2048)
    print(modifiedMsg.decode('utf-8'))
s.close()
