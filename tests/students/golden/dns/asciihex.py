# DNS server -- lab 5
# Builds the answer as a hex string, the way the handout writes messages
# ("1a 2b 84 00 ..."), and sends it to the client.
from socket import *

serverPort = 10053
serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))

records = {
    'google.com': ('00000104', ['c0a50101', 'c0a5010a']),
    'youtube.com': ('000000a0', ['c0a50102']),
    'uwaterloo.ca': ('000000a0', ['c0a50103']),
    'wikipedia.org': ('000000a0', ['c0a50104']),
    'amazon.ca': ('000000a0', ['c0a50105']),
}


def print_hex(h):
    pairs = [h[i:i + 2] for i in range(0, len(h), 2)]
    for i in range(0, len(pairs), 16):
        print(' '.join(pairs[i:i + 16]))


print('server ready')
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    query = message.hex()
    print('Request:')
    print_hex(query)
    try:
        # the name starts after the 12-byte header (24 hex digits)
        pos = 24
        labels = []
        while query[pos:pos + 2] != '00':
            n = int(query[pos:pos + 2], 16)
            labels.append(bytes.fromhex(query[pos + 2:pos + 2 + 2 * n]).decode())
            pos += 2 + 2 * n
            if pos >= len(query):
                raise ValueError('no end of name')
        name = '.'.join(labels).lower()
        question = query[24:pos + 10]
        if name in records:
            ttl, ips = records[name]
            answer = query[0:4] + '8400' + '0001' + '%04x' % len(ips) + '00000000' + question
            for ip in ips:
                answer += 'c00c' + '0001' + '0001' + ttl + '0004' + ip
        else:
            answer = query[0:4] + '8403' + '0001' + '0000' + '00000000' + question
    except Exception as e:
        print('bad query', e)
        continue
    print('Response:')
    print_hex(answer)
    serverSocket.sendto(answer.encode(), clientAddress)
