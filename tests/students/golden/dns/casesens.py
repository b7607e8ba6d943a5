# dns_server.py -- authoritative DNS server for the lab's five names
import socket
import struct

SERVER_PORT = 10053

DNS_TABLE = {
    'google.com': {'ttl': 260, 'ips': ['192.165.1.1', '192.165.1.10']},
    'youtube.com': {'ttl': 160, 'ips': ['192.165.1.2']},
    'uwaterloo.ca': {'ttl': 160, 'ips': ['192.165.1.3']},
    'wikipedia.org': {'ttl': 160, 'ips': ['192.165.1.4']},
    'amazon.ca': {'ttl': 160, 'ips': ['192.165.1.5']},
}


def get_qname(msg):
    labels = []
    i = 12
    length = msg[i]
    while length != 0:
        labels.append(msg[i + 1:i + 1 + length].decode('utf-8'))
        i += length + 1
        length = msg[i]
    return '.'.join(labels), i + 1


def make_response(msg):
    (query_id,) = struct.unpack('!H', msg[0:2])
    qname, end = get_qname(msg)
    question = msg[12:end + 4]
    entry = DNS_TABLE.get(qname)
    if entry is None:
        header = struct.pack('!HHHHHH', query_id, 0x8403, 1, 0, 0, 0)
        return header + question
    header = struct.pack('!HHHHHH', query_id, 0x8400, 1, len(entry['ips']), 0, 0)
    answers = b''
    for ip in entry['ips']:
        answers += struct.pack('!HHHIH', 0xC00C, 1, 1, entry['ttl'], 4)
        answers += socket.inet_aton(ip)
    return header + question + answers


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('', SERVER_PORT))
    print('DNS server running on port %d' % SERVER_PORT)
    while True:
        msg, addr = sock.recvfrom(1024)
        try:
            reply = make_response(msg)
        except Exception as err:
            print('bad query from', addr, err)
            continue
        print('query from %s:%d, %d bytes; answered with %d bytes' % (addr[0], addr[1], len(msg), len(reply)))
        sock.sendto(reply, addr)


if __name__ == '__main__':
    main()
