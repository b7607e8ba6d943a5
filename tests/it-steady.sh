#!/usr/bin/env bash
# Verdicts that do not depend on the clock (issue 16, in part): the same
# program gets the same verdict, word for word, alone and beside CPU hogs.
#   - a web server that says 'Connection: keep-alive' and then closes
#     (tests/mutants/http/keep-alive-closes.py): the harness waits for the
#     server's close or for the program asleep with the connection open, so
#     which side's FIN comes first no longer decides the verdict (it flipped
#     between "says keep-alive, but the server closed" and "no response; then
#     the server reset" before);
#   - the reference web server, which keeps the connection alive, passes;
#   - a forked server with listen(1) (tests/students/tcp-echo/TCPServerForked.py)
#     passes tcp-echo/concurrent-three: a SYN dropped while its accept queue
#     was full is sent again by the kernel a second later, and the harness
#     waits for the handshake (it failed "C: cannot connect ... Connection
#     timed out" in some runs before, on an idle machine too);
#   - a one-at-a-time server (tests/mutants/tcp-echo/iterative.py) fails it,
#     with the same words every run.
set -u
source "$(dirname "$0")/lib.sh"

RUNS=${STEADY_RUNS:-10}
IDS="http/connection-header http/keep-alive"
ARGS=()

# runs NAME SERVER DIR LOAD: RUNS gradings, each verdict list into $T/NAME.N
runs() {
	local name=$1 server=$2 dir=$3 load=$4 i hogs=()
	if [ "$load" = load ]; then
		# bounded CPU hogs: twice as many as cores, each ends by itself
		for i in $(seq 1 $((2 * $(nproc)))); do timeout 600 sh -c 'while :; do :; done' & hogs+=($!); done
	fi
	local what=(--server "$server" --dir "$dir")
	[ -n "$server" ] || what=() # no server named: the reference, graded as 'make conform' does
	for i in $(seq 1 "$RUNS"); do
		wcrun "$T/$name.out" run $IDS "${ARGS[@]}" "${what[@]}" --captures "$T/cap" -j 2
		verdicts "$T/$name.out" >"$T/$name.$i"
		echo "$rc" >>"$T/$name.$i"
	done
	for i in "${hogs[@]}"; do kill "$i" 2>/dev/null; done
	wait 2>/dev/null
}

# same NAME...: every run of every NAME gave the verdicts of the first
same() {
	local n files=()
	for n in "$@"; do files+=("$T/$n".[0-9]*); done
	same_as "$T/$1.1" "${files[@]}"
}

M=$TOP/tests/mutants/http
runs closes-alone 'python3 keep-alive-closes.py' "$M" alone
runs closes-load 'python3 keep-alive-closes.py' "$M" load
check "keep-alive-then-close: $RUNS runs alone and $RUNS under load, the same verdicts word for word" \
	same closes-alone closes-load
# one fault, one deduction: the close after keep-alive is http/keep-alive's
# fault, graded in http/keep-alive; http/connection-header sees it too and
# passes on its own subject
check "keep-alive-then-close: keep-alive FAILs on the close, connection-header passes" bash -c \
	"grep -Eq '^FAIL +http/keep-alive .*says keep-alive, but the server closed the connection' '$T/closes-alone.1' &&
	 grep -Eq '^PASS +http/connection-header' '$T/closes-alone.1' &&
	 [ \$(grep -c '^FAIL' '$T/closes-alone.1') -eq 1 ]"

runs ref-alone "" "" alone
runs ref-load "" "" load
check "reference web server (keeps alive): passes both, alone and under load, every run" bash -c \
	"! cat '$T'/ref-*.[0-9]* | grep -vE '^(PASS |0$)'"
IDS=tcp-echo/concurrent-three
ARGS=(--variant concurrent)
runs forked-alone 'python3 TCPServerForked.py' "$TOP/tests/students/tcp-echo" alone
runs forked-load 'python3 TCPServerForked.py' "$TOP/tests/students/tcp-echo" load
check "forked listen(1) server: concurrent-three passes, alone and under load, every run" bash -c \
	"! cat '$T'/forked-*.[0-9]* | grep -vE '^(PASS |0$)'"
[ "$(cat "$T"/forked-*.[0-9]* | grep -cvE '^(PASS |0$)')" -eq 0 ] || cat "$T"/forked-*.[0-9]* | sed 's/^/# /' | sort | uniq -c
runs iter-alone 'python3 iterative.py' "$TOP/tests/mutants/tcp-echo" alone
runs iter-load 'python3 iterative.py' "$TOP/tests/mutants/tcp-echo" load
check "one-at-a-time server: concurrent-three, the same verdict word for word in every run" same iter-alone iter-load
check "one-at-a-time server: concurrent-three FAILs: it serves one client at a time" \
	grep -q '^FAIL  tcp-echo/concurrent-three .*serves one client at a time' "$T/iter-alone.1"
check "nothing left behind" no_leftovers
