#!/usr/bin/env bash
# The main job: the references pass every scenario, and every capture is a
# pcap that tshark reads with no malformed packet and the expected datagrams.
set -u
source "$(dirname "$0")/lib.sh"

wcrun "$T/conform.out" run -j 2 --captures "$T/cap"
check "reference: exit status 0" test "$rc" -eq 0
check "reference: nothing failed" has "$T/conform.out" "^[0-9]+ passed, 0 failed$"
check "reference: no ERROR line" bash -c "! grep -q '^ERROR' '$T/conform.out'"
[ "$rc" -eq 0 ] || show "$T/conform.out"

check "tshark reads every capture cleanly (90 or more)" pcaps_clean "$T/cap/reference" 90

# tshark, the independent witness, decodes every DNS and HTTP message of the
# run with the field values wirecheck's decoders give (wirecheck inspect).
python3 "$TOP/tests/tshark-fields.py" "$WIRECHECK" "$T/cap/reference/dns" "$T/cap/reference/http"
# ... and the comparison catches a decoder that is off in one field
printf '#!/bin/sh\n"%s" "$@" | sed -e s/an.ttl=260/an.ttl=261/ -e s/content-length=139/content-length=138/\n' \
	"$WIRECHECK" >"$T/off-by-one"
chmod +x "$T/off-by-one"
python3 "$TOP/tests/tshark-fields.py" "$T/off-by-one" "$T/cap/reference/dns" "$T/cap/reference/http" >"$T/off.out"
check "tshark comparison: a wrong TTL is caught" has "$T/off.out" "^not ok - .* DNS"
check "tshark comparison: a wrong Content-Length is caught" has "$T/off.out" "^not ok - .* HTTP"

# The datagrams of basic.pcap, as tshark decodes them: request then reply.
fields=$(tshark -r "$T/cap/reference/udp-echo/basic.pcap" -d udp.port==12000,data \
	-T fields -e udp.srcport -e udp.dstport -e data.data 2>/dev/null)
req=$(echo "$fields" | sed -n 1p)
rep=$(echo "$fields" | sed -n 2p)
check "basic.pcap: 2 frames" test "$(echo "$fields" | grep -c .)" -eq 2
check "basic.pcap: request 'hello world' to 12000" test "$(echo "$req" | cut -f2,3)" = "12000	68656c6c6f20776f726c64"
check "basic.pcap: reply 'HELLO WORLD' from 12000" test "$(echo "$rep" | cut -f1,3)" = "12000	48454c4c4f20574f524c44"

# The client scenario's capture shows the client's line without its newline.
line=$(tshark -r "$T/cap/reference/udp-echo/client-no-newline.pcap" -T fields -e udp.length -e data.data \
	-d udp.port==1-65535,data 2>/dev/null | head -1)
check "client capture: 'hello world' with no newline" test "$line" = "19	68656c6c6f20776f726c64"

check "nothing left behind" no_leftovers
