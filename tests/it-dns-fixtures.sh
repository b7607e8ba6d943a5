#!/usr/bin/env bash
# The DNS lab's golden bytes (fixtures/dns/*.hex, written by hand) read by an
# independent decoder: each file becomes a UDP datagram in a pcap that tshark
# dissects as DNS, and its fields (ID, flags, counts, names, types, classes,
# TTLs, lengths, addresses, and whether it is malformed) must be those written
# below. Then every byte of every well-formed file is changed in turn (one bit)
# and each change must show in tshark's fields: no byte goes unchecked.
set -u
source "$(dirname "$0")/lib.sh"

if ! command -v tshark >/dev/null || ! command -v python3 >/dev/null; then
	not_ok "dns fixtures: tshark and python3 are installed"
	exit 0
fi

python3 - "$TOP/fixtures/dns" "$T" <<'PY'
import os, struct, subprocess, sys

fixtures, tmp = sys.argv[1], sys.argv[2]

# Field names of tshark 4.0, each with the short key used below.
FIELDS = [
    ("id", "dns.id"), ("flags", "dns.flags"), ("qr", "dns.flags.response"),
    ("opcode", "dns.flags.opcode"), ("aa", "dns.flags.authoritative"),
    ("rd", "dns.flags.recdesired"), ("rcode", "dns.flags.rcode"),
    ("qd", "dns.count.queries"), ("an", "dns.count.answers"),
    ("ns", "dns.count.auth_rr"), ("ar", "dns.count.add_rr"),
    ("qname", "dns.qry.name"), ("qtype", "dns.qry.type"), ("qclass", "dns.qry.class"),
    ("rname", "dns.resp.name"), ("rtype", "dns.resp.type"), ("rclass", "dns.resp.class"),
    ("ttl", "dns.resp.ttl"), ("rdlen", "dns.resp.len"), ("a", "dns.a"),
    ("malformed", "_ws.malformed"), ("expert", "_ws.expert.message"),
]

# What each file must decode to: its length, then the fields that are not
# empty (every other field must be); '~' stands for a blank. Written from the comments of the files
# and RFC 1035, not from tshark's output.
QUERY = "flags=0x0000 qr=0 opcode=0 rd=0 qd=1 an=0 ns=0 ar=0 qtype=1 qclass=0x0001"
ANSWER = "flags=0x8400 qr=1 opcode=0 aa=1 rd=0 rcode=0 qd=1 ns=0 ar=0 qtype=1 qclass=0x0001"
EXPECT = {
    "google.com.query.hex": "len=28 id=0x1a2b qname=google.com " + QUERY,
    "google.com.response.hex": "len=60 id=0x1a2b qname=google.com an=2 " + ANSWER +
        " rname=google.com,google.com rtype=1,1 rclass=0x0001,0x0001 ttl=260,260 rdlen=4,4"
        " a=192.165.1.1,192.165.1.10",
    "youtube.com.query.hex": "len=29 id=0x2c3d qname=youtube.com " + QUERY,
    "youtube.com.response.hex": "len=45 id=0x2c3d qname=youtube.com an=1 " + ANSWER +
        " rname=youtube.com rtype=1 rclass=0x0001 ttl=160 rdlen=4 a=192.165.1.2",
    "uwaterloo.ca.query.hex": "len=30 id=0x3e4f qname=uwaterloo.ca " + QUERY,
    "uwaterloo.ca.response.hex": "len=46 id=0x3e4f qname=uwaterloo.ca an=1 " + ANSWER +
        " rname=uwaterloo.ca rtype=1 rclass=0x0001 ttl=160 rdlen=4 a=192.165.1.3",
    "wikipedia.org.query.hex": "len=31 id=0x4a5b qname=wikipedia.org " + QUERY,
    "wikipedia.org.response.hex": "len=47 id=0x4a5b qname=wikipedia.org an=1 " + ANSWER +
        " rname=wikipedia.org rtype=1 rclass=0x0001 ttl=160 rdlen=4 a=192.165.1.4",
    "amazon.ca.query.hex": "len=27 id=0x5c6d qname=amazon.ca " + QUERY,
    "amazon.ca.response.hex": "len=43 id=0x5c6d qname=amazon.ca an=1 " + ANSWER +
        " rname=amazon.ca rtype=1 rclass=0x0001 ttl=160 rdlen=4 a=192.165.1.5",
    "unknown.example.query.hex": "len=33 id=0x6e7f qname=unknown.example " + QUERY,
    "unknown.example.response.hex": "len=33 id=0x6e7f qname=unknown.example flags=0x8403 qr=1"
        " opcode=0 aa=1 rd=0 rcode=3 qd=1 an=0 ns=0 ar=0 qtype=1 qclass=0x0001",
    "www.google.com.query.hex": "len=32 id=0x3c5d qname=www.google.com " + QUERY,
    "www.google.com.response.hex": "len=32 id=0x3c5d qname=www.google.com flags=0x8403 qr=1"
        " opcode=0 aa=1 rd=0 rcode=3 qd=1 an=0 ns=0 ar=0 qtype=1 qclass=0x0001",
    "GoOgLe.CoM.query.hex": "len=28 id=0x7a8b qname=GoOgLe.CoM " + QUERY,
    "GoOgLe.CoM.response.hex": "len=60 id=0x7a8b qname=GoOgLe.CoM an=2 " + ANSWER +
        " rname=GoOgLe.CoM,GoOgLe.CoM rtype=1,1 rclass=0x0001,0x0001 ttl=260,260 rdlen=4,4"
        " a=192.165.1.1,192.165.1.10",
    "formerr.query.hex": "len=45 id=0x8c9d flags=0x0100 qr=0 opcode=0 rd=1 qd=2 an=0 ns=0 ar=0"
        " qname=google.com,youtube.com qtype=1,1 qclass=0x0001,0x0001",
    "formerr.response.hex": "len=12 id=0x8c9d flags=0x8101 qr=1 opcode=0 aa=0 rd=1 rcode=1"
        " qd=0 an=0 ns=0 ar=0",
    # tshark follows the pointer once and says so in the name
    "loop.query.hex": "len=18 id=0x9eaf qname=<Name~contains~a~pointer~that~loops> " + QUERY,
    "loop.response.hex": "len=12 id=0x9eaf flags=0x8001 qr=1 opcode=0 aa=0 rd=0 rcode=1"
        " qd=0 an=0 ns=0 ar=0",
    "notimp.query.hex": "len=28 id=0xa1b2 qname=google.com flags=0x1000 qr=0 opcode=2 rd=0"
        " qd=1 an=0 ns=0 ar=0 qtype=1 qclass=0x0001",
    "notimp.response.hex": "len=12 id=0xa1b2 flags=0x9004 qr=1 opcode=2 aa=0 rd=0 rcode=4"
        " qd=0 an=0 ns=0 ar=0",
    # 5 bytes: the ID and flags, then the header ends too soon
    "short.query.hex": "len=5 id=0x1234 flags=0x0100 qr=0 opcode=0 rd=1"
        " malformed=[Malformed~Packet:~DNS],_ws.malformed expert=Malformed~Packet~(Exception~occurred)",
}
# Files that tshark must find malformed or hostile: not swept byte by byte.
NOT_CLEAN = {"short.query.hex", "loop.query.hex"}


