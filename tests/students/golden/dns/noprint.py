"""DNS server (lab 3): authoritative for five names, type A, class IN, UDP port 10053."""
import socket
import struct

PORT = 10053
ZONE = {
    'google.com': (260, ('192.165.1.1', '192.165.1.10')),
    'youtube.com': (160, ('192.165.1.2',)),
    'uwaterloo.ca': (160, ('192.165.1.3',)),
    'wikipedia.org': (160, ('192.165.1.4',)),
    'amazon.ca': (160, ('192.165.1.5',)),
}

QR = 0x8000
AA = 0x0400
NOERROR, FORMERR, NXDOMAIN, NOTIMP = 0, 1, 3, 4


def qname_end(msg, pos):
    names = []
    while pos < len(msg) and msg[pos] != 0:
        n = msg[pos]
        if n & 0xC0 or pos + 1 + n > len(msg):
            raise ValueError('bad name')
        names.append(msg[pos + 1:pos + 1 + n].decode('ascii', 'replace'))
        pos += n + 1
    if pos >= len(msg):
        raise ValueError('name not terminated')
    return '.'.join(names), pos + 1


def respond(msg):
    qid, flags, qd, an, ns, ar = struct.unpack('>6H', msg[:12])
    opcode = (flags >> 11) & 0xF
    if opcode != 0:
        return struct.pack('>6H', qid, QR | (opcode << 11) | NOTIMP, 0, 0, 0, 0)
    try:
        if qd != 1:
            raise ValueError('qdcount')
        name, end = qname_end(msg, 12)
        if end + 4 > len(msg):
            raise ValueError('short question')
    except ValueError:
        return struct.pack('>6H', qid, QR | FORMERR, 0, 0, 0, 0)
    question = msg[12:end + 4]
    if name.lower() not in ZONE:
        return struct.pack('>6H', qid, QR | NXDOMAIN, 1, 0, 0, 0) + question
    ttl, addrs = ZONE[name.lower()]
    out = struct.pack('>6H', qid, QR | AA | NOERROR, 1, len(addrs), 0, 0) + question
    for a in addrs:
        out += struct.pack('>HHHIH', 0xC00C, 1, 1, ttl, 4) + socket.inet_aton(a)
    return out


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('', PORT))
    print('DNS server up on port', PORT)
    while True:
        msg, peer = s.recvfrom(4096)
        if len(msg) < 12 or msg[2] & 0x80:
            continue
        s.sendto(respond(msg), peer)


main()
