# DNS server for lab 4 -- answers A queries for the names in the table below.
# Prints every request and response in hex (16 bytes per line).
import struct
import socket

PORT = 10053

RECORDS = {
    'google.com': (260, ['192.165.1.1', '192.165.1.10']),
    'youtube.com': (160, ['192.165.1.2']),
    'uwaterloo.ca': (160, ['192.165.1.3']),
    'wikipedia.org': (160, ['192.165.1.4']),
    'amazon.ca': (160, ['192.165.1.5']),
}

# standard response flags: QR=1, RD=1, RA=1
FLAGS_OK = 0x8180
FLAGS_NXDOMAIN = 0x8183
FLAGS_FORMERR = 0x8181


def hexdump(data):
    for i in range(0, len(data), 16):
        print(' '.join('{:02x}'.format(b) for b in data[i:i + 16]))


def parse_question(data):
    """labels of the QNAME at offset 12, and the offset after QTYPE/QCLASS"""
    pos = 12
    labels = []
    while True:
        if pos >= len(data):
            raise ValueError('name runs off the end')
        n = data[pos]
        if n == 0:
            break
        if n > 63:
            raise ValueError('bad label length')
        labels.append(data[pos + 1:pos + 1 + n].decode('ascii'))
        pos += n + 1
    pos += 1
    if pos + 4 > len(data):
        raise ValueError('no qtype/qclass')
    return labels, pos + 4


def build_response(data):
    tid, flags, qdcount = struct.unpack('!HHH', data[:6])
    try:
        if qdcount != 1:
            raise ValueError('expected one question')
        labels, qend = parse_question(data)
    except (ValueError, UnicodeDecodeError):
        return struct.pack('!6H', tid, FLAGS_FORMERR, 0, 0, 0, 0)
    question = data[12:qend]
    name = '.'.join(labels).lower()
    if name not in RECORDS:
        return struct.pack('!6H', tid, FLAGS_NXDOMAIN, 1, 0, 0, 0) + question
    ttl, ips = RECORDS[name]
    resp = struct.pack('!6H', tid, FLAGS_OK, 1, len(ips), 0, 0) + question
    for ip in ips:
        resp += struct.pack('!HHHIH', 0xc00c, 1, 1, ttl, 4) + socket.inet_aton(ip)
    return resp


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(('', PORT))
print('DNS server listening on port', PORT)
while True:
    data, addr = sock.recvfrom(512)
    print('Request:')
    hexdump(data)
    if len(data) < 12 or data[2] & 0x80:
        continue
    resp = build_response(data)
    print('Response:')
    hexdump(resp)
    sock.sendto(resp, addr)
