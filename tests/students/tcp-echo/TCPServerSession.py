# The second course's TCP server, as a student fixed it for the session
# variant: it stops on 'quit' with or without a line end, treats b'' (the
# client left) like 'quit', survives a reset, and binds every address on
# port 12000. It still serves one client at a time.
from socket import *

SERV_PORT = 12000

s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', SERV_PORT))
s.listen(5)
print('TCP server started ...')

while True:
    sckt, addr = s.accept()
    print('New client connected ..')
    try:
        while True:
            txtin = sckt.recv(1024)
            if txtin == b'' or txtin.strip() == b'quit':
                print('Client disconnected ..')
                break
            sckt.sendall(txtin.upper())
    except ConnectionResetError:
        print('Client reset the connection ..')
    sckt.close()
