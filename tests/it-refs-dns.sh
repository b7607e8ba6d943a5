#!/usr/bin/env bash
# The reference DNS server and client alone (no harness), each part in a fresh
# network namespace. Server: dig and kdig get both addresses of google.com
# with TTL 260, aa, NOERROR; NXDOMAIN for a name not in the table; GOOGLE.com
# answered as asked; the golden queries (fixtures/dns/*.query.hex) get the
# golden responses byte for byte, and what the server prints under Request: /
# Response: is exactly those bytes; 100,000 random and hostile datagrams, then
# still the right answer from a live server. Client: the lines of LABS.md 5,
# "Session ended", its queries as typed; NXDOMAIN; a malformed answer reported;
# a silent server asked twice, then reported, without hanging.
set -u
PART=${WC_IT_DNS_PART:-}
if [ -z "$PART" ]; then
	NS="unshare -n"
	[ "$(id -u)" = 0 ] || NS="unshare -rn"
	$NS env WC_IT_DNS_PART=server bash "$0" || echo "not ok - dns server part ended with status $?"
	$NS env WC_IT_DNS_PART=client bash "$0" || echo "not ok - dns client part ended with status $?"
	exit 0
fi
source "$(dirname "$0")/lib.sh"
BIN=$(dirname "$WIRECHECK")
FIX=$TOP/fixtures/dns
ip link set lo up

for tool in dig kdig python3 ss; do
	command -v $tool >/dev/null || { not_ok "$tool is installed (Debian packages dnsutils, knot-dnsutils)"; exit 0; }
done

