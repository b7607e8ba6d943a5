#!/usr/bin/env bash
# Host mode (issue 19): under Docker's default limits (tests/nons.c: Docker's
# default capabilities, a seccomp filter that refuses namespaces), wirecheck
# says once that it falls back to host mode and why, grades the references
# N/N with no ERROR, and gives every scenario it runs the verdict namespace
# mode gives (the references, hostile servers, some of the golden class;
# GOLDEN_ALL=1: the whole golden class); --isolation namespaces there is an
# ERROR that names the reason; a daemon a server leaves is killed.
set -u
OWN_NETNS=1 # its ports are its own (lib.sh)
source "$(dirname "$0")/lib.sh"

nons_as_root host || exit 0

check "nons: a namespace is refused under it" bash -c "! '$NONS' unshare -n true 2>/dev/null"
check "nons: a plain program runs under it" "$NONS" true

# verdicts JSON: one line per scenario run: label outcome score fault findings | summary,
# and for a client scenario where the client aimed ("client sent to 127.0.0.1:12000 (udp)"):
# host mode's shim must record what namespace mode's nftables sets do
verdicts() {
	python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
for s in d["scenarios"]:
    ids = ",".join(sorted(f["id"] for f in s.get("findings", [])))
    found = s.get("found") or ""
    aimed = " | " + found if found.startswith("client") else ""
    # frame numbers aside: how many segments a 100 KB upload took before the
    # reset is for the kernel to decide, in either mode (it-crash-named.sh alike)
    summary = re.sub(r" \(frame [0-9]+\)", "", s["summary"])
    print(s["lab"] + "/" + s["label"], s["outcome"], s["score"], s["fault"] or "-", ids or "-", "|", summary + aimed)
' "$1"
}

# same_verdicts NAME NS.json HOST.json: every scenario host mode ran has the
# verdict namespace mode gave it; the others are the two-host ones
same_verdicts() {
	local name=$1 ns=$2 host=$3
	verdicts "$ns" | sort >"$T/$name.ns.v" || return 1
	verdicts "$host" | sort >"$T/$name.host.v" || return 1
	[ -s "$T/$name.host.v" ] || { echo "# $name: no scenario ran in host mode"; return 1; }
	# every host-mode line is one of namespace mode's
	if ! comm -13 "$T/$name.ns.v" "$T/$name.host.v" | grep -q .; then
		return 0
	fi
	echo "# $name: verdicts that differ (- namespaces, + host mode):"
	diff "$T/$name.ns.v" "$T/$name.host.v" | grep '^[<>]' | grep -F -f <(comm -13 "$T/$name.ns.v" "$T/$name.host.v" |
		awk '{ print $1 }') | sed -e 's/^</#   -/' -e 's/^>/#   +/' | head -20
	return 1
}

# not_run_only NAME: the scenarios namespace mode ran and host mode did not
# are all two-host scenarios (client ones run through the LD_PRELOAD shim)
not_run_only() {
	local name=$1 id bad=0
	for id in $(comm -23 <(awk '{ print $1 }' "$T/$name.ns.v" | sort) <(awk '{ print $1 }' "$T/$name.host.v" | sort)); do
		local f=$TOP/fixtures/${id%%@*}.scn
		if ! grep -Eq '^hosts[[:space:]]+2' "$f"; then
			echo "# $name: $id was not run in host mode, and it is not a two-host scenario"
			bad=1
		fi
	done
	return $bad
}

