# mutant: keeps the last two labels of a name (domain and top level) and rebuilds the question from them: www.google.com is answered as google.com
# role: server
# variant: plain
# catches: dns/three-labels: (the question came back as google.com: the name lost its first labels)
# catches: dns/mixed-case: the question is not echoed as it was sent: seen in dns/three-labels
import struct
from socket import *

serverPort = 10053

# name: (TTL, [addresses])
TABLE = {
    'google.com': (260, ['192.165.1.1', '192.165.1.10']),
    'youtube.com': (160, ['192.165.1.2']),
    'uwaterloo.ca': (160, ['192.165.1.3']),
    'wikipedia.org': (160, ['192.165.1.4']),
    'amazon.ca': (160, ['192.165.1.5']),
}


class FormatError(Exception):
    pass


def print_hex(title, data):
    print(title)
    for i in range(0, len(data), 16):
        print(' '.join('%02x' % b for b in data[i:i + 16]))


def read_name(msg, pos):
    # the labels of a QNAME, no compression in a question; returns (name, end)
    labels = []
    while True:
        if pos >= len(msg):
            raise FormatError('name runs past the end')
        length = msg[pos]
        if length == 0:
            return '.'.join(labels[-2:]), pos + 1
        if length & 0xC0:
            raise FormatError('compression or reserved label in a question')
        if pos + 1 + length > len(msg):
            raise FormatError('label runs past the end')
        labels.append(msg[pos + 1:pos + 1 + length].decode('latin-1'))
        pos += 1 + length


def header(ident, flags, qd, an):
    return struct.pack('>HHHHHH', ident, flags, qd, an, 0, 0)


def answer(query):
    ident, flags, qdcount, ancount, nscount, arcount = struct.unpack('>HHHHHH', query[:12])
    rd = flags & 0x0100
    opcode = (flags >> 11) & 0xF
    if opcode != 0:
        return header(ident, 0x8000 | (opcode << 11) | rd | 4, 0, 0)      # NOTIMP
    try:
        if qdcount != 1 or ancount or nscount or arcount:
            raise FormatError('one question and nothing else')
        name, end = read_name(query, 12)
        if end + 4 != len(query):
            raise FormatError('the question does not end the message')
        qtype, qclass = struct.unpack('>HH', query[end:end + 4])
    except FormatError:
        return header(ident, 0x8000 | rd | 1, 0, 0)                       # FORMERR
    question = b''.join(bytes([len(l)]) + l.encode('latin-1') for l in name.split('.')) + b'\0' + query[end:end + 4]
    entry = TABLE.get(name.lower().rstrip('.'))
    if entry is None:
        return header(ident, 0x8400 | rd | 3, 1, 0) + question            # NXDOMAIN
    ttl, addrs = entry
    if qtype != 1 or qclass != 1:
        return header(ident, 0x8400 | rd, 1, 0) + question               # no data of that type
    response = header(ident, 0x8400 | rd, 1, len(addrs)) + question
    for addr in addrs:
        response += struct.pack('>HHHIH', 0xC00C, 1, 1, ttl, 4) + inet_aton(addr)
    return response


serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', serverPort))
print('The DNS server is ready on port', serverPort)
while True:
    query, clientAddress = serverSocket.recvfrom(2048)
    print_hex('Request:', query)
    if len(query) < 12 or query[2] & 0x80:
        print('(no answer: too short for a header, or not a query)')
        continue
    try:
        response = answer(query)
    except Exception as e:          # never die of one datagram
        print('error:', e)
        continue
    print_hex('Response:', response)
    serverSocket.sendto(response, clientAddress)