# wait_port PORT: something listens on UDP port PORT, within 5 s
wait_port() {
	local i
	for i in $(seq 100); do
		ss -Hlun "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# start_server PORT NAME ARGS...: dns-server in the background, stdout in
# $T/NAME.out, stderr in $T/NAME.err; sets $srv
start_server() {
	local port=$1 name=$2
	shift 2
	"$BIN/dns-server" --port "$port" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	srv=$!
	if ! wait_port "$port"; then
		not_ok "dns-server listens on UDP port $port"
		show "$T/$name.err"
		return 1
	fi
}

# stop_server NAME: SIGTERM, and the server must end with status 0
stop_server() {
	local st=0
	kill -TERM "$srv" 2>/dev/null
	wait "$srv" || st=$?
	[ $st -eq 0 ] || { echo "# $1: status $st on SIGTERM"; show "$T/$1.err"; return 1; }
}

# The bytes of a fixture, as python3 literals; used by the helpers below.
cat >"$T/fix.py" <<'EOF'
def hexfile(path):
    """The bytes of a .hex file: pairs of hex digits; '#' starts a comment."""
    out = bytearray()
    with open(path) as f:
        for line in f:
            out += bytes(int(t, 16) for t in line.split("#", 1)[0].split())
    return bytes(out)
EOF

server_part() {
	start_server 12000 srv --verbose || exit 0

	# ---- the golden exchanges, and the server's printout of them ----
	cat >"$T/golden.py" <<'EOF'
import os, socket, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from fix import hexfile
fix, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = ["google.com", "youtube.com", "uwaterloo.ca", "wikipedia.org", "amazon.ca", "unknown.example",
         "GoOgLe.CoM", "formerr", "loop", "notimp"]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
bad = 0
sent = []  # (request, response or None), in order, for the printout check
for n in names:
    q = hexfile(os.path.join(fix, n + ".query.hex"))
    want = hexfile(os.path.join(fix, n + ".response.hex"))
    if n == "formerr":
        # first the 5-byte datagram, which gets no answer: the next datagram
        # received must then be the answer to the next query
        short = hexfile(os.path.join(fix, "short.query.hex"))
        s.sendto(short, ("127.0.0.1", port))
        sent.append((short, None))
    s.sendto(q, ("127.0.0.1", port))
    try:
        got = s.recv(65536)
    except socket.timeout:
        got = None
    sent.append((q, got))
    if got == want:
        print("ok - dns-server: %s.query.hex gets %s.response.hex byte for byte" % (n, n))
    else:
        print("# expected %s\n# got      %s" % (want.hex(" "), got.hex(" ") if got is not None else "nothing"))
        print("not ok - dns-server: %s.query.hex gets %s.response.hex byte for byte" % (n, n))
with open(log, "w") as f:
    for q, r in sent:
        f.write("%s %s\n" % (q.hex(), r.hex() if r is not None else "-"))
EOF
	python3 "$T/golden.py" "$FIX" 12000 "$T/golden.log"

	# The printout: blocks "Request:" + hex lines [+ "Response:" + hex lines],
	# 16 lower-case pairs a line, single spaces, equal to the bytes sent and got
	cat >"$T/printout.py" <<'EOF'
import re, sys
out, log = sys.argv[1], sys.argv[2]
want = []
for line in open(log):
    q, r = line.split()
    want.append((bytes.fromhex(q), None if r == "-" else bytes.fromhex(r)))
lines = open(out).read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
blocks, cur, errors = [], None, []
pat = re.compile(r"^[0-9a-f]{2}( [0-9a-f]{2}){0,15}$")
for i, l in enumerate(lines, 1):
    if l in ("Request:", "Response:"):
        if l == "Request:":
            cur = [bytearray(), None]
            blocks.append(cur)
        elif cur is None or cur[1] is not None:
            errors.append("line %d: Response: without its Request:" % i)
        else:
            cur[1] = bytearray()
        continue
    if not pat.match(l) or cur is None:
        errors.append("line %d: not a hex line of 1 to 16 pairs: %r" % (i, l))
        continue
    target = cur[1] if cur[1] is not None else cur[0]
    if len(target) % 16:
        errors.append("line %d: follows a line shorter than 16 bytes" % i)
    target += bytes.fromhex(l)
got = [(bytes(q), None if r is None else bytes(r)) for q, r in blocks[:len(want)]]
if len(blocks) < len(want):
    errors.append("%d exchanges printed, %d sent" % (len(blocks), len(want)))
def show(b):
    return "nothing" if b is None else b.hex(" ")
for k, (g, w) in enumerate(zip(got, want)):
    for what, pg, pw in (("request", g[0], w[0]), ("response", g[1], w[1])):
        if pg != pw:
            errors.append("exchange %d: %s printed %s" % (k + 1, what, show(pg)))
            errors.append("exchange %d: %s on the wire %s" % (k + 1, what, show(pw)))
for e in errors[:10]:
    print("# " + e)
sys.exit(1 if errors else 0)
EOF
	check "dns-server: stdout's Request:/Response: hex equals the bytes on the wire (11 datagrams)" \
		python3 "$T/printout.py" "$T/srv.out" "$T/golden.log"
	check "dns-server: under --verbose, one ' bytes from ' line on stderr per datagram" \
		test "$(grep -c '^dns-server: [0-9]* bytes from 127.0.0.1:' "$T/srv.err")" -eq 11

	# ---- dig and kdig ----
	dig @127.0.0.1 -p 12000 google.com +norec +time=2 +tries=1 >"$T/dig.out" 2>&1
	dig_google() {
		grep -q 'status: NOERROR' "$T/dig.out" &&
			grep -Eq '^;; flags: qr aa;' "$T/dig.out" &&
			grep -q 'ANSWER: 2,' "$T/dig.out" &&
			grep -Eq '^google\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.1$' "$T/dig.out" &&
			grep -Eq '^google\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.10$' "$T/dig.out" &&
			! grep -qi 'malformed\|warning' "$T/dig.out" || { show "$T/dig.out"; return 1; }
	}
	check "dig: google.com has 192.165.1.1 and 192.165.1.10, TTL 260, aa, NOERROR" dig_google

	kdig @127.0.0.1 -p 12000 google.com +norec +time=2 +retry=0 >"$T/kdig.out" 2>&1
	kdig_google() {
		grep -q 'status: NOERROR' "$T/kdig.out" &&
			grep -Eq '^;; Flags: qr aa;' "$T/kdig.out" &&
			grep -q 'ANSWER: 2;' "$T/kdig.out" &&
			grep -Eq '^google\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.1$' "$T/kdig.out" &&
			grep -Eq '^google\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.10$' "$T/kdig.out" &&
			! grep -qi 'malformed\|warning' "$T/kdig.out" || { show "$T/kdig.out"; return 1; }
	}
	check "kdig: google.com has 192.165.1.1 and 192.165.1.10, TTL 260, aa, NOERROR" kdig_google

	dig @127.0.0.1 -p 12000 unknown.example +norec +time=2 +tries=1 >"$T/nx.out" 2>&1
	dig_nx() {
		grep -q 'status: NXDOMAIN' "$T/nx.out" && grep -Eq '^;; flags: qr aa;' "$T/nx.out" &&
			grep -q 'ANSWER: 0,' "$T/nx.out" || { show "$T/nx.out"; return 1; }
	}
	check "dig: unknown.example gets NXDOMAIN with aa" dig_nx

	dig @127.0.0.1 -p 12000 GOOGLE.com +norec +time=2 +tries=1 >"$T/upper.out" 2>&1
	dig_upper() {
		grep -Eq '^;GOOGLE\.com\.\s+IN\s+A$' "$T/upper.out" &&
			grep -Eq '^GOOGLE\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.1$' "$T/upper.out" &&
			grep -Eq '^GOOGLE\.com\.\s+260\s+IN\s+A\s+192\.165\.1\.10$' "$T/upper.out" ||
			{ show "$T/upper.out"; return 1; }
	}
	check "dig: GOOGLE.com is answered, the question as asked" dig_upper

	# kdig prints names in lower case, whatever the message holds
	kdig @127.0.0.1 -p 12000 YouTube.COM +norec +time=2 +retry=0 >"$T/kyt.out" 2>&1
	check "kdig: YouTube.COM has 192.165.1.2, TTL 160" \
		grep -Eqi '^youtube\.com\.\s+160\s+IN\s+A\s+192\.165\.1\.2$' "$T/kyt.out"
	stop_server srv
	check "dns-server ends with status 0 on SIGTERM" test $? -eq 0

	# ---- a flood of random and hostile datagrams, then a normal query ----
	# stdout to /dev/null: 100,000 hex printouts are not kept
	"$BIN/dns-server" --port 12001 >/dev/null 2>"$T/flood.err" &
	srv=$!
	wait_port 12001 || { not_ok "dns-server listens on UDP port 12001"; exit 0; }
	cat >"$T/flood.py" <<'EOF'
import os, random, socket, struct, sys, time
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from fix import hexfile
fix, port, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
addr = ("127.0.0.1", port)
seed = int.from_bytes(os.urandom(4), "big")
rnd = random.Random(seed)
print("# flood seed %d" % seed)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)

def hdr(id_, flags, qd, an=0, ns=0, ar=0):
    return struct.pack("!6H", id_, flags, qd, an, ns, ar)

crafted = [
    hdr(1, 0, 1) + b"\xc0\x0c\x00\x01\x00\x01",                 # a pointer to itself
    hdr(2, 0, 1) + b"\xc0\x0e\xc0\x0c\x00\x01\x00\x01",         # two pointing at each other
    hdr(3, 0, 1) + b"\x01a\xc0\x0c\x00\x01\x00\x01",            # back to its own start
    hdr(4, 0, 1) + b"\xff\xff\x00\x01\x00\x01",                 # far past the end
    hdr(5, 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF),                  # huge counts, no body
    hdr(6, 0, 0xFFFF) + b"\x00\x00\x01\x00\x01" * 100,          # huge count, 100 root questions
    hdr(7, 0, 1, 0xFFFF) + b"\x06google\x03com\x00\x00\x01\x00\x01",  # huge ANCOUNT after a good question
    hdr(8, 0x8000, 1) + b"\x06google\x03com\x00\x00\x01\x00\x01",     # a response (QR 1)
    hdr(9, 0x7800, 1) + b"\x06google\x03com\x00\x00\x01\x00\x01",     # OPCODE 15
    hdr(10, 0, 1) + b"\x40" + b"x" * 64 + b"\x00\x00\x01\x00\x01",    # label type 01
    hdr(11, 0, 1) + (b"\x3f" + b"y" * 63) * 4 + b"\x00\x00\x01\x00\x01",  # 257-byte name
    hdr(12, 0, 1) + b"\x06google\x03com",                       # the question cut short
    hdr(13, 0, 1),                                              # a header alone
    hdr(14, 0, 1) + b"\x06google\x03com\x00\x00\xff\x00\xff",   # ANY ANY
    b"", b"\x00", b"\x12\x34\x01\x00\x00",                      # shorter than a header
]
query = hexfile(os.path.join(fix, "google.com.query.hex"))
want = hexfile(os.path.join(fix, "google.com.response.hex"))

def probe(id_):
    """Sends google.com with id_ until its answer comes (the server answers in
    order, so everything sent before was read); drains other answers. Returns
    the answer, or None after 10 s."""
    q = struct.pack("!H", id_) + query[2:]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        s.sendto(q, addr)
        s.settimeout(1)
        try:
            while True:
                r = s.recv(65536)
                if r[:2] == q[:2] and r[2] & 0x80:
                    return r
        except socket.timeout:
            pass
    return None

sent = 0
batch = 0
while sent < total:
    # 64 at most between probes: the server's receive buffer (rmem_default,
    # 208 KiB, some 2 KiB a datagram) then never overflows, so each is read
    for _ in range(min(64, total - sent)):
        k = rnd.random()
        if k < 0.05:
            d = rnd.choice(crafted)
        elif k < 0.40:  # a plausible header, then random bytes
            d = hdr(rnd.getrandbits(16), rnd.getrandbits(16) & 0x79FF, rnd.choice([0, 1, 1, 1, 2, 0xFFFF]),
                    rnd.choice([0, 0, 1, 0xFFFF]), 0, rnd.choice([0, 0, 1])) + \
                rnd.randbytes(rnd.randint(0, 588))
        else:
            d = rnd.randbytes(rnd.randint(0, 600))
        s.sendto(d, addr)
        sent += 1
    batch += 1
    if probe(batch) is None:
        print("# no answer to the probe after %d datagrams" % sent)
        print("not ok - dns-server: answers after each batch of a flood of %d datagrams" % total)
        sys.exit(0)
print("ok - dns-server: answers after each batch of a flood of %d datagrams" % total)
r = probe(0x1a2b)
if r == want:
    print("ok - dns-server: after the flood, google.com.query.hex still gets google.com.response.hex")
else:
    print("# got %s" % (r.hex(" ") if r else "nothing"))
    print("not ok - dns-server: after the flood, google.com.query.hex still gets google.com.response.hex")
EOF
	timeout 300 python3 "$T/flood.py" "$FIX" 12001 100000 ||
		not_ok "dns-server: the flood ran to its end (status $?)"
	check "dns-server: alive after the flood" kill -0 "$srv"
	check "dns-server: nothing on stderr during the flood" test ! -s "$T/flood.err"
	[ -s "$T/flood.err" ] && show "$T/flood.err" | head -5
	stop_server flood
	check "dns-server ends with status 0 on SIGTERM after the flood" test $? -eq 0
}

