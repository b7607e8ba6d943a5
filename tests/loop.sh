#!/usr/bin/env bash
# tests/loop.sh N LOG -- COMMAND...: runs COMMAND N times in a row and stops at
# the first run that fails (exit status not 0, or a 'not ok' line), the way a
# flaky test is proven fixed ("a test that fails once in twenty runs is a bug").
# Each run's output goes to LOG.RUN; LOG gets one line per run: its status,
# its counts, how long it took and the machine's load average meanwhile.
# Exit status 0 if all N passed.
set -u
if [ $# -lt 4 ] || [ "$3" != "--" ]; then
	echo "usage: tests/loop.sh N LOG -- COMMAND..." >&2
	exit 2
fi
n=$1 log=$2
shift 3
: >"$log"
for i in $(seq 1 "$n"); do
	s=$(date +%s)
	load0=$(cut -d' ' -f1 /proc/loadavg)
	"$@" >"$log.$i" 2>&1
	st=$?
	ok=$(grep -c '^ok' "$log.$i")
	nok=$(grep -c '^not ok' "$log.$i")
	echo "run $i of $n: status $st, $ok ok, $nok not ok, $(($(date +%s) - s)) s, load $load0 to $(cut -d' ' -f1 /proc/loadavg), ended $(date -u +%FT%TZ)" >>"$log"
	if [ "$st" -ne 0 ] || [ "$nok" -ne 0 ]; then
		echo "loop: run $i failed (see $log.$i)" | tee -a "$log"
		exit 1
	fi
done
echo "loop: $n of $n passed in a row" | tee -a "$log"
