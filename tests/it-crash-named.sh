#!/usr/bin/env bash
# A crash is named every time (issue 15): three servers that die of one kind
# of request (tests/students/crashes/: IndexError on a request line of fewer
# than three words, AssertionError on HEAD; tests/mutants/dns/hex-text.py:
# ValueError from int(..., 16) on a binary DNS query) are graded RUNS times each, and each scenario that kills
# them says "the server crashed: <the traceback's last line> (exit status 1)",
# word for word the same in every run; then once more beside CPU hogs. Before,
# a server whose FIN came before its exit was "no response; then the server
# closed the connection" in some runs.
set -u
source "$(dirname "$0")/lib.sh"

RUNS=${CRASH_RUNS:-20}
DIR=$TOP/tests/students/crashes
declare -A DIR_OF=([HexServer]=$TOP/tests/mutants/dns) # the server of hex text is a mutant too

# verdicts OUT: the scenario lines, without frame numbers, capture paths and timings
verdicts() {
	grep -E '^(PASS|FAIL|WARN|ERROR|INFO|info) ' "$1" | sed -E 's/ \(frame [0-9]+\)//g; s/ +\/[^ ]+\.pcap.*//'
}

# named NAME SERVER IDS CRASH TAG: each scenario of IDS names CRASH (the start of
# the traceback's last line) and the exit status in run TAG;
# its verdicts go to $T/NAME.TAG
named() {
	local name=$1 server=$2 ids=$3 crash=$4 tag=$5 id line bad=0
	wcrun "$T/$name.out" run $ids --server "$server" --dir "${DIR_OF[$name]:-$DIR}" --captures "$T/cap" -j 2
	verdicts "$T/$name.out" >"$T/$name.$tag"
	for id in ${ids//,/ }; do
		line=$(scenario_line "$T/$name.out" "$id")
		[[ $line == *"the server crashed: $crash"*" (exit status 1)"* ]] && continue
		echo "# run $tag, $id (exit status $rc):"
		if [ -n "$line" ]; then verdict_block "$T/$name.out" "$id"; else show "$T/$name.out"; fi
		bad=1
	done
	return "$bad"
}

# steady NAME SERVER IDS CRASH: RUNS runs, each names the crash, all alike
steady() {
	local name=$1 i fails=0
	for i in $(seq 1 "$RUNS"); do
		named "$@" "$i" || fails=$((fails + 1))
	done
	check "$name: the crash named in $RUNS of $RUNS runs" test "$fails" -eq 0
	for i in $(seq 2 "$RUNS"); do
		cmp -s "$T/$name.1" "$T/$name.$i" || { echo "# run $i differs:"; diff "$T/$name.1" "$T/$name.$i" | show /dev/stdin; fails=1; }
	done
	check "$name: the same verdicts, word for word, in $RUNS runs" test "$fails" -eq 0
}

INDEX=("IndexServer" "python3 IndexServer.py" "http/malformed-400,http/bytewise-request"
	"IndexError: list index out of range")
ASSERT=("AssertServer" "python3 AssertServer.py" "http/head-hello,http/method-501"
	"AssertionError: only GET is supported")
HEX=("HexServer" "python3 hex-text.py" "dns/answer-google.com,dns/keeps-serving"
	"ValueError: invalid literal for int() with base 16: ")

steady "${INDEX[@]}"
steady "${ASSERT[@]}"
steady "${HEX[@]}"

# once more beside CPU hogs (three, each bounded, killed here): the same words
hogs=()
for i in 1 2 3; do timeout 600 sh -c 'while :; do :; done' & hogs+=($!); done
for s in INDEX ASSERT HEX; do
	declare -n srv=$s
	named "${srv[@]}" load
	check "${srv[0]}: beside CPU hogs, the crash named" test $? -eq 0
	check "${srv[0]}: beside CPU hogs, the same verdicts" cmp -s "$T/${srv[0]}.1" "$T/${srv[0]}.load"
done
kill "${hogs[@]}" 2>/dev/null
wait "${hogs[@]}" 2>/dev/null

check "crashes: no leftovers" no_leftovers