# the references, lab by lab
for lab in udp-echo tcp-echo name-echo http dns; do
	"$WIRECHECK" run "$lab" --format json --captures "$T/cap-ns" >"$T/$lab.ns.json" 2>"$T/$lab.ns.err"
	ns_rc=$?
	rc=0
	"$NONS" "$WIRECHECK" run "$lab" --format json --captures "$T/cap-host" >"$T/$lab.host.json" 2>"$T/$lab.host.err" || rc=$?
	check "host $lab references: exit status 0 under nons (got $rc)" test "$rc" -eq 0
	check "host $lab references: namespace mode passes too (exit $ns_rc)" test "$ns_rc" -eq 0
	n_fall=$(grep -c 'cannot make namespaces here (unshare CLONE_NEWNET: Operation not permitted): host mode' "$T/$lab.host.err")
	check "host $lab: the fallback is said once, with the reason ($n_fall lines)" test "$n_fall" -eq 1
	tally=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tally"]; print(t["points"], t["max_points"], t["errors"], t["failed"])' "$T/$lab.host.json" 2>/dev/null)
	read -r pts max errs failed <<<"${tally:-x y z w}"
	check "host $lab references: $pts/$max, 0 ERROR, 0 failed (errors $errs, failed $failed)" \
		test "$pts" = "$max" -a "$errs" = 0 -a "$failed" = 0 -a "$max" != 0
	check "host $lab references: the same verdicts as in namespace mode" same_verdicts "$lab" "$T/$lab.ns.json" "$T/$lab.host.json"
	check "host $lab references: only two-host scenarios left out" not_run_only "$lab"
	n_cl=$(grep -c '| client sent to ' "$T/$lab.host.v")
	n_ns=$(grep -c '| client sent to ' "$T/$lab.ns.v")
	if "$WIRECHECK" list "$lab" 2>/dev/null | grep -Eq '^  [^ ]+ +client '; then
		check "host $lab references: the client scenarios run, with where the client aimed ($n_cl of $n_ns)" \
			test "$n_cl" -gt 0 -a "$n_cl" = "$n_ns"
	else
		check "host $lab references: no client scenario, none said to ($n_cl, $n_ns)" test "$n_cl" = 0 -a "$n_ns" = 0
	fi
done

# the slides' clients (a hard-coded 127.0.0.1, 'localhost', a LAN address)
# and a TCP one, through the shim: namespace mode's verdicts, the same
# "client sent to ..." (their aims differ, so the equality can fail)
for c in udp-echo/UDPClient.py udp-echo/UDPClientLocalhost.py udp-echo/UDPClientLAN.py tcp-echo/TCPClient.py; do
	lab=${c%%/*} prog=${c#*/} name=cl-${prog%.py}
	args=(run "$lab" --client "python3 $prog" --dir "$TOP/tests/students/$lab" --format json)
	"$WIRECHECK" "${args[@]}" --captures "$T/cap-ns" >"$T/$name.ns.json" 2>/dev/null
	"$NONS" "$WIRECHECK" "${args[@]}" --captures "$T/cap-host" >"$T/$name.host.json" 2>/dev/null
	check "host student client $c: the same verdicts as in namespace mode" same_verdicts "$name" "$T/$name.ns.json" "$T/$name.host.json"
	aim=$(grep -o '| client sent to .*' "$T/$name.host.v" | sort -u | tr '\n' ' ')
	check "host student client $c: it ran, and where it aimed is said ($aim)" grep -q '| client sent to ' "$T/$name.host.v"
done
check "host student clients: the LAN client's aim is its LAN address" grep -q '| client sent to 192.168.1.20:12000 (udp)' "$T/cl-UDPClientLAN.host.v"
check "host student clients: the localhost client's aim is 127.0.0.1:12000" \
	grep -q '| client sent to 127.0.0.1:12000 (udp)' "$T/cl-UDPClientLocalhost.host.v"

# the slides' TCP servers set no SO_REUSEADDR: each connection such a server
# closes first must not leave a TIME_WAIT on its port for the next scenario
# (host mode shares one network namespace; before the harness reset those
# connections, TCPServer.py failed 8 of 10 scenarios, "exited with status 1
# before a bound TCP port was seen")
for s in TCPServer.py TCPServer50000.py; do
	name=sv-${s%.py}
	args=(run tcp-echo --server "python3 $s" --dir "$TOP/tests/students/tcp-echo" --format json)
	"$WIRECHECK" "${args[@]}" --captures "$T/cap-ns" >"$T/$name.ns.json" 2>/dev/null
	"$NONS" "$WIRECHECK" "${args[@]}" --captures "$T/cap-host" >"$T/$name.host.json" 2>/dev/null
	check "host slides' server $s (no SO_REUSEADDR): the same verdicts as in namespace mode" \
		same_verdicts "$name" "$T/$name.ns.json" "$T/$name.host.json"
	check "host slides' server $s: every scenario ran" not_run_only "$name"
