#!/usr/bin/env bash
# Detection on a class of 18 repositories shaped as students push them (nested lab
# folders, hyphens, typos, a .git and a venv, an HTTP test client named client.py,
# Java without a manifest, C whose Makefile fails, several servers for one lab
# (each graded, in its variant, beside the first),
# spaces, hostile links): 'wirecheck detect' prints the hand-written plan of each,
# and 'wirecheck grade' of the class, with no manifest but one, finds the labs and
# says in its notes what it took, guessed and left out.
set -u
source "$(dirname "$0")/lib.sh"
source "$TOP/tests/detect/class.sh"

C=$T/class
make_class "$C"
check "the class has 18 repositories" test "$(ls "$C" | wc -l)" -eq 18

# The plan of each repository, by hand: its lines after the two header lines.
cat >"$T/plans.want" <<'PLANS'
== r01-Lab2
udp-echo.server cd Lab2 && python3 UDPServer.py
udp-echo.client cd Lab2 && python3 UDPClient.py
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r02-lab2-web
# udp-echo: nothing found
# tcp-echo: nothing found
# name-echo: nothing found
http.server cd lab2 && python3 webserver.py
# dns: nothing found
== r03-tasks
udp-echo.server cd task1 && python3 udp-server.py
tcp-echo.server cd task2 && python3 tcp_server.py
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r04-week
udp-echo.server cd week1/Basic-python-socket && python3 UDPServer.py
udp-echo.client cd week1/Basic-python-socket && python3 udp_client.py
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r05-hyphen
# udp-echo: nothing found
tcp-echo.server python3 tcp-server.py
tcp-echo.client python3 tcp-client.py
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r06-Web-Server
# udp-echo: nothing found
# tcp-echo: nothing found
# name-echo: nothing found
http.server python3 Web-Server.py
# dns: nothing found
== r07-typo
udp-echo.server python3 UDPServer.py
udp-echo.client python3 UPDClient.py
# udp-echo.client: guessed from UPDClient.py (near miss of UDPClient)
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r08-git-venv
udp-echo.server cd src && python3 UDPServer.py
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r09-dns-testclient
# udp-echo: nothing found
# tcp-echo: nothing found
# name-echo: nothing found
http.server python3 webserver.py
dns.server python3 server.py
# dns: left out client.py (an HTTP client, not the dns client)
== r10-server-is-web
# udp-echo: nothing found
# tcp-echo: nothing found
# name-echo: nothing found
http.server python3 server.py
# http.server: guessed from server.py (its source is an HTTP server)
# dns: nothing found
== r11-java
build (cd Lab1 && javac *.java)
udp-echo.server cd Lab1 && java UDPServer
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r12-c-makefail
build make
udp-echo.server ./UDPServer
udp-echo.client python3 UDPClient.py
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r13-several
# udp-echo: nothing found
tcp-echo.server python3 TCPServer.py
tcp-echo.client python3 TCPClient.py
tcp-echo.server.concurrent python3 TCPServerForked.py
tcp-echo.server.concurrent python3 TCPServerThreaded.py
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r14-spaces
udp-echo.server cd 'Lab 3' && python3 'UDP Server.py'
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r15-empty
# udp-echo: nothing found
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r16-java-manifest
name Chen W
build javac *.java
# udp-echo: from wirecheck.manifest
udp-echo.server java UDPServer
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
== r17-hostile
udp-echo.client cd 1/2/3/4/5 && python3 UDPClient.py
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
# search stopped at its limits (6 folders deep, 4000 entries): some files were not looked at
== r18-old-attempt
udp-echo.server cd Lab2 && python3 UDPServer.py
udp-echo.client cd Lab2 && python3 UDPClient.py
# udp-echo: left out Lab2/old/UDPServer.py (a second udp-echo server, took Lab2/UDPServer.py)
# udp-echo: left out Lab2/UDPSever.py (a second udp-echo server, took Lab2/UDPServer.py)
# tcp-echo: nothing found
# name-echo: nothing found
# http: nothing found
# dns: nothing found
PLANS

