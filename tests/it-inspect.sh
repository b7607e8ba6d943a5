#!/usr/bin/env bash
# wirecheck inspect: a capture someone brings, checked by the lab's rules with
# no scenario (each DNS response against its query, each HTTP response), in the
# same report formats; --fields decodes instead.
set -u
source "$(dirname "$0")/lib.sh"
M=$TOP/tests/mutants

# captures to bring: the reference's, an AA 0 DNS server's, Python's http.server's
wcrun "$T/ref.out" run dns/answer-google.com http/get-hello --captures "$T/cap"
wcrun "$T/aa.out" run dns/answer-google.com --server "python3 aa-zero.py" --dir "$M/dns" --captures "$T/cap"
mkdir -p "$T/empty"
wcrun "$T/py.out" run http/get-hello --server "python3 -m http.server 8000" --dir "$T/empty" --captures "$T/cap"

wcrun "$T/i1.out" inspect "$T/cap/reference/dns/answer-google.com.pcap"
check "reference DNS capture: exit 0" test "$rc" -eq 0
check "reference DNS capture: the query and the response pass" \
	bash -c "grep -q '^PASS  dns/frame-1-query' '$T/i1.out' && grep -q '^PASS  dns/frame-2-response' '$T/i1.out'"
wcrun "$T/i2.out" inspect "$T/cap/dns/dns/answer-google.com.pcap"
check "AA 0 capture: exit 1" test "$rc" -eq 1
check "AA 0 capture: the response fails on AA" fails_with "$T/i2.out" dns/frame-2-response "AA: expected 1, got 0"
wcrun "$T/i3.out" inspect "$T/cap/reference/http/get-hello.pcap"
check "reference HTTP capture: the response passes" bash -c "[ $rc -eq 0 ] && grep -q '^PASS  http/frame-' '$T/i3.out'"
wcrun "$T/i4.out" inspect "$T/cap/empty/http/get-hello.pcap" --lab http
check "http.server capture: Connection missing" bash -c "[ $rc -eq 1 ] && grep -q '^FAIL  http/frame-.*Connection: missing' '$T/i4.out'"
# the same formats as run: JUnit on stdout, well formed; several into a folder
"$WIRECHECK" inspect "$T/cap/dns/dns/answer-google.com.pcap" --format junit >"$T/i.xml" 2>/dev/null
check "--format junit: well-formed XML with the failure" \
	bash -c "xmllint --noout '$T/i.xml' && grep -q '<failure message=\"AA: expected 1, got 0\"' '$T/i.xml'"
wcrun "$T/i5.out" inspect "$T/cap/dns/dns/answer-google.com.pcap" --format json,html --out "$T/rep"
check "--out: json and html files" test -s "$T/rep/wirecheck.json" -a -s "$T/rep/report.html"
wcrun "$T/i6.out" inspect --fields "$T/cap/reference/dns/answer-google.com.pcap"
check "--fields: the decoded messages" has "$T/i6.out" "^frame=2	proto=dns	id=0x1a2b	qr=1	.*an.a=192.165.1.1,192.165.1.10$"
wcrun "$T/i7.out" inspect "$T/cap/reference/dns/answer-google.com.pcap" --lab ftp
check "--lab ftp: usage error" bash -c "[ $rc -eq 2 ] && grep -q \"not 'ftp'\" '$T/i7.out'"
echo "not a capture" >"$T/bad.pcap"
wcrun "$T/i8.out" inspect "$T/bad.pcap"
check "not a pcap: exit 2 and why" bash -c "[ $rc -eq 2 ] && grep -q 'bad.pcap' '$T/i8.out'"
check "nothing left behind" no_leftovers