done

# control: a statically linked client ignores LD_PRELOAD. Its target is not
# guessed: the verdict says it could not be recorded, and as its datagrams
# never reach the reference server it is a FAIL, not an ERROR; in namespace
# mode (nftables) the same binary passes
mkdir -p "$T/static"
cat >"$T/static/udpclient.c" <<'EOF'
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
int main(void)
{
	char line[2048], reply[2049];
	struct sockaddr_in srv = {.sin_family = AF_INET, .sin_port = htons(12000)};
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n;
	inet_pton(AF_INET, "127.0.0.1", &srv.sin_addr);
	printf("Input lowercase sentence:");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	line[strcspn(line, "\n")] = 0;
	sendto(s, line, strlen(line), 0, (struct sockaddr *)&srv, sizeof(srv));
	if ((n = recvfrom(s, reply, sizeof(reply) - 1, 0, NULL, NULL)) < 0)
		return 1;
	reply[n] = 0;
	printf("%s\n", reply);
	return 0;
}
EOF
if cc -static -O2 -o "$T/static/udpclient" "$T/static/udpclient.c" 2>"$T/static.err" &&
	! ldd "$T/static/udpclient" >/dev/null 2>&1; then
	args=(run udp-echo/client-prints-reply --client ./udpclient --dir "$T/static")
	"$WIRECHECK" "${args[@]}" --captures "$T/cap-ns" >"$T/static.ns.out" 2>&1
	"$NONS" "$WIRECHECK" "${args[@]}" --captures "$T/cap-host" >"$T/static.host.out" 2>&1
	check "host static client: passes in namespace mode (the control's client works)" passes "$T/static.ns.out" udp-echo/client-prints-reply
	check "host static client: a FAIL in host mode, not an ERROR" bash -c "grep -q '^FAIL  udp-echo/client-prints-reply' '$T/static.host.out' && ! grep -q '^ERROR' '$T/static.host.out'"
	check "host static client: its targets are said not recorded, not guessed" \
		has "$T/static.host.out" "could not be recorded if it is a static binary, which ignores LD_PRELOAD"
else
	not_ok "host static client: cc -static builds a static client ($(head -c 200 "$T/static.err"))"
fi
has_not_run() { "$NONS" "$WIRECHECK" run udp-echo --captures "$T/cap-host" 2>/dev/null | grep -Eq "^not run in host mode: [0-9]+ scenarios"; }
check "host: the text report says what host mode did not run" has_not_run

# --isolation namespaces under nons: the ERROR that names the reason, exit 3
rc=0
"$NONS" "$WIRECHECK" run udp-echo/basic --isolation namespaces --captures "$T/cap-host" >"$T/nsonly.out" 2>&1 || rc=$?
check "host: --isolation namespaces under nons exits 3 (got $rc)" test "$rc" -eq 3
check "host: --isolation namespaces under nons names the reason" \
	has "$T/nsonly.out" "ERROR +namespaces: .*unshare CLONE_NEWNET\): Operation not permitted"
check "host: --isolation namespaces under nons grades nothing" bash -c "! grep -Eq '^(PASS|FAIL) ' '$T/nsonly.out'"

# doctor says which mode would be used
"$NONS" "$WIRECHECK" doctor udp-echo >"$T/doctor.out" 2>&1
check "host: doctor under nons says host mode and why" has "$T/doctor.out" "^wirecheck doctor: host mode \(cannot make namespaces here: unshare CLONE_NEWNET"
"$WIRECHECK" doctor udp-echo >"$T/doctor-ns.out" 2>&1
check "host: doctor on this machine says namespaces" bash -c "! grep -q 'host mode' '$T/doctor-ns.out' && grep -q '^ok .*namespaces' '$T/doctor-ns.out'"

