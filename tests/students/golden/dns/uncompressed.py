# Lab 5: DNS server
# Request and response printed in hex; names from the table are matched ignoring case.
import socket
import struct

port = 10053
table = {
    'google.com': [260, '192.165.1.1', '192.165.1.10'],
    'youtube.com': [160, '192.165.1.2'],
    'uwaterloo.ca': [160, '192.165.1.3'],
    'wikipedia.org': [160, '192.165.1.4'],
    'amazon.ca': [160, '192.165.1.5'],
}


def show(title, data):
    print(title)
    for i in range(0, len(data), 16):
        print(' '.join('%02x' % x for x in data[i:i + 16]))


def name_to_bytes(name):
    result = b''
    for part in name.split('.'):
        result += struct.pack('B', len(part)) + part.encode()
    return result + b'\x00'


def parse_name(data, offset):
    parts = []
    while True:
        length = data[offset]
        if length == 0:
            return '.'.join(parts), offset + 1
        if length > 63:
            raise ValueError('label too long')
        parts.append(data[offset + 1:offset + 1 + length].decode())
        offset += length + 1


def answer(data):
    ident, flags, qdcount = struct.unpack('!3H', data[:6])
    try:
        if qdcount != 1:
            raise ValueError('qdcount')
        name, offset = parse_name(data, 12)
        question = data[12:offset + 4]
        if len(question) != offset + 4 - 12:
            raise ValueError('short')
    except (ValueError, IndexError, UnicodeDecodeError):
        return struct.pack('!6H', ident, 0x8001, 0, 0, 0, 0)          # FORMERR
    key = name.lower()
    if key not in table:
        return struct.pack('!6H', ident, 0x8403, 0, 0, 0, 0)          # NXDOMAIN
    ttl = table[key][0]
    ips = table[key][1:]
    reply = struct.pack('!6H', ident, 0x8400, 1, len(ips), 0, 0) + question
    for ip in ips:
        reply += name_to_bytes(key) + struct.pack('!HHIH', 1, 1, ttl, 4) + socket.inet_aton(ip)
    return reply


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(('', port))
while True:
    data, addr = sock.recvfrom(512)
    show('Request:', data)
    if len(data) < 12:
        continue
    reply = answer(data)
    show('Response:', reply)
    sock.sendto(reply, addr)
