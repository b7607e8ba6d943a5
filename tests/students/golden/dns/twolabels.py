# CS 456 A2 -- DNS server (UDP, port 10053)
# The table is keyed by "domain.tld"; a query name is reduced to its last two
# labels (domain + top level domain) before the lookup.
import struct
from socket import *

PORT = 10053
RECORDS = {
    'google.com': (260, ['192.165.1.1', '192.165.1.10']),
    'youtube.com': (160, ['192.165.1.2']),
    'uwaterloo.ca': (160, ['192.165.1.3']),
    'wikipedia.org': (160, ['192.165.1.4']),
    'amazon.ca': (160, ['192.165.1.5']),
}


class BadQuery(Exception):
    pass


def read_labels(msg):
    labels = []
    pos = 12
    while True:
        if pos >= len(msg):
            raise BadQuery('truncated name')
        size = msg[pos]
        if size == 0:
            return labels, pos + 1
        if size > 63 or pos + 1 + size > len(msg):
            raise BadQuery('bad label')
        labels.append(msg[pos + 1:pos + 1 + size])
        pos += 1 + size


def encode_name(labels):
    out = b''
    for label in labels:
        out += bytes([len(label)]) + label
    return out + b'\x00'


def handle(msg):
    qid, flags, qdcount = struct.unpack('!HHH', msg[:6])
    opcode = (flags >> 11) & 0xF
    if opcode != 0:
        return struct.pack('!6H', qid, 0x8000 | (opcode << 11) | 4, 0, 0, 0, 0)   # NOTIMP
    if qdcount != 1:
        raise BadQuery('one question only')
    labels, end = read_labels(msg)
    if end + 4 > len(msg):
        raise BadQuery('no type and class')
    qtype, qclass = struct.unpack('!HH', msg[end:end + 4])
    labels = labels[-2:]                      # domain.tld
    question = encode_name(labels) + struct.pack('!HH', qtype, qclass)
    key = b'.'.join(labels).decode('ascii', 'replace').lower()
    if key not in RECORDS:
        return struct.pack('!6H', qid, 0x8403, 1, 0, 0, 0) + question
    ttl, addrs = RECORDS[key]
    reply = struct.pack('!6H', qid, 0x8400, 1, len(addrs), 0, 0) + question
    for a in addrs:
        reply += struct.pack('!HHHIH', 0xC00C, 1, 1, ttl, 4) + inet_aton(a)
    return reply


s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', PORT))
print('listening on udp port', PORT)
while True:
    msg, client = s.recvfrom(512)
    print('Request:', msg.hex())
    if len(msg) < 12:
        continue
    try:
        reply = handle(msg)
    except BadQuery as e:
        print('format error:', e)
        reply = msg[:2] + struct.pack('!5H', 0x8001, 0, 0, 0, 0)
    print('Response:', reply.hex())
    s.sendto(reply, client)
