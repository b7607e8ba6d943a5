# Assignment 2 - DNS server
# Listens on UDP port 10053, answers the queries for the names of the lab table.
from socket import *
import struct

serverPort = 10053
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))

table = {
    'google.com': [('192.165.1.1', 260), ('192.165.1.10', 260)],
    'youtube.com': [('192.165.1.2', 160)],
    'uwaterloo.ca': [('192.165.1.3', 160)],
    'wikipedia.org': [('192.165.1.4', 160)],
    'amazon.ca': [('192.165.1.5', 160)],
}

ID = b'\x1a\x2b'  # transaction id (from the handout)


def print_hex(data):
    h = data.hex()
    pairs = [h[i:i + 2] for i in range(0, len(h), 2)]
    for i in range(0, len(pairs), 16):
        print(' '.join(pairs[i:i + 16]))


def read_name(data):
    i = 12
    parts = []
    while data[i] != 0:
        n = data[i]
        parts.append(data[i + 1:i + 1 + n].decode())
        i = i + 1 + n
    return '.'.join(parts), i + 1


print('The server is ready to receive')
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    print('Request:')
    print_hex(message)
    try:
        name, end = read_name(message)
        records = table[name.lower()]
        question = message[12:end + 4]
        response = ID + struct.pack('>HHHHH', 0x8400, 1, len(records), 0, 0) + question
        for ip, ttl in records:
            response += b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, ttl, 4) + inet_aton(ip)
        print('Response:')
        print_hex(response)
        serverSocket.sendto(response, clientAddress)
    except Exception as e:
        print('could not answer:', repr(e))
