#!/usr/bin/env bash
# The fork bombs of tests/it-grade.sh, graded at -j 2 beside a hang, a crash,
# the slides' server, a mutant and the C server, alone: the check that failed
# once in a few runs of it-grade.sh ("gradebook: the fork bombs are contained
# and graded like the slides' server": a bomb's own server, sharing its CPU
# with its 255 spinning children, had not answered many-datagrams by the
# deadline). Small enough to loop 20 times (tests/loop.sh; README, "The same
# verdict every time"); it-grade.sh keeps the check in make check.
set -u
source "$(dirname "$0")/lib.sh"

S="$TOP/tests/students/udp-echo"
H="$TOP/tests/hostile/udp-echo"
SUBS=$T/subs
sub() {
	local d=$SUBS/$1
	shift
	mkdir -p "$d"
	while [ $# -ge 2 ]; do cp "$1" "$d/$2"; shift 2; done
}
for i in 1 2 3; do sub "bomb$i" "$H/fork_bomb.py" UDPServer.py; done
sub good01 "$S/UDPServer.py" UDPServer.py "$S/UDPClient.py" UDPClient.py
sub lower01 "$TOP/tests/mutants/udp-echo/lower.py" UDPServer.py
sub hang1 "$H/hang.py" UDPServer.py
sub crash1 "$H/crash.py" udpserver.py
sub c-cc "$TOP/tests/students/udp-echo-c/UDPServer.c" UDPServer.c

wcrun "$T/grade.out" grade "$SUBS" --lab udp-echo -j 2 --out "$T/grades"
check "grade: exit status 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || show "$T/grade.out"
G=$T/grades/gradebook.csv
row() { grep "^$1," "$G"; }
cc=$(row c-cc | cut -d, -f3)
bombs=$(grep '^bomb' "$G" | cut -d, -f3 | sort -u)
check "the C server gets points ($cc)" bash -c "[ '${cc:-0}' -gt 0 ]"
check "the fork bombs are contained and graded like the slides' server (bombs: $(echo $bombs), C: $cc)" \
	test "$bombs" = "$cc"
[ "$bombs" = "$cc" ] || for n in c-cc bomb1 bomb2 bomb3; do
	echo "# $n: $(row "$n")"
	grep -E -A4 '^(FAIL|ERROR) ' "$T/grades/$n/report.txt" | sed 's/^/#   /'
done
check "the mutant loses points" bash -c "[ $(row lower01 | cut -d, -f3) -lt $cc ]"
check "nothing left behind" no_leftovers
