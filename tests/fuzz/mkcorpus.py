#!/usr/bin/env python3
"""mkcorpus.py - rebuilds the seed corpora of tests/fuzz/corpus/ from real inputs

usage: tests/fuzz/mkcorpus.py CAPTURES_DIR
  CAPTURES_DIR: the pcaps of a run, e.g. after
  'build/bin/wirecheck run -j 2 --captures /tmp/fzcap'.
Seeds: a handful of fixtures/*/*.scn and two scenarios written here for the
forms the fixtures do not use; frames, segment records and small pcap files
cut from the captures (IPv6 and the other link types made from the same IP
packets); the kernel's /proc/net tables while this script holds sockets of each
kind; two manifests; three reference server transcripts. Python's standard library only; deterministic output for
the same captures.
"""
import os
import shutil
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, 'corpus')

DLT_EN10MB, DLT_RAW, DLT_NULL, DLT_LINUX_SLL, DLT_LINUX_SLL2 = 1, 101, 0, 113, 276
# fuzz_frame's first byte: the index into its table
SEL = {'en10mb': 0, 'sll': 1, 'sll2': 2, 'raw': 3, 'null': 4, 'ipv4': 5, 'ipv6': 6}


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def read_pcap(path):
    """(linktype, [(sec, usec, frame)]) of a little-endian microsecond pcap."""
    d = open(path, 'rb').read()
    magic, _, _, _, _, _, lt = struct.unpack('<IHHiIII', d[:24])
    assert magic == 0xa1b2c3d4, path
    frames, off = [], 24
    while off + 16 <= len(d):
        sec, usec, cl, _ = struct.unpack('<IIII', d[off:off + 16])
        frames.append((sec, usec, d[off + 16:off + 16 + cl]))
        off += 16 + cl
    return lt, frames