def expected(spec):
    kv = dict(x.split("=", 1) for x in spec.split())
    want = {k: "" for k, _ in FIELDS}
    for k, v in kv.items():
        if k != "len":
            assert k in want, k
            want[k] = v.replace("~", " ")
    return int(kv["len"]), want


def strip(path):
    """The bytes of a .hex file: pairs of hex digits; '#' starts a comment."""
    out = bytearray()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            for tok in line.split("#", 1)[0].split():
                if len(tok) != 2:
                    raise ValueError("%s:%d: '%s' is not a byte" % (path, n, tok))
                out.append(int(tok, 16))
    return bytes(out)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def packet(payload, response):
    """An IPv4/UDP datagram carrying payload, client port 40000, server 12000."""
    a, b = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    src, dst, sport, dport = (b, a, 12000, 40000) if response else (a, b, 40000, 12000)
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(udp)) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + udp


def decode(items, name):
    """tshark's fields for each (payload, response) in items, as dicts."""
    path = os.path.join(tmp, name + ".pcap")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
        for i, (payload, response) in enumerate(items):
            p = packet(payload, response)
            f.write(struct.pack("<IIII", i, 0, len(p), len(p)) + p)
    cmd = ["tshark", "-r", path, "-d", "udp.port==12000,dns", "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for _, f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()
    return [dict(zip([k for k, _ in FIELDS], line.split("|"))) for line in out]


def diff(got, want):
    return ["%s: expected '%s', got '%s'" % (k, want[k], got.get(k)) for k, _ in FIELDS
            if got.get(k) != want[k]]


failed = 0


def result(ok, name, notes=()):
    global failed
    for n in notes:
        print("# " + n)
    print(("ok - " if ok else "not ok - ") + name)
    failed |= not ok


files = sorted(f for f in os.listdir(fixtures) if f.endswith(".hex"))
result(set(files) == set(EXPECT), "dns fixtures: every .hex file has its expected fields, and each one exists",
       ["not listed: %s" % sorted(set(files) - set(EXPECT)), "missing: %s" % sorted(set(EXPECT) - set(files))]
       if set(files) != set(EXPECT) else [])
files = [f for f in files if f in EXPECT]
data = {}
for f in files:
    try:
        data[f] = strip(os.path.join(fixtures, f))
    except ValueError as e:
        result(False, "dns fixtures: %s reads as hex" % f, [str(e)])
files = [f for f in files if f in data]

got = decode([(data[f], ".response." in f) for f in files], "all")
if len(got) != len(files):
    result(False, "dns fixtures: tshark decodes every file", ["%d lines for %d files" % (len(got), len(files))])
    sys.exit(0)
for f, g in zip(files, got):
    n, want = expected(EXPECT[f])
    notes = diff(g, want)
    if len(data[f]) != n:
        notes.insert(0, "length: expected %d, got %d" % (n, len(data[f])))
    result(not notes, "dns fixtures: %s decodes as written (%d bytes, ID %s)" % (f, len(data[f]), want["id"]),
           notes)

# Every one-bit change of a well-formed file shows in the fields tshark decodes.
for f, g in zip(files, got):
    if f in NOT_CLEAN:
        continue
    b = data[f]
    mutants = [(b[:i] + bytes([b[i] ^ 1]) + b[i + 1:], ".response." in f) for i in range(len(b))]
    mg = decode(mutants, "mutants")
    same = [i for i, m in enumerate(mg) if m == g]
    result(len(mg) == len(b) and not same,
           "dns fixtures: each of the %d bytes of %s is checked (a changed bit shows)" % (len(b), f),
           ["a changed bit at offset %d decodes the same" % i for i in same])
PY
