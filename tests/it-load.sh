#!/usr/bin/env bash
# The load test of issue 16: timing-sensitive programs, graded alone (one at a
# time) and then all at once at -j 8 beside CPU hogs, LOAD_RUNS times each
# (default 3; 10 for the issue's proof: LOAD_RUNS=10 bash tests/it-load.sh).
# Every run of a program must give the verdicts of the table below, word for
# word: the same program gets the same verdicts alone and under load.
set -u
source "$(dirname "$0")/lib.sh"

RUNS=${LOAD_RUNS:-3}
ST=$TOP/tests/students/tcp-echo
MT=$TOP/tests/mutants/tcp-echo
MH=$TOP/tests/mutants/http
SU=$TOP/tests/steady/udp-echo

# NAME | DIR | SERVER | VARIANT | SCENARIOS | expected 'MARK scenario: words' per scenario (';'-separated),
# written by hand from what each program does
TABLE="forked|$ST|python3 TCPServerForked.py|concurrent|tcp-echo/concurrent-three|PASS tcp-echo/concurrent-three
threaded|$ST|python3 TCPServerThreaded.py|concurrent|tcp-echo/concurrent-three,tcp-echo/leaves-without-word|PASS tcp-echo/concurrent-three;PASS tcp-echo/leaves-without-word
iterative|$MT|python3 iterative.py|concurrent|tcp-echo/concurrent-three|FAIL tcp-echo/concurrent-three: serves one client at a time
keepalive-closes|$MH|python3 keep-alive-closes.py||http/connection-header,http/keep-alive|PASS http/connection-header;FAIL http/keep-alive: says keep-alive, but the server closed the connection
slow-start|$SU|python3 slow_start.py||udp-echo/basic|PASS udp-echo/basic
sleeps-300ms|$SU|python3 late_reply.py||udp-echo/basic,udp-echo/several-clients|PASS udp-echo/basic;PASS udp-echo/several-clients
spinner|$MT|python3 leave-spin-threaded.py|concurrent|tcp-echo/leaves-without-word|FAIL tcp-echo/leaves-without-word: the server keeps a CPU busy with nothing sent to it"

# grade NAME TAG: one run of NAME's program; its verdicts into $T/v/NAME.TAG
grade() {
	local name=$1 tag=$2 line dir server variant ids args=()
	line=$(grep "^$name|" <<<"$TABLE")
	IFS='|' read -r _ dir server variant ids _ <<<"$line"
	[ -n "$variant" ] && args=(--variant "$variant")
	"$WIRECHECK" run "$ids" --server "$server" --dir "$dir" "${args[@]}" --captures "$T/cap-$name-$tag" \
		-j 8 >"$T/$name.$tag.out" 2>&1
	local rc=$?
	{ verdicts "$T/$name.$tag.out"; echo "exit $rc"; } >"$T/v/$name.$tag"
}

names=$(cut -d'|' -f1 <<<"$TABLE")
mkdir -p "$T/v"
for i in $(seq 1 "$RUNS"); do
	for n in $names; do grade "$n" "alone$i"; done
done
hogs=()
for i in $(seq 1 $((2 * $(nproc)))); do timeout 1800 sh -c 'while :; do :; done' & hogs+=($!); done
for i in $(seq 1 "$RUNS"); do
	pids=()
	for n in $names; do grade "$n" "load$i" & pids+=($!); done
	wait "${pids[@]}"
done
for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null

# expected NAME: each 'MARK scenario: words' of the table is a verdict line of run 1
expected() {
	local want w mark id words line bad=0
	want=$(grep "^$1|" <<<"$TABLE" | cut -d'|' -f6)
	IFS=';' read -ra ws <<<"$want"
	for w in "${ws[@]}"; do
		mark=${w%% *}
		id=${w#* }
		words=""
		[[ $id == *": "* ]] && { words=${id#*: }; id=${id%%: *}; }
		line=$(grep -E "^$mark +$id " "$T/v/$1.alone1")
		[ -n "$line" ] && [[ $line == *"$words"* ]] || { echo "# $1: wanted '$w', got: $(grep -E " $id " "$T/v/$1.alone1")"; bad=1; }
	done
	return $bad
}

# same NAME: every run, alone and under load, gave the verdicts of the first
same() { same_as "$T/v/$1.alone1" "$T/v/$1".alone* "$T/v/$1".load*; }

for n in $names; do
	check "load: $n: the table's verdicts" expected "$n"
	check "load: $n: the same verdicts in $RUNS runs alone and $RUNS at -j 8 beside CPU hogs" same "$n"
done
check "nothing left behind" no_leftovers
