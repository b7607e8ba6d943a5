from socket import *
from threading import Thread

SERV_PORT = 12000

def handle_client(s):
    while True:
        txtin = s.recv(1024)
        print('Client> %s' % (txtin).decode('utf-8'))
        if txtin == b'' or txtin.strip() == b'quit':
            print('Client disconnected ...')
            break
        else:
            txtout = txtin.upper()
            s.send(txtout)
    s.close()
    return

s = socket(AF_INET, SOCK_STREAM)
s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
s.bind(('', SERV_PORT))
s.listen(5)
print('TCP server started ...')

while True:
    sckt, addr = s.accept()
    ip, port = str(addr[0]), str(addr[1])
    print('New client connected from ..' + ip + ':' + port)
    try:
        Thread(target=handle_client, args=(sckt,)).start()
    except:
        print("Cannot start thread..")
        import traceback
        traceback.print_exc()
