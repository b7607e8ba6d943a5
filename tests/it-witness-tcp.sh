#!/usr/bin/env bash
# Independent TCP witnesses, not written by us, graded by wirecheck, every
# scenario's outcome asserted:
#  - socat + tr as the tcp-echo server (tests/witness/socat-tcp-upper-server.sh):
#    a child per connection (fork), so it is concurrent; it never closes a
#    connection by itself and knows nothing of 'quit', which it echoes;
#  - socat + sed as the name-echo server (tests/witness/socat-name-server.sh);
#  - netcat as the tcp-echo clients (tests/witness/nc-tcp-client.sh) and as
#    the name-echo line client.
# tshark, independently of wirecheck, reads what the captures hold.
set -u
source "$(dirname "$0")/lib.sh"

D=$TOP/tests/witness

# streams CAP PORT UP DOWN: all the bytes to the server (port PORT) are UP,
# all the bytes from it DOWN (printf %b escapes)
streams() {
	local f=$1 port=$2 up down
	up=$(tshark -r "$f" -d tcp.port==1-65535,data -Y "data && tcp.dstport == $port" -T fields -e data.data \
		2>/dev/null | tr -d '\n')
	down=$(tshark -r "$f" -d tcp.port==1-65535,data -Y "data && tcp.srcport == $port" -T fields -e data.data \
		2>/dev/null | tr -d '\n')
	[ "$up" = "$(printf %b "$3" | od -An -tx1 | tr -d ' \n')" ] &&
		[ "$down" = "$(printf %b "$4" | od -An -tx1 | tr -d ' \n')" ] ||
		{ echo "# $f: up '$up', down '$down'"; return 1; }
}

# frames CAP FILTER N: N frames match the display FILTER
frames() {
	local n
	n=$(tshark -r "$1" -Y "$2" 2>/dev/null | grep -c '')
	[ "$n" -eq "$3" ] || { echo "# $1: $n frames match '$2', wanted $3"; return 1; }
}

# fins CAP PORT N: the server (PORT) sent N FINs
fins() {
	local n
	n=$(tshark -r "$1" -Y "tcp.srcport == $2 && tcp.flags.fin == 1" 2>/dev/null | grep -c '')
	[ "$n" -eq "$3" ] || { echo "# $1: $n FINs from port $2, wanted $3"; return 1; }
}


L=tcp-echo
QUIT_ECHOED="A: 4 more bytes came before the end of the connection"

# socat + tr, in each variant
NAME=socat
for v in oneshot session concurrent; do
	out=$T/socat-$v.out
	wcrun "$out" run $L --server 'sh socat-tcp-upper-server.sh' --dir "$D" --variant $v --name socat-$v \
		--captures "$T/cap" -j 2
	check "witness socat ($v): exit status 1" test "$rc" -eq 1
	case $v in
	oneshot)
		# it never closes by itself: the client's 'expect closed' waits in vain
		outcomes "$out" $L server $v \
			"oneshot-basic=FAIL:A: the server did not close the connection: the server is blocked, nothing will wake it" \
			"oneshot-next-client=FAIL:A: the server did not close the connection: the server is blocked, nothing will wake it"
		;;
	session)
		outcomes "$out" $L server $v "session=FAIL:$QUIT_ECHOED" "session-next-client=FAIL:$QUIT_ECHOED"
		;;
	concurrent)
		# concurrent thanks to fork: C, B and A are answered in turn; then
		# C's 'quit' comes back as 'QUIT\n'
		outcomes "$out" $L server $v "session=FAIL:$QUIT_ECHOED" "session-next-client=FAIL:$QUIT_ECHOED" \
			"concurrent-three=FAIL:C: 4 more bytes came before the end of the connection"
		;;
	esac
	[ "$rc" -eq 1 ] || show "$out"
done
check "witness socat: bound 0.0.0.0:12000" has "$T/socat-oneshot.out" 'server bound tcp 0\.0\.0\.0:12000'
C=$T/cap/socat-oneshot/$L
check "witness socat: oneshot-basic.pcap holds the request and the reply" \
	tcp_payloads "$C/oneshot-basic.pcap" 12000 '>:hello world\n' '<:HELLO WORLD\n'
check "witness socat: segmented.pcap: three pieces in, the line back whole" \
	streams "$C/segmented.pcap" 12000 'split into three pieces\n' 'SPLIT INTO THREE PIECES\n'
