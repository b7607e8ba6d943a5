#!/usr/bin/env bash
# The slides' own programs (tests/students/udp-echo/), graded as they are:
# every MUST scenario of their variant passes, and the SHOULD/INFO outcomes
# are what the slides' code really does. The captures open in tshark.
set -u
source "$(dirname "$0")/lib.sh"

LAB=udp-echo
D=$TOP/tests/students/$LAB

# grade NAME ROLE VARIANT: runs python3 NAME.py; output in $T/NAME.out
grade() {
	wcrun "$T/$1.out" run $LAB --"$2" "python3 $1.py" --dir "$D" --variant "$3" --name "$1" \
		--captures "$T/cap" -j 2
}

# musts ROLE VARIANT: the MUST scenarios of that role and variant
musts() {
	"$WIRECHECK" list $LAB | awk -v role="$1" -v var="$2" '
		$2 == role && $3 == "MUST" && (!/\[[a-z,]+\]$/ || $NF ~ "[[,]" var "[],]") { print $1 }'
}

# says OUT ID MARK TEXT: the scenario's line starts with MARK and says TEXT
says() {
	local line
	line=$(scenario_line "$1" "$LAB/$2")
	[[ $line == "$3 "* && $line == *"$4"* ]] || { echo "# $2: wanted $3 '$4', got: ${line:-no line}"; return 1; }
}

# pcaps_read NAME PORT: every scenario run has a capture that tshark reads cleanly
pcaps_read() {
	local id f err bad=0
	for id in $(grep -Eo "^[A-Za-z]+ +$LAB/[a-z0-9-]+" "$T/$1.out" | sed 's|.*/||'); do
		f=$T/cap/$1/$LAB/$id.pcap
		err=$(tshark -r "$f" -d udp.port=="$2",data 2>&1 >"$T/tshark.txt" | grep -v '^Running as user') ||
			true
		if [ ! -s "$f" ] || [ -n "$err" ] || grep -q Malformed "$T/tshark.txt"; then
			echo "# $f: ${err:-missing, empty or malformed}"
			bad=1
		fi
	done
	return $bad
}

# payloads NAME ID PORT HEX...: the capture's UDP payloads, in order, are HEX...
payloads() {
	local f=$T/cap/$1/$LAB/$2.pcap port=$3 got want
	shift 3
	got=$(tshark -r "$f" -d udp.port=="$port",data -T fields -e data.data 2>/dev/null | tr '\n' ' ')
	want="$* "
	[ "$got" = "$want" ] || { echo "# $f: payloads '$got', wanted '$want'"; return 1; }
}

hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }

# student NAME ROLE VARIANT STATUS: runs it; its exit status and MUST scenarios
student() {
	local id
	grade "$1" "$2" "$3"
	check "student $1: exit status $4" test "$rc" -eq "$4"
	for id in $(musts "$2" "$3"); do
		if passes "$T/$1.out" "$LAB/$id"; then
			ok "student $1: $LAB/$id passes"
		else
			not_ok "student $1: $LAB/$id passes"
			show "$T/$1.out"
		fi
	done
}

# UDPServer.py, the first course's slides: decode().upper() on text, recvfrom(2048)
S=UDPServer
student $S server plain 0
check "student $S: digits-punctuation passes" passes "$T/$S.out" $LAB/digits-punctuation
check "student $S: empty-datagram passes" passes "$T/$S.out" $LAB/empty-datagram
check "student $S: binary WARN, decode() crashes" says "$T/$S.out" binary WARN "A: no reply: the server crashed: UnicodeDecodeError: 'utf-8' codec can't decode byte"
check "student $S: utf8 INFO, str.upper() makes é É (reported, not graded)" says "$T/$S.out" utf8 INFO "A: reply differs at byte 4"
check "student $S: size-3000 INFO, cut to 2048" says "$T/$S.out" size-3000 INFO "A: reply of 2048 bytes, expected 3000"
check "student $S: two-hosts INFO, reached but cut to 2048" says "$T/$S.out" two-hosts INFO "A: reply of 2048 bytes, expected 2600"
check "student $S: captures read by tshark" pcaps_read $S 12000
check "student $S: basic.pcap holds the request and the reply" \
	payloads $S basic 12000 "$(hex 'hello world')" "$(hex 'HELLO WORLD')"
check "student $S: bound 0.0.0.0:12000" has "$T/$S.out" 'server bound udp 0\.0\.0\.0:12000'

# UDPServer50000.py, the second course: 127.0.0.1:50000, bytes.upper(), ends on 'quit'
S=UDPServer50000
student $S server quit 0
for id in digits-punctuation empty-datagram utf8 quit-only-exact; do
	check "student $S: $id passes" passes "$T/$S.out" $LAB/$id
