#!/usr/bin/env bash
# Independent witnesses for the http and dns labs (LABS.md 4 and 5): real
# servers, not written by us, graded by wirecheck, every scenario's outcome
# asserted, so that a check that wrongs a correct server shows up here:
#  - nginx (Debian nginx-light), run in the foreground from the folder the
#    harness prepares, with tests/witness/nginx/nginx.conf: passes every MUST
#    and SHOULD;
#  - Python's http.server: an HTTP/1.0 server that sends no Connection header
#    (the one MUST that grades it fails, once) and answers a request line it cannot
#    read HTTP/0.9-style, a page with no status line;
#  - NSD (Debian nsd), an authoritative server loaded with fixtures/dns/table,
#    one zone per name: answers byte for byte as the lab asks; REFUSED, not
#    NXDOMAIN, outside its zones; prints no hex.
# tshark then reads every capture (tests/tshark-fields.py compares its fields
# with `wirecheck inspect`), and says which status or RCODE each server sent.
# dig and kdig are driven against the reference server by tests/it-refs-dns.sh.
set -u
source "$(dirname "$0")/lib.sh"

for tool in nginx nsd tshark python3 xxd; do
	PATH=$PATH:/usr/sbin command -v $tool >/dev/null ||
		{ not_ok "$tool is installed (Debian packages nginx-light, nsd, tshark, python3, xxd)"; exit 0; }
done
NGINX=$(PATH=$PATH:/usr/sbin command -v nginx)
NSD=$(PATH=$PATH:/usr/sbin command -v nsd)

# statuses CAP PORT WANT: the status codes of the HTTP responses from PORT, in
# order, as tshark reads them, are WANT (blank-separated; '' for none)
statuses() {
	local got
	got=$(tshark -r "$1" -d "tcp.port==$2,http" -Y "http.response && tcp.srcport == $2" \
		-T fields -e http.response.code 2>/dev/null | tr '\n' ' ')
	[ "${got% }" = "$3" ] || { echo "# $1: statuses '${got% }', wanted '$3'"; return 1; }
}

