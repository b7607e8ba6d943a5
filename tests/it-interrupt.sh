#!/usr/bin/env bash
# The harness itself interrupted mid-run: SIGINT stops the workers and removes
# their folders; SIGKILL leaves only folders of dead workers, which the next
# run removes; either way the next run passes, and no process, network
# namespace or nftables rule outlives the run.
set -u
source "$(dirname "$0")/lib.sh"
H=$TOP/tests/hostile/udp-echo

workers_busy() { compgen -G "$T/tmp/wirecheck-*" >/dev/null; }
procs_in_tmp() {
	for p in /proc/[0-9]*; do
		case $(readlink "$p/cwd" 2>/dev/null) in "$T"/tmp/*) return 0 ;; esac
	done
	return 1
}
no_procs_in_tmp() { ! procs_in_tmp; }
# the harness's workers are forks of it: the same command line, with this test's captures path
no_workers() { ! pgrep -f -- "--captures $T/cap" >/dev/null; }

# A run that would take long: hanging servers, two at once.
"$WIRECHECK" run udp-echo --server "python3 hang.py" --dir "$H" -j 2 --captures "$T/cap" >"$T/int.out" 2>&1 &
pid=$!
check "SIGINT: the run has workers at work" wait_for 20 workers_busy
kill -INT $pid
wait $pid
rc=$?
check "SIGINT: exit status 130" test "$rc" -eq 130
check "SIGINT: says it stopped the workers" has "$T/int.out" "interrupted; workers stopped and their folders removed"
check "SIGINT: no process or folder left" no_leftovers

"$WIRECHECK" run udp-echo --server "python3 hang.py" --dir "$H" -j 2 --captures "$T/cap" >"$T/kill.out" 2>&1 &
pid=$!
check "SIGKILL: the run has workers at work" wait_for 20 workers_busy
kill -KILL $pid
wait $pid 2>/dev/null
check "SIGKILL: the workers die with it" wait_for 10 no_workers
check "SIGKILL: and the programs under test" wait_for 10 no_procs_in_tmp
left=$(ls -d "$T"/tmp/wirecheck-* 2>/dev/null | wc -l)
echo "# after SIGKILL: $left private folders of dead workers"

# The next run trips over nothing: it passes, and removes the dead workers' folders.
wcrun "$T/after.out" run udp-echo/basic udp-echo/several-clients --captures "$T/cap"
check "after SIGKILL: the next run passes" test "$rc" -eq 0
check "after SIGKILL: the dead workers' folders are gone" no_leftovers
# no network namespace of the runs is left: nothing holds one but a process
check "no nftables table outside the runs' namespaces" bash -c "! nft list tables 2>/dev/null | grep -q wirecheck"