check "witness socat: segmented.pcap: three segments to the server" \
	frames "$C/segmented.pcap" 'tcp.dstport == 12000 && tcp.len > 0' 3
C=$T/cap/socat-concurrent/$L
# (the scenario stops at C's 'expect closed', which waits in vain)
check "witness socat: concurrent-three.pcap: C answered before B spoke, QUIT echoed" \
	tcp_payloads "$C/concurrent-three.pcap" 12000 '>:third to connect\n' '<:THIRD TO CONNECT\n' '>:second\n' \
	'<:SECOND\n' '>:first, finally\n' '<:FIRST, FINALLY\n' '>:quit' '<:QUIT'
C=$T/cap/socat-session/$L
check "witness socat: session.pcap: every message echoed, quit too" \
	tcp_payloads "$C/session.pcap" 12000 '>:one' '<:ONE' '>:two two' '<:TWO TWO' '>:three, 3' \
	'<:THREE, 3' '>:quit' '<:QUIT'

# socat + sed as the name-echo server: every scenario passes; the line end of
# the reply is the line end of the request
L=name-echo
out=$T/socat-name.out
wcrun "$out" run $L --server 'sh socat-name-server.sh' --dir "$D" --name socat-name --captures "$T/cap" -j 2
check "witness socat-name: exit status 0" test "$rc" -eq 0
outcomes "$out" $L server plain
[ "$rc" -eq 0 ] || show "$out"
C=$T/cap/socat-name/$L
check "witness socat-name: basic.pcap: LF lines, LF replies" tcp_payloads "$C/basic.pcap" 12000 \
	'>:Hello\n' '<:Hello Ali\n' '>:Good morning, 9am\n' '<:Good morning, 9am Ali\n'
check "witness socat-name: crlf.pcap: CRLF lines, CRLF replies" tcp_payloads "$C/crlf.pcap" 12000 \
	'>:Hello\r\n' '<:Hello Ali\r\n' '>:from telnet\r\n' '<:from telnet Ali\r\n'
check "witness socat-name: two-lines.pcap: two lines in, two replies out" tcp_payloads "$C/two-lines.pcap" 12000 \
	'>:one\ntwo\n' '<:one Ali\ntwo Ali\n' '>:three\n' '<:three Ali\n'

# netcat as the clients
NAME=nc
L=tcp-echo
out=$T/nc-oneshot.out
wcrun "$out" run $L --client 'sh nc-tcp-client.sh' --dir "$D" --variant oneshot --name nc-oneshot \
	--captures "$T/cap"
check "witness nc (oneshot): exit status 0" test "$rc" -eq 0
outcomes "$out" $L client oneshot
[ "$rc" -eq 0 ] || show "$out"
check "witness nc (oneshot): aimed at 127.0.0.1:12000, reported" has "$out" "client sent to 127\.0\.0\.1:12000 \(tcp\)"
C=$T/cap/nc-oneshot/$L/client-oneshot.pcap
check "witness nc (oneshot): client-oneshot.pcap: the line, the reply" tcp_payloads "$C" 12000 '>:hello tcp' '<:HELLO TCP'
check "witness nc (oneshot): client-oneshot.pcap: the reference closed" fins "$C" 12000 1
for v in session concurrent; do
	out=$T/nc-$v.out
	wcrun "$out" run $L --client 'sh nc-tcp-client.sh session' --dir "$D" --variant $v --name nc-$v \
		--captures "$T/cap"
	check "witness nc ($v): exit status 0" test "$rc" -eq 0
	outcomes "$out" $L client $v
	[ "$rc" -eq 0 ] || show "$out"
done
check "witness nc (session): aimed at 127.0.0.1:50000, reported" has "$T/nc-session.out" \
	"client sent to 127\.0\.0\.1:50000 \(tcp\)"
L=name-echo
out=$T/nc-name.out
wcrun "$out" run $L --client 'nc 127.0.0.1 12000' --dir "$D" --name nc-name --captures "$T/cap"
check "witness nc (name-echo): exit status 0" test "$rc" -eq 0
outcomes "$out" $L client plain
[ "$rc" -eq 0 ] || show "$out"
check "witness nc (name-echo): client-line.pcap: the line with its newline, the reply" \
	tcp_payloads "$T/cap/nc-name/$L/client-line.pcap" 12000 '>:Hello\n' '<:Hello Ali\n'

check "witness tcp: every capture clean in tshark" pcaps_clean
check "witness tcp: no leftovers" no_leftovers
