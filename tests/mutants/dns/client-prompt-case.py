# mutant: prompts 'Enter domain name:' (its own case), not the lab's exact text
# (a name printed lower-cased is no fault any more: LABS.md 5 allows it, and the
# prompts are matched without regard to case by the MUST scenarios)
# role: client
# variant: plain
# catches: dns/client-exact-text: standard output lacks "Enter Domain Name:"
import random
import struct
from socket import *

serverName = '127.0.0.1'
serverPort = 10053


def build_query(ident, name):
    query = struct.pack('>HHHHHH', ident, 0x0000, 1, 0, 0, 0)
    for label in name.rstrip('.').split('.'):
        query += bytes([len(label)]) + label.encode()
    return query + b'\x00' + struct.pack('>HH', 1, 1)


def skip_name(msg, pos):
    while True:
        length = msg[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2
        pos += 1 + length


clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(5)
while True:
    name = input('Enter domain name: ').strip()
    if name == 'end':
        print('Session ended')
        break
    if not name:
        continue
    ident = random.randint(0, 65535)
    clientSocket.sendto(build_query(ident, name), (serverName, serverPort))
    try:
        while True:
            response, serverAddress = clientSocket.recvfrom(2048)
            if len(response) >= 12 and struct.unpack('>H', response[:2])[0] == ident:
                break
    except timeout:
        print('no answer from the server')
        continue
    rid, flags, qdcount, ancount, nscount, arcount = struct.unpack('>HHHHHH', response[:12])
    if flags & 0xF == 3:
        print(name + ': no such name')
        continue
    pos = 12
    for i in range(qdcount):
        pos = skip_name(response, pos) + 4
    for i in range(ancount):
        pos = skip_name(response, pos)
        rtype, rclass, ttl, rdlength = struct.unpack('>HHIH', response[pos:pos + 10])
        pos += 10
        rdata = response[pos:pos + rdlength]
        pos += rdlength
        if rtype == 1 and rclass == 1 and rdlength == 4:
            print('%s: type A, class IN, TTL %d, addr (4) %s' % (name, ttl, inet_ntoa(rdata)))
clientSocket.close()
