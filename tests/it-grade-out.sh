#!/usr/bin/env bash
# grade's --out folder (issue 17): one run at a time (a lock; a second run is
# refused with exit status 2), each submission's report folder replaced whole,
# the gradebook replaced whole, and a run that does not finish leaves PARTIAL
# saying which submissions are done, gradebook.csv untouched.
set -u
source "$(dirname "$0")/lib.sh"
S=$TOP/tests/students/udp-echo

mkdir -p "$T/class/good1" "$T/class/good2" "$T/slow/sleep1" "$T/slow/sleep2"
for n in good1 good2; do cp "$S/UDPServer.py" "$S/UDPClient.py" "$T/class/$n/"; done
# a server that never binds: each of its scenarios waits out --ready-timeout
for n in sleep1 sleep2; do echo 'import time; time.sleep(600)' >"$T/slow/$n/UDPServer.py"; done
O=$T/grades

wcrun "$T/first.out" grade "$T/class" --lab udp-echo -j 2 --out "$O"
check "first run: exit 0" test "$rc" -eq 0
check "first run: gradebook with 2 rows" test "$(wc -l <"$O/gradebook.csv")" -eq 3
check "first run, finished: no PARTIAL, no partial gradebook" test ! -e "$O/PARTIAL" -a ! -e "$O/gradebook.partial.csv"
check "first run: no temporary folder left" bash -c "! compgen -G '$O/.wc-tmp.*'"
cp "$O/gradebook.csv" "$T/gradebook.first"
echo "a file of an earlier run" >"$O/good1/stale.txt"

# A second run into the same folder, interrupted once the good ones are graded.
mv "$T/slow/sleep1" "$T/slow/sleep2" "$T/class/"
"$WIRECHECK" grade "$T/class" --lab udp-echo -j 1 --out "$O" >"$T/second.out" 2>&1 &
pid=$!
check "second run: good1 and good2 are done" wait_for 120 grep -qs '^done: good2$' "$O/PARTIAL"
check "second run: still at work on the slow ones" kill -0 $pid

wcrun "$T/third.out" grade "$T/class" --lab udp-echo --out "$O"
check "a run into a folder in use: exit 2" test "$rc" -eq 2
check "a run into a folder in use: says so, with the pid holding it" \
	has "$T/third.out" "'$O' is in use by another 'wirecheck grade' \(pid $pid holds its lock '$O/.wirecheck.lock'\)"
check "a run into a folder in use: it graded nothing" bash -c "! grep -q '^graded' '$T/third.out'"

kill -INT $pid
wait $pid
rc=$?
check "second run, SIGINT: exit status 130" test "$rc" -eq 130
check "second run, SIGINT: gradebook.csv not replaced" cmp "$O/gradebook.csv" "$T/gradebook.first"
check "second run, SIGINT: PARTIAL says the run has not finished" has "$O/PARTIAL" "has not finished: started "
check "second run, SIGINT: PARTIAL lists the submissions done, and only they" \
	test "$(grep '^done: ' "$O/PARTIAL" | sort | tr '\n' ' ')" = "done: good1 done: good2 "
check "second run, SIGINT: gradebook.partial.csv has the rows of the submissions done" \
	test "$(cut -d, -f1 "$O/gradebook.partial.csv" | tr '\n' ' ')" = "submission good1 good2 "
check "second run, SIGINT: the stderr says where the partial result is" \
	has "$T/second.out" "2 of 4 submissions graded: .*gradebook.partial.csv; .*gradebook.csv not replaced"
check "second run: good1's report folder replaced whole (the earlier run's file is gone)" \
	test -s "$O/good1/report.txt" -a ! -e "$O/good1/stale.txt"
check "second run: no report folder for a submission not done" test ! -e "$O/sleep1" -a ! -e "$O/sleep2"
check "second run: no temporary folder left" bash -c "! compgen -G '$O/.wc-tmp.*'"

# SIGKILL: no chance to clean up, the PARTIAL written at the start still says so
"$WIRECHECK" grade "$T/class" --lab udp-echo -j 1 --out "$O" >"$T/killed.out" 2>&1 &
pid=$!
# its own PARTIAL (the one of the run before says done: good2 as well)
partial_of() { grep -qs "pid $1\.\$" "$O/PARTIAL" && grep -qs '^done: good2$' "$O/PARTIAL"; }
check "killed run: good2 is done" wait_for 120 partial_of $pid
kill -KILL $pid
wait $pid 2>/dev/null
check "killed run: PARTIAL left, naming its pid" has "$O/PARTIAL" "has not finished: started .*, pid $pid\."
check "killed run: gradebook.csv not replaced" cmp "$O/gradebook.csv" "$T/gradebook.first"

# A run that finishes: the lock is free again, the marks of the partial runs go.
mv "$T/class/sleep1" "$T/class/sleep2" "$T/slow/"
wcrun "$T/last.out" grade "$T/class" --lab udp-echo -j 2 --out "$O"
check "next run after SIGKILL: the lock is free, exit 0" test "$rc" -eq 0
check "next run: PARTIAL and gradebook.partial.csv removed" test ! -e "$O/PARTIAL" -a ! -e "$O/gradebook.partial.csv"
check "next run: the same gradebook" cmp "$O/gradebook.csv" "$T/gradebook.first"

check "nothing left behind" wait_for 10 no_leftovers