client_part() {
	start_server 12000 csrv || exit 0

	# The session of LABS.md 5, and the queries as sent: as typed, RD 0
	printf 'google.com\nYouTube.com\nend\n' |
		timeout 10 "$BIN/dns-client" >"$T/client.out" 2>"$T/client.err"
	st=$?
	printf '%s' "Enter Domain Name: google.com: type A, class IN, TTL 260, addr (4) 192.165.1.1
google.com: type A, class IN, TTL 260, addr (4) 192.165.1.10
Enter Domain Name: YouTube.com: type A, class IN, TTL 160, addr (4) 192.165.1.2
Enter Domain Name: Session ended
" >"$T/client.want"
	session() {
		[ $st -eq 0 ] && cmp -s "$T/client.out" "$T/client.want" && [ ! -s "$T/client.err" ] || {
			echo "# status $st; stdout, then what was wanted, then stderr:"
			show "$T/client.out"
			show "$T/client.want"
			show "$T/client.err"
			return 1
		}
	}
	check "dns-client: google.com, YouTube.com, end: the LABS.md lines, 'Session ended', status 0" session
	# The server printed the two queries: after the ID, the golden query's
	# bytes for google.com, and YouTube.com's labels as typed
	queries() {
		python3 - "$T/csrv.out" "$FIX" "$T" <<'EOF'
import os, sys
sys.path.insert(0, sys.argv[3])
from fix import hexfile
reqs, cur = [], None
for l in open(sys.argv[1]).read().splitlines():
    if l == "Request:":
        cur = bytearray(); reqs.append(cur)
    elif l == "Response:":
        cur = None
    elif cur is not None:
        cur += bytes.fromhex(l)
g = hexfile(os.path.join(sys.argv[2], "google.com.query.hex"))
y = g[:12] + b"\x07YouTube\x03com\x00\x00\x01\x00\x01"
ok = len(reqs) == 2 and reqs[0][2:] == g[2:] and reqs[1][2:] == y[2:]
if not ok:
    print("# queries: %s" % [bytes(r).hex(" ") for r in reqs])
sys.exit(0 if ok else 1)
EOF
	}
	check "dns-client: its queries are RFC 1035 queries for the names as typed, RD 0" queries

	printf 'unknown.example\n  END  \n' | timeout 10 "$BIN/dns-client" >"$T/nx.out" 2>&1
	st=$?
	nx() {
		[ $st -eq 0 ] && [ "$(cat "$T/nx.out")" = "Enter Domain Name: unknown.example: no such name (NXDOMAIN)
Enter Domain Name: Session ended" ] || { echo "# status $st"; show "$T/nx.out"; return 1; }
	}
	check "dns-client: a name not in the table prints 'no such name (NXDOMAIN)'; '  END  ' ends" nx

	printf 'amazon.ca' | timeout 10 "$BIN/dns-client" --rd >"$T/eof.out" 2>&1
	st=$?
	eof() {
		[ $st -eq 0 ] && [ "$(cat "$T/eof.out")" = "Enter Domain Name: amazon.ca: type A, class IN, TTL 160, addr (4) 192.165.1.5
Enter Domain Name: " ] || { echo "# status $st"; show "$T/eof.out"; echo; return 1; }
	}
	check "dns-client: the end of input ends the session, status 0 (the last line without its newline)" eof
	check "dns-client: --rd sets RD" grep -q '^[0-9a-f]\{2\} [0-9a-f]\{2\} 01 00 00 01' "$T/csrv.out"
	stop_server csrv

	# A server that first answers with the wrong ID (ignored), then with a
	# malformed message (reported), then no more; and a silent one
	cat >"$T/fake.py" <<'EOF'
import socket, sys
port, mode, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
n = 0
with open(log, "w") as f:
    while True:
        d, peer = s.recvfrom(65536)
        if d == b"MARK":
            break
        n += 1
        f.write(d.hex() + "\n")
        f.flush()
        if mode == "malformed" and len(d) >= 12:
            wrong = bytes([d[0] ^ 0xFF, d[1]]) + b"\x84\x00" + d[4:]
            s.sendto(wrong, peer)
            # ANCOUNT 1, but the answer's RDATA is cut
            s.sendto(d[:2] + b"\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00" + d[12:] +
                     b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x10\x00\x04\xc0\xa5", peer)
print(n)
EOF
	# fake PORT MODE NAME: the fake server in the background, its count in $T/NAME.count
	fake() {
		python3 "$T/fake.py" "$1" "$2" "$T/$3.log" >"$T/$3.count" 2>&1 &
		fake_pid=$!
		wait_port "$1"
	}
	# mark PORT: ends the fake server, after all it has received
	mark() {
		printf MARK >/dev/udp/127.0.0.1/"$1"
		wait $fake_pid
	}

	fake 12003 malformed bad || not_ok "the fake server listens"
	printf 'google.com\nend\n' | timeout 10 "$BIN/dns-client" --port 12003 >"$T/bad.out" 2>&1
	st=$?
	mark 12003
	bad_answer() {
		[ $st -eq 0 ] && grep -q '^Enter Domain Name: google.com: malformed response (answer record 1 of 1: ' \
			"$T/bad.out" && grep -q 'Session ended$' "$T/bad.out" && [ "$(cat "$T/bad.count")" = 1 ] || {
			echo "# status $st, $(cat "$T/bad.count") datagrams"
			show "$T/bad.out"
			return 1
		}
	}
	check "dns-client: a malformed answer is reported (one with a wrong ID ignored), then the session goes on" \
		bad_answer

	fake 12002 silent silent || not_ok "the silent server listens"
	start=$(date +%s%N)
	printf 'google.com\nend\n' | timeout 10 "$BIN/dns-client" --port 12002 --timeout 300 >"$T/silent.out" \
		2>"$T/silent.err"
	st=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	mark 12002
	silent() {
		[ $st -eq 0 ] && [ "$(cat "$T/silent.count")" = 2 ] &&
			[ "$(cat "$T/silent.err")" = "google.com: no answer from 127.0.0.1:12002" ] &&
			[ "$(cat "$T/silent.out")" = "Enter Domain Name: Enter Domain Name: Session ended" ] &&
			[ "$(sort -u "$T/silent.log" | wc -l)" = 1 ] && [ $ms -ge 600 ] && [ $ms -lt 5000 ] || {
			echo "# status $st, $(cat "$T/silent.count") datagrams, ${ms} ms; stdout, stderr:"
			show "$T/silent.out"
			show "$T/silent.err"
			return 1
		}
	}
	check "dns-client: a silent server gets the query twice (--timeout 300: 600 ms), then 'no answer', status 0" \
		silent
}

case $PART in
server) server_part ;;
client) client_part ;;
esac