# sent CAP PORT TEXT: the bytes the server (PORT) sent, joined, begin with TEXT
sent() {
	local got
	got=$(tshark -r "$1" -d "tcp.port==1-65535,data" -Y "data && tcp.srcport == $2" -T fields -e data.data \
		2>/dev/null | tr -d '\n' | xxd -r -p | head -c ${#3})
	[ "$got" = "$3" ] || { echo "# $1: server sent '$got'..., wanted '$3'"; return 1; }
}

# dns_replies CAP PORT WANT: the DNS messages from PORT, in order, as tshark
# reads them, each 'ID/RCODE/AA/QDCOUNT/ANCOUNT/NSCOUNT' (tshark's own spelling),
# are WANT (blank-separated)
dns_replies() {
	local got
	got=$(tshark -r "$1" -d "udp.port==$2,dns" -Y "dns && udp.srcport == $2" -T fields -E separator=, \
		-e dns.id -e dns.flags.rcode -e dns.flags.authoritative -e dns.count.queries -e dns.count.answers \
		-e dns.count.auth_rr 2>/dev/null | tr ',\n' '/ ')
	[ "${got% }" = "$3" ] || { echo "# $1: replies '${got% }', wanted '$3'"; return 1; }
}

# fields_agree DIR: tests/tshark-fields.py prints only ok lines for DIR
fields_agree() {
	local res
	res=$(python3 "$TOP/tests/tshark-fields.py" "$WIRECHECK" "$1" 2>&1)
	echo "$res" | sed 's/^/# /'
	echo "$res" | grep -q '^ok - ' && ! echo "$res" | grep -qv '^ok - '
}

# ---- nginx: every graded scenario passes ----
# One process (master_process off), in the foreground, every path inside the
# prefix, which is the private working folder holding the docroot.
NAME=nginx
out=$T/nginx.out
wcrun "$out" run http --server "$NGINX -p \"\$PWD/\" -c nginx.conf -e stderr -g 'daemon off;'" \
	--dir "$TOP/tests/witness/nginx" --name nginx --captures "$T/cap" -j 4
check "witness nginx: exit status 0" test "$rc" -eq 0
# nginx follows symbolic links (disable_symlinks off, its default): the
# harness's secret.html comes back through escape.html.
outcomes "$out" http server plain \
	"symlink-out=INFO:A: served a file from outside its folder (the harness's secret.html beside it)"
[ "$rc" -eq 0 ] || show "$out"
check "witness nginx: bound 0.0.0.0:8080" has "$out" 'server bound tcp 0\.0\.0\.0:8080'
C=$T/cap/nginx/http
check "witness nginx: directory: 403 for /pages/ (no index, autoindex off), then 200" \
	statuses "$C/directory.pcap" 8080 "403 200"
check "witness nginx: version-505: 505 for HTTP/2.0" statuses "$C/version-505.pcap" 8080 505
check "witness nginx: malformed-400: 400 for 'HELLO THERE'" statuses "$C/malformed-400.pcap" 8080 400
check "witness nginx: method-501: 405 for DELETE" statuses "$C/method-501.pcap" 8080 405
for id in traversal-dotdot traversal-encoded traversal-nested; do
	check "witness nginx: $id: 400 (a path above the root)" statuses "$C/$id.pcap" 8080 400
done
check "witness nginx: symlink-out: 200, the secret served" statuses "$C/symlink-out.pcap" 8080 200
check "witness nginx: keep-alive: two 200s on one connection" statuses "$C/keep-alive.pcap" 8080 "200 200"
check "witness nginx: tshark agrees with wirecheck on every message" fields_agree "$C"

# ---- Python's http.server: HTTP/1.0, no Connection header ----
# It answers 'HTTP/1.0 200 OK' without Connection and closes: connection-header,
# which grades Connection, fails; keep-alive sees the same missing header and
# leaves it to connection-header (one fault, one deduction). 'HELLO THERE' (two words) and a request for
# HTTP/2.0 are answered before the version is taken, in HTTP/0.9 style: the
# error page alone, no status line (400 and 505 in the page's text).
# header-no-colon: Python's header parser (email.feedparser) takes a line
# without ':' for the end of the head, notes a defect and goes on; the request
# line alone is served, 200.
NAME=http.server
out=$T/python.out
mkdir -p "$T/empty"
wcrun "$out" run http --server "python3 -m http.server 8000" --dir "$T/empty" --name python \
	--captures "$T/cap" -j 4
check "witness http.server: exit status 1" test "$rc" -eq 1
outcomes "$out" http server plain \
	"connection-header=FAIL:A: Connection: missing" \
	"malformed-400=WARN:A: not an HTTP response: status line: no version HTTP/x.y" \
	"version-505=INFO:A: not an HTTP response: status line: no version HTTP/x.y" \
	"header-no-colon=WARN:A: status 200 OK, expected 400 Bad Request" \
	"symlink-out=INFO:A: served a file from outside its folder (the harness's secret.html beside it)"
[ "$rc" -eq 1 ] || show "$out"
check "witness http.server: its one MUST failure is connection-header (one fault, one deduction)" \
	test "$(grep -cE '^FAIL +http/[^ ]+ +MUST ' "$out")" -eq 1
check "witness http.server: bound 0.0.0.0:8000" has "$out" 'server bound tcp 0\.0\.0\.0:8000'
C=$T/cap/python/http
check "witness http.server: directory: 200, a listing of /pages/, then 200" \
	statuses "$C/directory.pcap" 8000 "200 200"
check "witness http.server: method-501: 501 for DELETE" statuses "$C/method-501.pcap" 8000 501
for id in traversal-dotdot traversal-encoded traversal-nested; do
	check "witness http.server: $id: 404 (the path is cut at the root)" statuses "$C/$id.pcap" 8000 404
done
check "witness http.server: malformed-400: an error page with no status line" \
	sent "$C/malformed-400.pcap" 8000 '<!DOCTYPE HTML>'
check "witness http.server: version-505: an error page with no status line" \
	sent "$C/version-505.pcap" 8000 '<!DOCTYPE HTML>'
check "witness http.server: keep-alive: one response, HTTP/1.0, then the end" \
	sent "$C/keep-alive.pcap" 8000 'HTTP/1.0 200 OK'
check "witness http.server: tshark agrees with wirecheck on every message" fields_agree "$C"

# ---- NSD, an authoritative server, loaded with fixtures/dns/table ----
# One zone per name of the table (a course's edited table is followed): SOA and
# NS at the apex (the NS out of the zones, so no glue), the A records with the
# table's TTLs. minimal-responses keeps the NS out of the authority section of
# an answer, as the lab's format has it; round-robin off keeps the table's
# order. Every path is relative to the working folder (zonesdir ""), no
# database, no setuid, no remote control.
# IPv4 alone (do-ip6: no): with IPv6 too, NSD binds [::]:5353 (IPV6_V6ONLY)
# a moment before 0.0.0.0:5353; wirecheck may find [::] first, aim at
# 127.0.0.1 and send before the IPv4 socket exists: ICMP port unreachable,
# 'no reply within 2000 ms' (about one scenario in 400, reported to the
# harness's owner).
NAME=nsd
N=$T/nsd
mkdir -p "$N"
cat >"$N/nsd.conf" <<'EOF'
server:
	port: 5353
	do-ip6: no
	server-count: 1
	username: ""
	chroot: ""
	zonesdir: ""
	database: ""
	zonelistfile: "zone.list"
	xfrdfile: "xfrd.state"
	xfrdir: "."
	pidfile: "nsd.pid"
	cookie-secret-file: "cookiesecrets.txt"
	minimal-responses: yes
	round-robin: no
	verbosity: 1
remote-control:
	control-enable: no
EOF
awk -v dir="$N" '
	{ sub(/#.*/, "") }
	NF >= 3 {
		name = tolower($1); sub(/\.$/, "", name)
		f = dir "/" name ".zone"
		print "$ORIGIN " name "." > f
		print "$TTL 3600" > f
		print "@ IN SOA ns.witness.invalid. hostmaster.witness.invalid. 1 3600 900 604800 60" > f
		print "@ IN NS ns.witness.invalid." > f
		for (i = 3; i <= NF; i++) print "@ " $2 " IN A " $i > f
		close(f)
		printf "zone:\n\tname: \"%s\"\n\tzonefile: \"%s.zone\"\n", name, name >> (dir "/nsd.conf")
		n++
	}
	END { exit n == 0 }' "$TOP/fixtures/dns/table"
check "witness nsd: a zone for every name of fixtures/dns/table" test "$(ls "$N"/*.zone | wc -l)" -eq \
	"$(sed 's/#.*//' "$TOP/fixtures/dns/table" | awk 'NF >= 3' | wc -l)"
check "witness nsd: nsd-checkconf accepts nsd.conf" \
	sh -c "cd '$N' && PATH=\$PATH:/usr/sbin nsd-checkconf nsd.conf"
out=$T/nsd.out
wcrun "$out" run dns --server "$NSD -d -c nsd.conf" --dir "$N" --name nsd --captures "$T/cap" -j 4
check "witness nsd: exit status 1" test "$rc" -eq 1
# nxdomain: unknown.example is in none of NSD's zones. An authoritative-only
# server can say a name does not exist (NXDOMAIN, AA 1, the SOA in authority)
# only inside a zone it holds; outside them NSD refuses: REFUSED (RCODE 5),
# AA 0. The lab's server treats its table as the whole name space and answers
# NXDOMAIN with AA 1. The RCODE differs; AA is not judged under another RCODE.
# three-labels: www.google.com is inside NSD's zone google.com, so NSD says it
# does not exist with authority: NXDOMAIN, AA 1 and the zone's SOA in the
# authority section (RFC 2308 2.1), which an NXDOMAIN may carry: it passes.
# printed-hex: NSD prints no hex on standard output.
outcomes "$out" dns server plain \
	"nxdomain=WARN:A: RCODE: expected 3 (NXDOMAIN), got 5 (REFUSED)" \
	"printed-hex=FAIL:the server printed no 'Request:' for the datagram of frame 1"
[ "$rc" -eq 1 ] || show "$out"
bound_every() {
	local n b
	n=$(grep -cE '^(PASS|FAIL|WARN|info|INFO) +dns/' "$out")
	b=$(grep -cE 'server bound udp 0\.0\.0\.0:5353' "$out")
	[ "$n" -gt 0 ] && [ "$b" -eq "$n" ] || { echo "# bound 5353 in $b of $n scenarios"; return 1; }
}
check "witness nsd: bound 0.0.0.0:5353 in every scenario" bound_every
C=$T/cap/nsd/dns
check "witness nsd: nxdomain: REFUSED, AA 0, no authority" dns_replies "$C/nxdomain.pcap" 5353 "0x6e7f/5/0/1/0/0"
# FORMERR with the query's ID, the question left out (QDCOUNT 0)
check "witness nsd: formerr: FORMERR, ID 0x8c9d" dns_replies "$C/formerr.pcap" 5353 "0x8c9d/1/0/0/0/0"
check "witness nsd: loop-formerr: FORMERR, ID 0x9eaf" dns_replies "$C/loop-formerr.pcap" 5353 "0x9eaf/1/0/0/0/0"
check "witness nsd: notimp: NOTIMP" has "$out" '^info +dns/notimp '
check "witness nsd: three-labels: NXDOMAIN, AA 1, the SOA in authority" \
	dns_replies "$C/three-labels.pcap" 5353 "0x3c5d/3/1/1/0/1"
check "witness nsd: answer-google.com: two answers, no authority" \
	dns_replies "$C/answer-google.com.pcap" 5353 "0x1a2b/0/1/1/2/0"
check "witness nsd: tshark agrees with wirecheck on every message" fields_agree "$C"

check "witness web-dns: every capture clean in tshark" pcaps_clean "$T/cap" 52
check "nothing left behind" no_leftovers
