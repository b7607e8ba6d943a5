#!/usr/bin/env bash
# wirecheck grade on a class of 50 submissions: correct, broken, hanging,
# crashing, fork-bombing, empty, Java, C with and without a Makefile, a manifest. The
# gradebook has the right points for each; the bad ones hold up nobody; shards
# graded apart (with GNU parallel, as the README shows) merge into the same
# gradebook.
set -u
source "$(dirname "$0")/lib.sh"

S="$TOP/tests/students/udp-echo"
H="$TOP/tests/hostile/udp-echo"
M="$TOP/tests/mutants/udp-echo"
SUBS=$T/subs
mkdir -p "$SUBS"

# sub NAME FILE AS [FILE AS]...: a submission folder holding FILE under the name AS
sub() {
	local d=$SUBS/$1
	shift
	mkdir -p "$d"
	while [ $# -ge 2 ]; do cp "$1" "$d/$2"; shift 2; done
}

for i in $(seq -w 1 20); do sub "good$i" "$S/UDPServer.py" UDPServer.py "$S/UDPClient.py" UDPClient.py; done
for i in $(seq -f %02g 1 9); do sub "lower$i" "$M/lower.py" UDPServer.py "$S/UDPClient.py" UDPClient.py; done
for i in 1 2 3 4 5; do sub "hang$i" "$H/hang.py" UDPServer.py; done
for i in 1 2 3 4 5; do sub "crash$i" "$H/crash.py" udpserver.py; done
for i in 1 2 3; do sub "bomb$i" "$H/fork_bomb.py" UDPServer.py; done
sub client-only "$S/UDPClient.py" UDPClient.py
mkdir -p "$SUBS/empty1" "$SUBS/empty2"
echo "my report" >"$SUBS/empty2/README.txt"
# a manifest naming other file names, and the student
sub manifest "$S/UDPServer.py" srv.py "$S/UDPClient.py" cli.py
printf 'name Bea Q\nudp-echo.server python3 srv.py\nudp-echo.client python3 cli.py\n' >"$SUBS/manifest/wirecheck.manifest"
# C, built once by cc (no Makefile) and by make
sub c-cc "$TOP/tests/students/udp-echo-c/UDPServer.c" UDPServer.c
sub c-make "$TOP/tests/students/udp-echo-c/UDPServer.c" UDPServer.c
printf 'UDPServer: UDPServer.c\n\tcc -O2 -o UDPServer UDPServer.c\n' >"$SUBS/c-make/Makefile"
# Java: javac once, then java UDPServer
mkdir -p "$SUBS/java"
cp "$TOP/tests/detect/UDPServer.java" "$SUBS/java/UDPServer.java"
# a C program that does not compile
sub c-broken "$TOP/tests/students/udp-echo-c/UDPServer.c" UDPServer.c
echo 'this is not C' >>"$SUBS/c-broken/UDPServer.c"
check "50 submissions" test "$(ls "$SUBS" | wc -l)" -eq 50

wcrun "$T/grade.out" grade "$SUBS" --lab udp-echo -j 2 --out "$T/grades" --format json
check "grade: exit status 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || show "$T/grade.out"
G=$T/grades/gradebook.csv
check "gradebook: a header and 50 rows" test "$(wc -l <"$G")" -eq 51
check "gradebook: its columns" test "$(head -1 "$G")" = "submission,student,udp-echo,total,max,failed,errors,labs,notes"
# row NAME: the row of submission NAME
row() { grep "^$1," "$G"; }
max=$(row good01 | cut -d, -f5)
check "gradebook: the maximum is the udp-echo points of the plain variant" test "$max" -gt 10
# the slides' programs, graded alone by 'run': the points every copy must get
wcrun "$T/slides.out" run udp-echo --server "python3 UDPServer.py" --client "python3 UDPClient.py" --dir "$S" \
	--captures "$T/cap" -j 2
slides=$(sed -n 's/^score \([0-9]*\)\/'"$max"'$/\1/p' "$T/slides.out")
check "run: the slides' programs score out of the same maximum" test -n "$slides"
same=1
for i in $(seq -w 1 20); do
	[ "$(row "good$i" | cut -d, -f3,4,7)" = "$slides,$slides,0" ] || {
		same=0
		echo "# good$i: $(row "good$i")"
		# what it lost, for the log
		grep -E -A4 '^(FAIL|ERROR) ' "$T/grades/good$i/report.txt" | sed 's/^/#   /'
	}
done
check "gradebook: the 20 copies of the slides' programs get the points 'run' gives them" test $same -eq 1
check "gradebook: the manifest's commands and student name" test "$(row manifest | cut -d, -f2,3)" = "Bea Q,$slides"
check "gradebook: C built with cc gets the server's points" bash -c "[ $(row c-cc | cut -d, -f3) -gt 0 ]"
check "gradebook: Java built with javac gets the same as C" test "$(row java | cut -d, -f3)" = "$(row c-cc | cut -d, -f3)"
check "gradebook: C built with make gets the same" test "$(row c-make | cut -d, -f3)" = "$(row c-cc | cut -d, -f3)"
check "gradebook: C that does not compile: 0 points, the build failure said" \
	bash -c "row() { grep \"^\$1,\" '$G'; }; [[ \$(row c-broken) == c-broken,,0,0,* && \$(row c-broken) == *'build failed'* ]]"
lower=$(row lower01 | cut -d, -f3)
check "gradebook: the lower() mutant loses points, keeps the client's" bash -c "[ $lower -gt 0 ] && [ $lower -lt $max ]"
check "gradebook: every lower() mutant gets the same points" test "$(grep '^lower' "$G" | cut -d, -f3 | sort -u)" = "$lower"
for k in hang crash; do
	pts=$(grep "^$k" "$G" | cut -d, -f3 | sort -u)
	check "gradebook: $k submissions get no point" test "$pts" = "0"
done
# the fork bomb serves correctly once its children are held by the process limit
# lost NAME...: each submission's row and what it lost (its FAIL and ERROR lines), for the log
lost() {
	local n
	for n in "$@"; do
		echo "# $n: $(row "$n")"
		grep -E -A4 '^(FAIL|ERROR) ' "$T/grades/$n/report.txt" | sed 's/^/#   /'
	done
}
bombs=$(grep '^bomb' "$G" | cut -d, -f3 | sort -u)
check "gradebook: the fork bombs are contained and graded like the slides' server" \
	test "$bombs" = "$(row c-cc | cut -d, -f3)"
[ "$bombs" = "$(row c-cc | cut -d, -f3)" ] || lost c-cc bomb1 bomb2 bomb3
co=$(row client-only | cut -d, -f3)
check "gradebook: a client alone gets some points, not all ($co of $max)" bash -c "[ $co -gt 0 ] && [ $co -lt $max ]"
check "gradebook: an empty folder gets 0 of the --lab's maximum, no lab found, and a note" \
	bash -c "grep -q '^empty1,,0,0,$max,0,0,,udp-echo: nothing found' '$G'"
check "gradebook: the labs found" test "$(row good01 | cut -d, -f8)" = "udp-echo"
# every row's total/max is the score its report.txt shows
same=1
while IFS=, read -r name _ _ total rmax _; do
	grep -q "^score $total/$rmax\$" "$T/grades/$name/report.txt" || {
		same=0
		echo "# $name: gradebook $total/$rmax, report $(grep '^score' "$T/grades/$name/report.txt")"
	}
done < <(tail -n +2 "$G")
check "gradebook: each total/max is the score of the submission's report.txt" test $same -eq 1
check "report.txt: a client alone: the server's points not run, counted in the maximum" \
	has "$T/grades/client-only/report.txt" "^NOT RUN  udp-echo: no server found, [0-9]+ points counted in the maximum"
check "grade: a report per submission" test -s "$T/grades/hang1/report.txt"
check "grade: the report says what was found" has "$T/grades/crash1/report.txt" "found: udp-echo: udpserver.py"
check "grade: --format json: the submission's JSON report has the gradebook's points" \
	test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tally"]["points"])' \
		"$T/grades/lower01/wirecheck.json")" = "$lower"
check "grade: captures per submission" test -s "$T/grades/captures/good01/udp-echo/basic.pcap"
check "grade: plain progress lines when not on a terminal" has "$T/grade.out" "^graded good01: [0-9]+/[0-9]+"

# Shards: two halves graded apart (GNU parallel, as the README shows), merged,
# give the same gradebook.
mkdir -p "$T/small"
for n in good01 lower01 hang1 empty1 manifest c-cc; do cp -r "$SUBS/$n" "$T/small/"; done
grep -E '^(submission|good01|lower01|hang1|empty1|manifest|c-cc),' "$G" >"$T/small.want"
parallel --will-cite "$WIRECHECK" grade "$T/small" --lab udp-echo -j 1 --shard {}/2 --out "$T/shard{}" \
	::: 1 2 >"$T/parallel.out" 2>&1
check "parallel: both shards graded" test -s "$T/shard1/gradebook.csv" -a -s "$T/shard2/gradebook.csv"
check "shards: each has half" test "$(($(wc -l <"$T/shard1/gradebook.csv") + $(wc -l <"$T/shard2/gradebook.csv")))" -eq 8
"$WIRECHECK" merge "$T/shard1/gradebook.csv" "$T/shard2/gradebook.csv" >"$T/merged.csv"
check "merge: the same gradebook as one run, the labs found too" \
	diff <(cut -d, -f1-8 "$T/merged.csv") <(cut -d, -f1-8 "$T/small.want")
wcrun "$T/merge-twice.out" merge "$T/shard1/gradebook.csv" "$T/shard1/gradebook.csv"
check "merge: a submission twice is refused" bash -c "[ $rc -eq 2 ] && grep -q 'in more than one gradebook' '$T/merge-twice.out'"
wcrun "$T/bad-shard.out" grade "$T/small" --shard 3/2
check "grade: --shard 3/2 refused" bash -c "[ $rc -eq 2 ] && grep -q 'shard takes I/N' '$T/bad-shard.out'"

# Without --lab, the maximum counts only the labs found in each submission: a
# web server alone is graded out of the web lab, not out of every lab.
mkdir -p "$T/mixed/web" "$T/mixed/udp" "$T/mixed/none"
cp "$TOP/tests/students/http/webserver.py" "$T/mixed/web/"
cp "$S/UDPServer.py" "$S/UDPClient.py" "$T/mixed/udp/"
wcrun "$T/mixed.out" grade "$T/mixed" -j 2 --out "$T/mg"
M=$T/mg/gradebook.csv
mrow() { grep "^$1," "$M"; }
check "grade, no --lab: exit 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || show "$T/mixed.out"
http_max=$("$WIRECHECK" list http | awk '$3 == "MUST" || $3 == "SHOULD" { s += $4 } END { print s }')
check "grade, no --lab: a web server alone: max is the web lab's ($http_max), labs 'http'" \
	test "$(mrow web | cut -d, -f9,12)" = "$http_max,http"
check "grade, no --lab: the slides' UDP programs: max is udp-echo's ($max), labs 'udp-echo'" \
	test "$(mrow udp | cut -d, -f9,12)" = "$max,udp-echo"
check "grade, no --lab: nothing found: 0/0, no lab" test "$(mrow none | cut -d, -f8,9,12)" = "0,0,"
for n in web udp none; do
	check "grade, no --lab: $n: the report.txt's score is the gradebook's total/max" \
		has "$T/mg/$n/report.txt" "^score $(mrow $n | cut -d, -f8)/$(mrow $n | cut -d, -f9)\$"
done
check "grade, no --lab: the progress line says the same maximum" has "$T/mixed.out" "^graded web: [0-9]+/$http_max( |\$)"

check "nothing left behind" no_leftovers
