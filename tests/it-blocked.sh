#!/usr/bin/env bash
# Waits that end on evidence (issue 16): a wait for a reply, a close or an exit
# ends as soon as the program under test is proven blocked (every thread asleep
# in a call with no timeout, nothing run between two looks, nothing the harness
# sent still in flight), and never on a program that will still answer.
#   - programs that answer late, each a different way of being asleep while a
#     reply is coming (tests/steady/udp-echo: a timed sleep; a parent blocked in
#     waitpid while its child sleeps; a main thread blocked on a queue while a
#     worker sleeps) pass, alone and beside CPU hogs;
#   - programs that will never answer (tests/mutants/udp-echo/drop-second.py
#     drops every second datagram; tests/hostile/udp-echo/hang.py blocks
#     forever) fail with "the server is blocked, nothing will wake it" and the
#     call its thread waits in, word for word the same alone and under load;
#   - a server blocked before it binds (tests/steady/udp-echo/never_started.py
#     waits for a worker thread it never started) is said to be blocked, not
#     to have "bound no port within 5000 ms".
set -u
source "$(dirname "$0")/lib.sh"

RUNS=${BLOCKED_RUNS:-3}
LATE="udp-echo/basic,udp-echo/mixed-case,udp-echo/several-clients,udp-echo/size-2048"

# runs NAME IDS SERVER DIR LOAD: RUNS gradings; verdicts into $T/NAME.N, reports into $T/NAME.N.out
runs() {
	local name=$1 ids=$2 server=$3 dir=$4 load=$5 i hogs=()
	if [ "$load" = load ]; then
		for i in $(seq 1 $((2 * $(nproc)))); do timeout 600 sh -c 'while :; do :; done' & hogs+=($!); done
	fi
	for i in $(seq 1 "$RUNS"); do
		wcrun "$T/$name.$i.out" run "$ids" --server "$server" --dir "$dir" --captures "$T/cap" -j 2
		verdicts "$T/$name.$i.out" >"$T/$name.$i"
		echo "$rc" >>"$T/$name.$i"
	done
	for i in "${hogs[@]}"; do kill "$i" 2>/dev/null; done
	wait 2>/dev/null
}

# same NAME...: every run of every NAME gave the verdicts of the first
same() {
	local n files=()
	for n in "$@"; do files+=("$T/$n".[0-9]); done
	same_as "$T/$1.1" "${files[@]}"
}

# all_pass NAME...: every scenario of every run passed, exit status 0
all_pass() {
	local bad
	bad=$(for n in "$@"; do cat "$T/$n".[0-9]; done | grep -vE '^(PASS |0$)')
	[ -z "$bad" ] || { echo "$bad" | sort | uniq -c | sed 's/^/# /'; return 1; }
}

S=$TOP/tests/steady/udp-echo
for p in late_reply late_child late_thread; do
	runs "$p-alone" "$LATE" "python3 $p.py" "$S" alone
	runs "$p-load" "$LATE" "python3 $p.py" "$S" load
	check "$p: answers late, not blocked: passes alone and under load, every run" all_pass "$p-alone" "$p-load"
	[ -s "$T/$p-alone.1" ] || not_ok "$p: no verdicts at all"
done

M=$TOP/tests/mutants/udp-echo
runs drop-alone "udp-echo/many-datagrams,udp-echo/several-clients" "python3 drop-second.py" "$M" alone
runs drop-load "udp-echo/many-datagrams,udp-echo/several-clients" "python3 drop-second.py" "$M" load
check "drop-second: the same verdicts word for word, alone and under load" same drop-alone drop-load
for id in many-datagrams several-clients; do
	check "drop-second: $id FAILs: the server is blocked, nothing will wake it" \
		grep -qE "^FAIL  udp-echo/$id .*: no reply: the server is blocked, nothing will wake it" "$T/drop-alone.1"
done
check "drop-second: the report says where the server waits (recvfrom, no timeout)" \
	grep -q 'the server waits: 1 thread in 1 process: recvfrom fd [0-9]* .*(no timeout)' "$T/drop-alone.1.out"

H=$TOP/tests/hostile/udp-echo
runs hang-alone udp-echo/basic "python3 hang.py" "$H" alone
runs hang-load udp-echo/basic "python3 hang.py" "$H" load
check "hang (blocked forever): the same verdict alone and under load" same hang-alone hang-load
check "hang: basic FAILs: the server is blocked, nothing will wake it" \
	grep -q '^FAIL  udp-echo/basic .*A: no reply: the server is blocked, nothing will wake it' "$T/hang-alone.1"
check "hang: the report names the futex its threads wait on" grep -q 'the server waits: .*futex' "$T/hang-alone.1.out"
S=$TOP/tests/steady/udp-echo
runs start-alone udp-echo/basic "python3 never_started.py" "$S" alone
runs start-load udp-echo/basic "python3 never_started.py" "$S" load
check "never_started (blocked before its bind): the same verdict alone and under load" same start-alone start-load
check "never_started: basic FAILs: blocked before binding, not 'bound no port within'" \
	grep -q '^FAIL  udp-echo/basic .*the server is blocked before binding a UDP port, nothing will wake it' \
	"$T/start-alone.1"
check "never_started: the report names the futex its thread waits on" \
	grep -q 'the server, at the last look: 1 thread in 1 process: futex (no timeout)' "$T/start-alone.1.out"
check "nothing left behind" no_leftovers