# a daemon the server leaves behind is killed in host mode too: no PID namespace ends it
rc=0
"$NONS" "$WIRECHECK" run udp-echo/basic --server "python3 daemon.py" --dir "$TOP/tests/hostile/udp-echo" \
	--captures "$T/cap-host" >"$T/daemon.out" 2>&1 || rc=$?
check "host: the daemon's server passes basic" passes "$T/daemon.out" udp-echo/basic
check "host: no daemon is left after the scenario" bash -c "! pgrep -f wirecheck-daemon-marke[r]"

# init itself killed (no namespace dies with it): the daemon and the server
# it left are killed by the worker (every process of the programs' uid), and
# the scenario ends at once, not at the worker's deadline
mkdir -p "$T/dhang"
cat >"$T/dhang/dhang.py" <<'EOF'
import os, threading
from socket import *
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("python3", ["python3", "-c", "import threading; threading.Event().wait()", "wirecheck-daemon-marker"])
    os._exit(0)
s = socket(AF_INET, SOCK_DGRAM); s.bind(('', 12000)); s.recvfrom(2048)
while True:  # it works: the step's wait goes on until init's end is seen (or a CPU budget
    pass     # of seconds is spent), however long the test's killer takes to start on a busy machine
EOF
kill_init() {
	python3 - <<'EOF'
import os, time, signal
def procs():
    for p in filter(str.isdigit, os.listdir('/proc')):
        try:
            cmd = open(f'/proc/{p}/cmdline', 'rb').read().split(b'\0')
            ppid = int(open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1])
            yield int(p), cmd, ppid
        except (OSError, ValueError, IndexError):
            pass
until = time.time() + 300
while time.time() < until:  # a poll for the programs to be there (a watchdog's bound), not a wait for time
    ps = list(procs())
    if any(b'wirecheck-daemon-marker' in c for _, c, _ in ps):
        for p, c, pp in ps:
            try:
                if c[:2] == [b'python3', b'dhang.py'] and pp > 1 and b'wirecheck' in open(f'/proc/{pp}/cmdline', 'rb').read():
                    os.kill(pp, signal.SIGKILL)
                    raise SystemExit(0)
            except OSError:
                pass  # gone meanwhile: a process of the start
    time.sleep(0.02)
raise SystemExit(1)
EOF
}
# a watchdog, not a stopwatch: a worker that missed its init's end would run
# to the scenario's deadline (and say so), or hang (killed here: status 124)
timeout -k 10 300 "$NONS" "$WIRECHECK" run udp-echo/basic --server "python3 dhang.py" --dir "$T/dhang" \
	--captures "$T/cap-host" >"$T/dhang.out" 2>&1 &
wc_pid=$!
check "host: the program's init found and killed" kill_init
rc=0
wait $wc_pid || rc=$?
check "host: init killed: the server is named as killed" fails_with "$T/dhang.out" udp-echo/basic "killed by signal 9"
check "host: init killed: over on the evidence, not at the deadline (status $rc)" \
	bash -c "[ $rc -ne 124 ] && [ $rc -ne 137 ] && ! grep -q deadline '$T/dhang.out'"
check "host: init killed: no daemon and no server left" bash -c "! pgrep -f 'wirecheck-daemon-marke[r]|^python3 dhang.py'"

# hostile servers: the same verdict in both modes (waits on evidence: the
# program's /proc read as its own uid, there is no CAP_SYS_PTRACE)
for name in hang crash never_binds ignores_term term_self; do
	args=(run udp-echo/basic,udp-echo/several-clients --server "python3 $name.py" --dir "$TOP/tests/hostile/udp-echo"
		--ready-timeout 800 --format json)
	"$WIRECHECK" "${args[@]}" --captures "$T/cap-ns" >"$T/$name.ns.json" 2>/dev/null
	rc=0
	timeout -k 10 300 "$NONS" "$WIRECHECK" "${args[@]}" --captures "$T/cap-host" >"$T/$name.host.json" \
		2>"$T/$name.host.err" || rc=$?
	check "host hostile $name: the same verdicts as in namespace mode" same_verdicts "$name" "$T/$name.ns.json" "$T/$name.host.json"
	check "host hostile $name: ended on evidence, no deadline reached (status $rc)" \
		bash -c "[ $rc -ne 124 ] && [ $rc -ne 137 ] && ! grep -q deadline '$T/$name.host.json' '$T/$name.host.err'"
