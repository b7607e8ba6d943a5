# mutant: quit variant client: the loop ends after the first line
# role: client
# variant: quit
# catches: udp-echo/client-loop-quit: the client sent no datagram
import sys
from socket import *
addr = ('127.0.0.1', 50000)
s = socket(AF_INET, SOCK_DGRAM)
username = input('Enter your name: ')
while True:
    print('%s> ' % (username), end='')
    sys.stdout.flush()
    txtout = sys.stdin.readline().strip()
    s.sendto(txtout.encode('utf-8'), addr)
    if txtout == 'quit':
        break
    modifiedMsg, srvAddr = s.recvfrom(2048)
    print(modifiedMsg.decode('utf-8'))
    break
s.close()