def write_pcap(lt, frames, big_endian=False):
    e = '>' if big_endian else '<'
    out = struct.pack(e + 'IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, lt)
    for sec, usec, fr in frames:
        out += struct.pack(e + 'IIII', sec, usec, len(fr), len(fr)) + fr
    return out


def to_ipv6(ip):
    """The IPv4 packet's transport bytes under an IPv6 header, ::1 to ::1."""
    ihl = (ip[0] & 15) * 4
    total = struct.unpack('>H', ip[2:4])[0]
    body = ip[ihl:total]
    lo = b'\0' * 15 + b'\1'
    return struct.pack('>IHBB', 6 << 28, len(body), ip[9], 64) + lo + lo + body


def link(kind, ip):
    """ip framed for a link type."""
    v6 = ip[0] >> 4 == 6
    et = 0x86dd if v6 else 0x0800
    if kind == 'en10mb':
        return b'\0' * 12 + struct.pack('>H', et) + ip
    if kind == 'vlan':
        return b'\0' * 12 + struct.pack('>HHH', 0x8100, 5, et) + ip
    if kind == 'sll':
        return struct.pack('>HHH8sH', 0, 772, 6, b'\0' * 8, et) + ip
    if kind == 'sll2':
        return struct.pack('>HHIHBB8s', et, 0, 1, 772, 0, 6, b'\0' * 8) + ip
    if kind == 'null':
        return struct.pack('<I', 30 if v6 else 2) + ip
    return ip  # raw, ipv4, ipv6


def ip_frames(path):
    """The IP packets of an Ethernet capture, with their times."""
    lt, frames = read_pcap(path)
    assert lt == DLT_EN10MB, path
    return [(s, u, fr[14:]) for s, u, fr in frames if fr[12:14] == b'\x08\x00']


def frames_seeds(caps):
    picks = [('udp-echo/binary.pcap', 2), ('tcp-echo/mixed.pcap', 0), ('tcp-echo/mixed.pcap', 3),
             ('tcp-echo/reset-mid-message.pcap', None), ('name-echo/crlf.pcap', 4)]
    n = 0
    for rel, i in picks:
        pk = ip_frames(os.path.join(caps, rel))
        if i is None:  # the RST
            i = next(k for k, (_, _, ip) in enumerate(pk) if ip[9] == 6 and ip[20 + 13] & 4)
        ip = pk[i][2]
        ip6 = to_ipv6(ip)
        for kind, data in (('en10mb', ip), ('sll', ip), ('sll2', ip), ('raw', ip), ('null', ip),
                           ('ipv4', ip), ('en10mb', ip6), ('null', ip6), ('ipv6', ip6)):
            put('fuzz_frame', '%02d-%s-%s' % (n, kind, 'v6' if data is ip6 else 'v4'),
                bytes([SEL[kind]]) + link(kind, data))
        n += 1
    # an 802.1Q-tagged frame, an ARP frame, and a frame of a link type it does not decode
    _, arp = read_pcap(os.path.join(caps, 'udp-echo/two-hosts.pcap'))
    put('fuzz_frame', '90-vlan-v4', bytes([0]) + link('vlan', ip_frames(os.path.join(caps, 'udp-echo/basic.pcap'))[0][2]))
    put('fuzz_frame', '91-arp', bytes([0]) + arp[0][2])
    put('fuzz_frame', '92-ppp', bytes([7]) + b'\xff\x03\x00\x21' + ip)


def stream_records(pkts, maxlen=255):
    """fuzz_stream's records for TCP packets (see fuzz_stream.c). Each direction
    of the n-th connection is renumbered to start n * 4096 after the first one's
    sequence number, so every record but the first is a 16-bit step."""
    conns, first, base, out = [], {}, {}, b''
    for ip in pkts:
        if ip[9] != 6:
            continue
        ihl = (ip[0] & 15) * 4
        total = struct.unpack('>H', ip[2:4])[0]
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack('>HHI', tcp[:8])
        flags = tcp[13]
        payload = tcp[(tcp[12] >> 4) * 4:]
        client = dport if sport in (12000, 12001, 12002) else sport
        if client not in conns:
            conns.append(client)
        c = conns.index(client)
        direction = 0 if sport == client else 1
        meta = direction | (c & 3) << 1
        first.setdefault((c, direction), seq)
        if direction not in base:
            base[direction] = seq
        else:
            step = ((seq - first[c, direction]) & 0xffffffff) + c * 4096
            assert step < 0x8000, step
            seq = step
        payload = payload[:maxlen]
        out += struct.pack('>BBIB', flags, meta, seq, len(payload)) + payload
    return out


def stream_seeds(caps):
    for rel in ('tcp-echo/mixed.pcap', 'tcp-echo/segmented.pcap', 'tcp-echo/reset-mid-message.pcap',
                'tcp-echo/concurrent-three@concurrent.pcap', 'name-echo/three-clients.pcap',
                'tcp-echo/long-1500.pcap', 'tcp-echo/oneshot-next-client.pcap'):
        pkts = [ip for _, _, ip in ip_frames(os.path.join(caps, rel))]
        put('fuzz_stream', os.path.basename(rel).replace('.pcap', ''), stream_records(pkts))
    # out of order, a retransmission and a hole: the mixed session reversed
    pkts = [ip for _, _, ip in ip_frames(os.path.join(caps, 'tcp-echo/mixed.pcap'))]
    data = [p for p in pkts if p[9] == 6]
    put('fuzz_stream', 'mixed-reordered', stream_records(data[:3] + data[3:][::-1] + data[4:6]))
    rec = lambda flags, meta, seq, payload: struct.pack('>BBIB', flags, meta, seq, len(payload)) + payload
    # far records: a hole of 64 KiB, bytes before the start, past the cap
    put('fuzz_stream', 'far', stream_records(data) + rec(0x18, 0x40, 0x00000005, b'far') +
        rec(0x18, 0x40, 0x0500fff0, b'before') + rec(0x18, 0x40, 0x03000000, b'past the cap'))
    # sequence numbers that wrap past 2^32, a FIN, the server's RST; IPv6
    put('fuzz_stream', 'wrap-v6', rec(0x02, 0x08, 0xfffffff0, b'') + rec(0x12, 0x09, 0x7fff0000, b'') +
        rec(0x18, 0x08, 0x0001, b'0123456789') + rec(0x18, 0x08, 0x000b, b'abcdefghij') +
        rec(0x11, 0x08, 0x0015, b'') + rec(0x18, 0x09, 0x0001, b'ECHO') + rec(0x04, 0x09, 0x0005, b''))


def pcap_seeds(caps):
    for rel in ('udp-echo/binary.pcap', 'tcp-echo/mixed.pcap', 'tcp-echo/reset-mid-message.pcap',
                'udp-echo/two-hosts.pcap', 'tcp-echo/concurrent-three@concurrent.pcap'):
        shutil.copy(os.path.join(caps, rel), os.path.join(OUT, 'fuzz_pcap', os.path.basename(rel)))
    pk = ip_frames(os.path.join(caps, 'tcp-echo/mixed.pcap'))
    v6 = [(s, u, to_ipv6(ip)) for s, u, ip in pk]
    put('fuzz_pcap', 'mixed-sll.pcap', write_pcap(DLT_LINUX_SLL, [(s, u, link('sll', ip)) for s, u, ip in pk]))
    put('fuzz_pcap', 'mixed-sll2-v6.pcap', write_pcap(DLT_LINUX_SLL2, [(s, u, link('sll2', ip)) for s, u, ip in v6]))
    put('fuzz_pcap', 'mixed-raw-be.pcap', write_pcap(DLT_RAW, pk, big_endian=True))
    put('fuzz_pcap', 'mixed-null-v6.pcap', write_pcap(DLT_NULL, [(s, u, link('null', ip)) for s, u, ip in v6]))
    # cut by the snap length: caplen < len in the last frame
    cut = write_pcap(DLT_EN10MB, [(s, u, link('en10mb', ip)) for s, u, ip in pk])
    put('fuzz_pcap', 'mixed-cut.pcap', cut[:-10])


def proc_seeds():
    """The kernel's tables while we hold a socket of each kind."""
    socks = []
    for fam, addr in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1'),
                      (socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::')):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, 0))
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.bind((addr, 0))
        t.listen(1)
        socks += [u, t]
        if addr in ('127.0.0.1', '::1'):  # an established pair too, not LISTEN
            c = socket.create_connection((addr, t.getsockname()[1]))
            a, _ = t.accept()
            socks += [c, a]
    for name in ('udp', 'udp6', 'tcp', 'tcp6'):
        put('fuzz_sockets', name, open('/proc/net/' + name, 'rb').read())
    for s in socks:
        s.close()


def scenario_seeds():
    for rel in ('udp-echo/binary.scn', 'udp-echo/many-datagrams.scn', 'udp-echo/two-hosts.scn',
                'udp-echo/empty-datagram.scn', 'tcp-echo/segmented.scn', 'tcp-echo/bytewise.scn',
                'tcp-echo/client-session.scn', 'tcp-echo/reset-mid-message.scn', 'tcp-echo/long-100k.scn',
                'tcp-echo/mixed.scn', 'name-echo/basic.scn', 'name-echo/client-line.scn',
                'name-echo/crlf.scn'):
        shutil.copy(os.path.join(TOP, 'fixtures', rel),
                    os.path.join(OUT, 'fuzz_scenario', rel.replace('/', '-')))
    put('fuzz_scenario', 'x-server-forms.scn', b'''# forms the fixtures do not use
lab     udp-echo
title   every server step form
level   INFO
points  0
ref     none
hint    none
test    server
variant quit concurrent
timeout 100
deadline 1000
hosts   2

open    A udp
open    B tcp slow
open    C tcp
send    A "a\\tb\\\\c\\"d\\0\\x41" x"00ff" @payload.txt # comment
expect  A "x" * 3 x"41 42" * 2
repeat  2
repeat  3
send    B "ab" $name "cd" segments 2
expect  B line $name " " $name
end
send    C "xyz" bytewise
end
expect  A none
expect  B closed
shutdown B
close   C
reset   B
expect  exit 3
''')
    head = b'lab l\ntitle t\ntest server\n'
    put('fuzz_scenario', 'x-17-endpoints.scn', head + b''.join(b'open e%d udp\n' % i for i in range(17)))
    put('fuzz_scenario', 'x-5-names.scn', head + b'open A tcp\nsend A $name $name $name $name $name\n')
    put('fuzz_scenario', 'x-repeat-too-large.scn', head + b'open A udp\nsend A "ab" * 600000\n')
    put('fuzz_scenario', 'x-parts-too-large.scn', head + b'open A udp\nsend A "xxxxxxxxxxxxxxxx" * 65536 "y"\n')
    put('fuzz_scenario', 'x-client-forms.scn', b'''lab udp-echo\r
title every client step form\r
test client\r
stdin "hello\\n" $name\r
expect wire "hello"\r
expect stdout "HELLO"\r
close stdin\r
expect exit\r
''')


def manifest_seeds():
    put('fuzz_manifest', 'name', b'# the student\nname Ada Lovelace\n')
    put('fuzz_manifest', 'long-name', b'name ' + b'n' * 65 + b'\n')
    put('fuzz_manifest', 'long-line', b'# ' + b'x' * 600 + b'\nname x\n')
    put('fuzz_manifest', 'crlf-blank', b'\r\n  \t\n# comment\r\n\tname\t  Grace Hopper \t\r\n')


def srvtx_seeds():
    """A reference server's transcripts, by hand after lib/srvtx.h."""
    put('fuzz_srvtx', 'tcp-session',
        b'1000 7.1 accept ::ffff:127.0.0.1 40000 ::ffff:127.0.0.1 50000\n'
        b'1001 7.1 in 5\nhello1002 7.1 out 5\nHELLO1003 7.1 eof\n1004 7.1 close\n')
    put('fuzz_srvtx', 'udp',
        b'1005 - udp-in :: 40001 ::ffff:127.0.0.1 50001 3\nabc'
        b'1006 - udp-out :: 40001 ::ffff:127.0.0.1 50001 3\nABC')
    put('fuzz_srvtx', 'tcp-reset-v6',
        b'2000 9.1 accept 127.0.0.1 12000 127.0.0.1 40000\n2001 9.1 in 4\nquit2002 9.1 reset\n'
        b'2003 9.2 accept ::1 12000 ::1 40002\n2004 9.2 out 3\nabc2005 9.2 close\n')


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: mkcorpus.py CAPTURES_DIR (e.g. /tmp/fzcap/reference)')
    caps = sys.argv[1]
    shutil.rmtree(OUT, ignore_errors=True)
    for t in ('fuzz_scenario', 'fuzz_pcap'):
        os.makedirs(os.path.join(OUT, t))
    scenario_seeds()
    frames_seeds(caps)
    stream_seeds(caps)
    pcap_seeds(caps)
    proc_seeds()
    manifest_seeds()
    srvtx_seeds()


if __name__ == '__main__':
    main()