done
check "student $S: binary WARN, print(decode()) crashes" says "$T/$S.out" binary WARN "A: no reply: the server crashed: UnicodeDecodeError: 'utf-8' codec can't decode byte"
check "student $S: size-3000 INFO, cut to 2048" says "$T/$S.out" size-3000 INFO "A: reply of 2048 bytes, expected 3000"
check "student $S: two-hosts INFO, 127.0.0.1 out of reach" says "$T/$S.out" two-hosts INFO "which another host cannot reach"
check "student $S: bound 127.0.0.1:50000" has "$T/$S.out" 'server bound udp 127\.0\.0\.1:50000'
check "student $S: captures read by tshark" pcaps_read $S 50000
check "student $S: basic.pcap holds the request and the reply" \
	payloads $S basic 50000 "$(hex 'hello world')" "$(hex 'HELLO WORLD')"

# UDPClient.py, the first course: input() with a prompt, to 127.0.0.1:12000
C=UDPClient
student $C client plain 0
check "student $C: captures read by tshark" pcaps_read $C 12000
check "student $C: client-no-newline.pcap holds the line and the reply" \
	payloads $C client-no-newline 12000 "$(hex 'hello world')" "$(hex 'HELLO WORLD')"

# The client's exchange runs to its end before it is stopped. Its last step is
# what it sent ('expect wire'); stopped at once, the client was gone before the
# reference's reply came in about 1 run in 10, and the capture held an ICMP port
# unreachable quoting the reply (CI, stop 22). 24 runs, two at a time as a class
# is graded: each capture holds the line and the reply, and nothing else.
same_exchange() {
	local i f bad=0
	for i in $(seq 1 12); do
		for k in a b; do
			"$WIRECHECK" run $LAB/client-no-newline --client "python3 UDPClient.py" --dir "$D" \
				--name "rep$i$k" --captures "$T/rep" >"$T/rep$i$k.out" 2>&1 &
		done
		wait
	done
	for i in $(seq 1 12); do
		for k in a b; do
			f=$T/rep/rep$i$k/$LAB/client-no-newline.pcap
			passes "$T/rep$i$k.out" $LAB/client-no-newline || { echo "# run $i$k did not pass"; bad=1; }
			[ "$(tshark -r "$f" 2>/dev/null | grep -vc '^Running as')" = 2 ] ||
				{ echo "# $f:"; tshark -r "$f" 2>&1 | sed 's/^/#   /'; bad=1; }
		done
	done
	return $bad
}
check "student $C: client-no-newline, 24 runs: each capture holds the line and the reply alone" same_exchange

# UDPClient50000.py, the second course: asks for a name (its prompt), then
# loops until 'quit'; the quit variant's scenario gives the name first.
C=UDPClient50000
student $C client quit 0
check "student $C: client-loop-quit passes" passes "$T/$C.out" $LAB/client-loop-quit
check "student $C: the address it aimed at is reported" has "$T/$C.out" "client sent to 127\.0\.0\.1:50000 \(udp\)"

# The same client, started late (issue 13): a client still working on the CPU
# when the 2000 ms of a wait pass is waited for, as on a loaded machine where
# it starts slowly; one asleep is not, and fails as before (the control).
mkdir -p "$T/late"
cp "$D/UDPClient50000.py" "$TOP/tests/hostile/$LAB/slow_start.sh" "$T/late/"
for how in busy sleep; do
	wcrun "$T/late-$how.out" run $LAB/client-loop-quit --variant quit --client "sh slow_start.sh $how 3" \
		--dir "$T/late" --name "late-$how" --captures "$T/cap"
done
check "student $C started after 3 s of CPU: client-loop-quit passes" passes "$T/late-busy.out" $LAB/client-loop-quit
check "student $C started after 3 s asleep: client-loop-quit FAILs" \
	fails_with "$T/late-sleep.out" $LAB/client-loop-quit "the client sent no datagram"

# The same client with a LAN address left in from the student's machine, and
# with 'localhost': nftables brings both to the reference, and the report says
# where the client aimed.
for C in UDPClientLAN UDPClientLocalhost; do
	student $C client plain 0
done
check "student UDPClientLAN: aimed at 192.168.1.20:12000, reported" has "$T/UDPClientLAN.out" "client sent to 192\.168\.1\.20:12000 \(udp\)"
check "student UDPClientLocalhost: aimed at 127.0.0.1:12000, reported" has "$T/UDPClientLocalhost.out" "client sent to 127\.0\.0\.1:12000 \(udp\)"

check "students: no leftovers" no_leftovers