all_zero=1
heads=1
for r in "$C"/*; do
	n=$(basename "$r")
	echo "== $n"
	out=$(timeout 20 "$WIRECHECK" detect "$r")
	st=$?
	[ "$st" -eq 0 ] || { all_zero=0; echo "# $n: detect exit status $st" >&2; }
	[ "$(head -1 <<<"$out")" = "# wirecheck detect: the plan for '$n' (nothing run; save as wirecheck.manifest and edit)" ] ||
		heads=0
	tail -n +3 <<<"$out"
done >"$T/plans.got"
check "detect: exit status 0 for every repository, the hostile one too (links, depth)" test $all_zero -eq 1
check "detect: each plan starts with its header line" test $heads -eq 1
check "detect: every plan is the hand-written one" diff -u "$T/plans.want" "$T/plans.got"
diff -u "$T/plans.want" "$T/plans.got" | head -40 | sed 's/^/#   /'

# The plan is a manifest: saved, it is read back and gives the same commands.
"$WIRECHECK" detect "$C/r14-spaces" >"$T/r14.manifest"
mkdir -p "$T/saved"
cp -r "$C/r14-spaces" "$T/saved/"
cp "$T/r14.manifest" "$T/saved/r14-spaces/wirecheck.manifest"
check "detect: a saved plan is a manifest that gives the same command" \
	bash -c "'$WIRECHECK' detect '$T/saved/r14-spaces' | grep -qxF \"udp-echo.server cd 'Lab 3' && python3 'UDP Server.py'\""

wcrun "$T/nofolder.out" detect "$C/r01-Lab2/README.md"
check "detect: a file is refused, exit 2, and said" \
	bash -c "[ $rc -eq 2 ] && grep -q 'is not a folder' '$T/nofolder.out'"
wcrun "$T/help.out" help
check "help: says what detect does" has "$T/help.out" "^       wirecheck detect SUBMISSION_DIR"

# The class graded with no --lab: the labs found, and the notes, by hand.
wcrun "$T/grade.out" grade "$C" -j 2 --out "$T/grades"
check "grade: the class is graded, exit 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -20 "$T/grade.out" | sed 's/^/#   /'
G=$T/grades/gradebook.csv
cat >"$T/rows.want" <<'ROWS'
r01-Lab2|udp-echo|udp-echo: Lab2/UDPServer.py and Lab2/UDPClient.py
r02-lab2-web|http|http: lab2/webserver.py
r03-tasks|udp-echo tcp-echo|udp-echo: task1/udp-server.py; tcp-echo: task2/tcp_server.py
r04-week|udp-echo|udp-echo: week1/Basic-python-socket/UDPServer.py and week1/Basic-python-socket/udp_client.py
r05-hyphen|tcp-echo|tcp-echo: tcp-server.py and tcp-client.py
r06-Web-Server|http|http: Web-Server.py
r07-typo|udp-echo|udp-echo: UDPServer.py and guessed from UPDClient.py (near miss of UDPClient)
r08-git-venv|udp-echo|udp-echo: src/UDPServer.py
r09-dns-testclient|http dns|http: webserver.py; dns: server.py, left out client.py (an HTTP client, not the dns client)
r10-server-is-web|http|http: guessed from server.py (its source is an HTTP server)
r11-java|udp-echo|udp-echo: Lab1/UDPServer.java
r12-c-makefail|udp-echo|udp-echo: UDPServer.c and UDPClient.py; build failed, see build.log
r13-several|tcp-echo|tcp-echo: TCPServer.py and TCPClient.py, also TCPServerForked.py, graded beside it (concurrent variant), also TCPServerThreaded.py, graded beside it (concurrent variant); TCPServerForked.py: 19/19 beside the first, not in the total; TCPServerThreaded.py: 19/19 beside the first, not in the total
r14-spaces|udp-echo|udp-echo: Lab 3/UDP Server.py
r15-empty||nothing found
r16-java-manifest|udp-echo|udp-echo: wirecheck.manifest
r17-hostile|udp-echo|udp-echo: 1/2/3/4/5/UDPClient.py; search stopped at its limits (6 folders deep, 4000 entries)
r18-old-attempt|udp-echo|udp-echo: Lab2/UDPServer.py and Lab2/UDPClient.py, left out Lab2/old/UDPServer.py (a second udp-echo server, took Lab2/UDPServer.py), left out Lab2/UDPSever.py (a second udp-echo server, took Lab2/UDPServer.py)
ROWS
# submission|labs|notes of each row, the CSV read as CSV
python3 - "$G" >"$T/rows.got" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print("%s|%s|%s" % (r["submission"], r["labs"], r["notes"]))
PY
check "gradebook: the labs found and the notes of each row are the hand-written ones" diff -u "$T/rows.want" "$T/rows.got"
diff -u "$T/rows.want" "$T/rows.got" | head -40 | sed 's/^/#   /'

# points: the programs found run where they are, and get what the same programs get at the top
col() { python3 -c 'import csv,sys; print(next(r[sys.argv[3]] for r in csv.DictReader(open(sys.argv[1])) if r["submission"] == sys.argv[2]))' "$G" "$1" "$2"; }
u01=$(col r01-Lab2 udp-echo)
check "grade: nested UDP programs (Lab2/) get points ($u01)" test "$u01" -gt 0
check "grade: week1/Basic-python-socket/ and Lab2/ get the same" test "$(col r04-week udp-echo)" = "$u01"
check "grade: a near miss taken as the client gets the same" test "$(col r07-typo udp-echo)" = "$u01"
check "grade: an old attempt left out, the same" test "$(col r18-old-attempt udp-echo)" = "$u01"
h06=$(col r06-Web-Server http)
check "grade: Web-Server.py gets http points ($h06)" test "$h06" -gt 0
check "grade: a web server in lab2/ finds the lab's files there and gets the same" test "$(col r02-lab2-web http)" = "$h06"
check "grade: server.py speaking HTTP is graded as the web server, the same" test "$(col r10-server-is-web http)" = "$h06"
s08=$(col r08-git-venv udp-echo)
check "grade: a UDP server alone in src/ gets points ($s08)" test "$s08" -gt 0
j11=$(col r11-java udp-echo)
check "grade: Java in Lab1/ without a manifest is built there and gets points ($j11)" test "$j11" -gt 0
check "grade: a manifest naming Java with no build line: javac still runs, the same" \
	test "$(col r16-java-manifest udp-echo)" = "$j11"
check "grade: spaces in the names, the same" test "$(col r14-spaces udp-echo)" = "$s08"
c17=$(col r17-hostile udp-echo)
check "grade: the client found in a deep folder gets points ($c17)" test "$c17" -gt 0
check "grade: a failed build: its server not run, the Python client still graded ($(col r12-c-makefail udp-echo))" \
	test "$(col r12-c-makefail udp-echo)" = "$c17"
# several servers for one lab: the first one's points; the others graded beside it, in their variant
R13=$T/grades/r13-several
check "several servers: the iterative one is graded in the lab's variant, its points the lab's" \
	bash -c "grep -q '^[A-Z]* *tcp-echo/oneshot-basic ' '$R13/report.txt' && [ \$(grep -c '^score [0-9]' '$R13/report.txt') -eq 1 ]"
check "several servers: the forked one beside it, in the concurrent variant" \
	has "$R13/report.txt" "^another tcp-echo server: TCPServerForked.py, graded beside the first in the concurrent variant"
check "several servers: the threaded one too" \
	has "$R13/report.txt" "^another tcp-echo server: TCPServerThreaded.py, graded beside the first in the concurrent variant"
check "several servers: each one's concurrent check passes, its own capture" \
	bash -c "grep -q '^PASS  tcp-echo/concurrent-three@TCPServerForked ' '$R13/report.txt' &&
		grep -q '^PASS  tcp-echo/concurrent-three@TCPServerThreaded ' '$R13/report.txt' &&
		[ -s '$T/grades/captures/r13-several/tcp-echo/concurrent-three@TCPServerThreaded.pcap' ]"
check "several servers: each one's own score line" \
	bash -c "grep -q '^score of TCPServerForked: 19/19\$' '$R13/report.txt' && grep -q '^score of TCPServerThreaded: 19/19\$' '$R13/report.txt'"
check "several servers: the gradebook's tcp-echo column is the first server's (as r05's tcp-server.py)" \
	test "$(col r13-several tcp-echo)" = "$(col r05-hyphen tcp-echo)"
[ "$(col r13-several tcp-echo)" = "$(col r05-hyphen tcp-echo)" ] || {
	echo "# r13-several $(col r13-several tcp-echo), r05-hyphen $(col r05-hyphen tcp-echo); what each lost:"
	grep -hE '^(FAIL|WARN|ERROR) +tcp-echo/[a-z0-9-]+ ' "$T/grades/r13-several/report.txt" "$T/grades/r05-hyphen/report.txt" |
		cut -c1-160 | sed 's/^/#   /'
}

# a manifest names more servers of a lab as LAB.server.VARIANT; a second LAB.server is an error
mkdir -p "$T/mf/m1"
cp "$C/r13-several/"*.py "$T/mf/m1/"
printf 'tcp-echo.server python3 TCPServer.py\ntcp-echo.server.concurrent python3 TCPServerThreaded.py\n' \
	>"$T/mf/m1/wirecheck.manifest"
wcrun "$T/mf1.out" detect "$T/mf/m1"
check "manifest: LAB.server.VARIANT is a server graded beside the first" \
	has "$T/mf1.out" "^tcp-echo.server.concurrent python3 TCPServerThreaded.py$"
printf 'tcp-echo.server python3 TCPServer.py\ntcp-echo.server python3 TCPServerThreaded.py\n' \
	>"$T/mf/m1/wirecheck.manifest"
wcrun "$T/mf2.out" detect "$T/mf/m1"
check "manifest: a second LAB.server is refused as file:line" \
	bash -c "[ $rc -eq 2 ] && grep -q 'wirecheck.manifest:2: a second .tcp-echo.server.' '$T/mf2.out'"
printf 'tcp-echo.server.fast python3 TCPServerThreaded.py\n' >"$T/mf/m1/wirecheck.manifest"
wcrun "$T/mf3.out" detect "$T/mf/m1"
check "manifest: an unknown variant is refused as file:line" \
	bash -c "[ $rc -eq 2 ] && grep -q \"wirecheck.manifest:1: lab 'tcp-echo' has no variant 'fast'\" '$T/mf3.out'"

R12=$T/grades/r12-c-makefail
check "report: a failed build is one ERROR naming the command" \
	test "$(grep -c "^ERROR    build: 'make' failed; not run: udp-echo\$" "$R12/report.txt")" -eq 1
check "report: the failed build's last lines are under it" has "$R12/report.txt" "^    .*this is not C|^    .*error"
check "report: the build's server scenarios are not run" bash -c "! grep -q '^[A-Z]* *udp-echo/basic ' '$R12/report.txt'"
check "report: the points not run are said" has "$R12/report.txt" "^NOT RUN  udp-echo: the build failed, [0-9]+ points counted"
check "build.log: the whole log beside the report" has "$R12/build.log" "error"
check "gradebook: the compiler's log is not in the CSV" bash -c "! grep -q 'this is not C' '$G'"
check "report.txt: what was found names the files taken and left out" \
	has "$T/grades/r18-old-attempt/report.txt" "^found: .*udp-echo: Lab2/UDPServer.py and Lab2/UDPClient.py, left out Lab2/old/UDPServer.py"
check "report.txt: and the servers graded beside the first" \
	has "$T/grades/r13-several/report.txt" "^found: .*tcp-echo: TCPServer.py and TCPClient.py, also TCPServerForked.py, graded beside it"
check "nothing left behind" no_leftovers
