#!/usr/bin/env bash
# A course's rubric profile (--rubric): scenarios re-weighted, re-levelled,
# switched off, a lab's variant chosen, partial credit for ASCII-hex DNS, all
# without editing a scenario; and its errors as file:line.
set -u
source "$(dirname "$0")/lib.sh"
S=$TOP/tests/students/udp-echo
M=$TOP/tests/mutants/dns

cat >"$T/course.rubric" <<'R'
# our course
points udp-echo/basic 10
off udp-echo/utf8          # we do not teach UTF-8
level udp-echo/binary INFO
variant tcp-echo session
ascii-hex dns 50
R
wcrun "$T/list.out" list udp-echo --rubric "$T/course.rubric"
check "list: basic re-weighted to 10 points" has "$T/list.out" "basic .*MUST +10 "
wcrun "$T/base.out" run udp-echo --server "python3 UDPServer.py" --dir "$S" --captures "$T/cap"
wcrun "$T/rub.out" run udp-echo --server "python3 UDPServer.py" --dir "$S" --captures "$T/cap" --rubric "$T/course.rubric"
check "run: utf8 switched off (not run)" bash -c "grep -q 'udp-echo/utf8' '$T/base.out' && ! grep -q 'udp-echo/utf8' '$T/rub.out'"
check "run: binary reported as INFO" has "$T/rub.out" "^INFO  udp-echo/binary +INFO"
check "run: basic worth 10" has "$T/rub.out" "^PASS  udp-echo/basic +MUST +10/10"
check "run: the slides' server passes every graded check under this rubric" bash -c "grep -q '^[0-9]* passed, 0 failed$' '$T/rub.out'"

# the lab's variant chosen by the rubric: session scenarios run, not oneshot ones
wcrun "$T/tcp.out" run tcp-echo --server "python3 TCPServerSession.py" --dir "$TOP/tests/students/tcp-echo" \
	--captures "$T/cap" --rubric "$T/course.rubric"
check "variant: tcp-echo graded as session" bash -c "grep -q 'tcp-echo/session-' '$T/tcp.out' && ! grep -q 'tcp-echo/oneshot' '$T/tcp.out'"

# partial credit: ASCII hex that spells the right bytes earns half
wcrun "$T/hex0.out" run dns/answer-google.com --server "python3 ascii-hex.py" --dir "$M" --captures "$T/cap"
wcrun "$T/hex.out" run dns/answer-google.com --server "python3 ascii-hex.py" --dir "$M" --captures "$T/cap" \
	--rubric "$T/course.rubric"
check "ascii-hex: no credit without the rubric" has "$T/hex0.out" "^score 0/4$"
check "ascii-hex: still a FAIL, named as ASCII hex" fails_with "$T/hex.out" dns/answer-google.com "ASCII hex"
check "ascii-hex: half the points with the rubric" has "$T/hex.out" "^score 2/4$"
check "ascii-hex: the report says why" has "$T/hex.out" "the text spells the right message: 50% of the points"

# a server of hex text both ways dies of a binary query; under the rubric the
# scenario runs once more, its queries spelled as hex text, and earns the credit
# when the hex answers spell the right responses
wcrun "$T/hext0.out" run dns/answer-google.com dns/nxdomain --server "python3 hex-text.py" --dir "$M" \
	--captures "$T/cap"
wcrun "$T/hext.out" run dns/answer-google.com dns/nxdomain --server "python3 hex-text.py" --dir "$M" \
	--captures "$T/cap" --rubric "$T/course.rubric"
check "hex both ways: no credit without the rubric" fails_with "$T/hext0.out" dns/answer-google.com "ValueError"
check "hex both ways: half the points of the answer with the rubric" has "$T/hext.out" "dns/answer-google.com .* 2/4"
check "hex both ways: the report says the queries went as hex text" has "$T/hext.out" \
	"queries sent as hex text got the right responses as hex text"