done

# the golden class (some of it; GOLDEN_ALL=1: all of it), as a student's server
G=$TOP/tests/students/golden
picks="http/close404.py http/keepalive.py http/hdrcrash.py dns/fixedid.py dns/keyerror.py dns/asciihex.py"
[ -z "${GOLDEN_ALL:-}" ] || picks=$(cd "$G" && ls http/*.py dns/*.py)
for prog in $picks; do
	lab=${prog%%/*} name=$(basename "$prog" .py)
	args=(run "$lab" --server "python3 $name.py" --dir "$G/$lab" --name "$name" --format json)
	"$WIRECHECK" "${args[@]}" --captures "$T/cap-ns" >"$T/g-$name.ns.json" 2>/dev/null
	"$NONS" "$WIRECHECK" "${args[@]}" --captures "$T/cap-host" >"$T/g-$name.host.json" 2>/dev/null
	check "host golden $prog: the same verdicts as in namespace mode" same_verdicts "g-$name" "$T/g-$name.ns.json" "$T/g-$name.host.json"
	check "host golden $prog: only two-host scenarios left out" not_run_only "g-$name"
done

# grade: a small class (a C server built by its Makefile, a daemon, a hang, a
# crash, a mutant, the slides' programs), in both modes: each submission's
# scenarios that host mode ran have namespace mode's verdicts
C=$T/class
S=$TOP/tests/students/udp-echo H=$TOP/tests/hostile/udp-echo
mkdir -p "$C"/good "$C"/lower "$C"/hang "$C"/crash "$C"/daemon "$C"/cmake
cp "$S/UDPServer.py" "$S/UDPClient.py" "$C/good/"
cp "$TOP/tests/mutants/udp-echo/lower.py" "$C/lower/UDPServer.py"
cp "$H/hang.py" "$C/hang/UDPServer.py"
cp "$H/crash.py" "$C/crash/udpserver.py"
cp "$H/daemon.py" "$C/daemon/UDPServer.py"
cp "$TOP/tests/students/udp-echo-c/UDPServer.c" "$C/cmake/UDPServer.c"
printf 'UDPServer: UDPServer.c\n\tcc -O2 -o UDPServer UDPServer.c\n' >"$C/cmake/Makefile"
"$WIRECHECK" grade "$C" --lab udp-echo --out "$T/g-ns" --format json -j 2 >"$T/grade-ns.out" 2>&1
rc=0
"$NONS" "$WIRECHECK" grade "$C" --lab udp-echo --out "$T/g-host" --format json -j 2 >"$T/grade-host.out" 2>&1 || rc=$?
check "host grade: exit status 0 under nons (got $rc)" test "$rc" -eq 0
check "host grade: -j 2 taken as -j 1, said so" has "$T/grade-host.out" "host mode runs one scenario at a time \(-j 2 taken as -j 1\)"
check "host grade: no harness error in the gradebook" \
	bash -c "awk -F, 'NR > 1 && \$7 != 0 { bad = 1 } END { exit bad }' '$T/g-host/gradebook.csv'"
for sub in good lower hang crash daemon cmake; do
	check "host grade $sub: the same verdicts as in namespace mode" \
		same_verdicts "grade-$sub" "$T/g-ns/$sub/wirecheck.json" "$T/g-host/$sub/wirecheck.json"
done
check "host grade: the report says what host mode did not run" has "$T/g-host/good/report.txt" "^NOT RUN  host mode: [0-9]+ scenarios"
check "host grade: no daemon is left" bash -c "! pgrep -f wirecheck-daemon-marke[r]"

check "host: nothing left behind" no_leftovers