check "hex both ways: and what the binary query got" has "$T/hext.out" "the binary messages \\(RFC 1035\\), in the first run: .*ValueError"
check "hex both ways: a wrong answer in hex earns nothing (nxdomain: NOERROR)" \
	bash -c "grep -q 'dns/nxdomain .* 0/' '$T/hext.out' && ! grep -q 'queries sent as hex text' <(sed -n '/dns\/nxdomain/,/^$/p' '$T/hext.out')"

# framing (LABS.md 2): the session checks take either; a course may require one
L=$TOP/tests/students/tcp-echo
printf 'framing tcp-echo raw\n' >"$T/raw.rubric"
printf 'framing tcp-echo lines\n' >"$T/lines.rubric"
wcrun "$T/lines-any.out" run tcp-echo/session --server "python3 TCPServerLines.py" --dir "$L" --variant session \
	--captures "$T/cap"
check "framing: a server of lines passes session by default" passes "$T/lines-any.out" tcp-echo/session
wcrun "$T/lines-raw.out" run tcp-echo/session --server "python3 TCPServerLines.py" --dir "$L" --variant session \
	--captures "$T/cap" --rubric "$T/raw.rubric"
check "framing raw: a server of lines fails session, blocked" fails_with "$T/lines-raw.out" tcp-echo/session \
	"A: no reply: the server is blocked"
check "framing raw: the report says the rubric asks for no line end" has "$T/lines-raw.out" \
	"the course's rubric asks for messages without a line end \(framing raw\)"
wcrun "$T/raw-lines.out" run tcp-echo/session --server "python3 TCPServerSession.py" --dir "$L" --variant session \
	--captures "$T/cap" --rubric "$T/lines.rubric"
check "framing lines: the raw server, sent lines, passes" passes "$T/raw-lines.out" tcp-echo/session
check "framing lines: every message went as a line" tcp_payloads "$T/cap/tcp-echo/tcp-echo/session.pcap" 12000 \
	'>:one\n' '<:ONE\n' '>:two two\n' '<:TWO TWO\n' '>:three, 3\n' '<:THREE, 3\n' '>:quit\n'
printf 'framing tcp-echo both\n' >"$T/bad-framing.rubric"
wcrun "$T/bad-framing.out" list --rubric "$T/bad-framing.rubric"
check "rubric: framing both, file:line" bash -c "[ $rc -eq 2 ] && grep -q \"bad-framing.rubric:1: framing is 'raw' or 'lines', not 'both'\" '$T/bad-framing.out'"

# errors, as file:line
printf 'points udp-echo/basic 10\noff ftp\n' >"$T/bad1.rubric"
wcrun "$T/bad1.out" list --rubric "$T/bad1.rubric"
check "rubric: unknown lab, file:line" bash -c "[ $rc -eq 2 ] && grep -q 'bad1.rubric:2: unknown lab .ftp.' '$T/bad1.out'"
printf '\n\nlevel dns/nope MUST\n' >"$T/bad2.rubric"
wcrun "$T/bad2.out" list --rubric "$T/bad2.rubric"
check "rubric: unknown scenario, file:line" bash -c "[ $rc -eq 2 ] && grep -q 'bad2.rubric:3: no scenario dns/nope' '$T/bad2.out'"
printf 'variant tcp-echo parallel\n' >"$T/bad3.rubric"
wcrun "$T/bad3.out" list --rubric "$T/bad3.rubric"
check "rubric: unknown variant" bash -c "[ $rc -eq 2 ] && grep -q \"bad3.rubric:1: the lab has no variant 'parallel'\" '$T/bad3.out'"
printf 'points udp-echo/basic lots\n' >"$T/bad4.rubric"
wcrun "$T/bad4.out" list --rubric "$T/bad4.rubric"
check "rubric: points not a number" bash -c "[ $rc -eq 2 ] && grep -q 'bad4.rubric:1: points take 0 to 1000' '$T/bad4.out'"
check "nothing left behind" no_leftovers
