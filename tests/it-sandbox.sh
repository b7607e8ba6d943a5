#!/usr/bin/env bash
# Failure paths and isolation: a server that hangs, crashes, never binds, dies
# of a signal, ignores SIGTERM or leaves a daemon is reported with the reason
# within the deadline, and nothing is left behind; runs do not disturb each
# other; rootless mode works.
set -u
source "$(dirname "$0")/lib.sh"
H=$TOP/tests/hostile/udp-echo

shift_opts=()
ns_before=$(ns_of_procs)

# as_nobody CMD...: CMD as nobody (rootless, no subordinate ids), its HOME in $T/rootless
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME="$T/rootless")
# whos: the users each of the issue's cases is graded as: this one, and nobody (rootless) when root
whos=("$(id -un)")
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$T/rootless" && chmod 777 "$T/rootless" "$T"
	whos+=(nobody)
fi

# run_hostile NAME SCENARIO EXTRA... [-- ARGS...]: grade tests/hostile/udp-echo/NAME.py
# on one scenario, its report in $T/NAME.out, named in $ho, the captures under
# $hcap. In the environment: AS=nobody, as nobody (the report in
# $T/NAME-nobody.out, the captures the user's); OUT=WORD, the report in
# $T/WORD.out (WORD-nobody.out) instead; DIR=FOLDER, NAME.py of FOLDER;
# NS_SETUP=SHELL, run in a mount namespace of the test's own where SHELL ran
# first, as root (the host's files seen differently by this run alone)
run_hostile() {
	local name=$1 scn=$2 out=$T/${OUT:-$1} pre=()
	shift 2
	local args=""
	hcap=$T/cap
	if [ "${AS:-}" = nobody ] && [ "$(id -u)" = 0 ]; then
		out+=-nobody hcap=$T/rootless/cap
		pre=("${as_nobody[@]}")
	fi
	ho=$out.out
	[ -n "${NS_SETUP:-}" ] && pre=(unshare --mount --propagation private bash -c "$NS_SETUP"' && exec "$@"' ns "${pre[@]}")
	# after --: the program's own arguments
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift_opts+=("$1"); shift; done
	[ "${1:-}" = "--" ] && { shift; args=" $*"; set --; }
	# a watchdog, not a stopwatch: the wait must end on evidence or at the
	# scenario's own deadline; a harness waiting on the program for good is
	# killed here (status 124) and fails 'ended', at any load
	rc=0
	timeout -k 10 300 "${pre[@]}" "$WIRECHECK" run "$scn" --server "python3 $name.py$args" --dir "${DIR:-$H}" \
		--captures "$hcap" "${shift_opts[@]}" >"$ho" 2>&1 || rc=$?
	shift_opts=()
}
ended() { [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ]; }

run_hostile hang udp-echo/basic
check "hang: basic fails with no reply: blocked for good" fails_with "$T/hang.out" udp-echo/basic \
	"no reply: the server is blocked, nothing will wake it"
check "hang: exit status 1" test "$rc" -eq 1
check "hang: the run ended on the proof, no wait ran out" \
	bash -c "! grep -Eq 'waited [0-9]+ ms|within [0-9]+ ms' '$T/hang.out'"

run_hostile crash udp-echo/basic
check "crash: basic fails, the crash named" fails_with "$T/crash.out" udp-echo/basic "no reply: the server crashed: RuntimeError: student bug: crashed on b'hello world' (exit status 1)"
check "crash: the reason is the exit status" has "$T/crash.out" "the server exited with status 1"
check "crash: its stderr is shown" has "$T/crash.out" "RuntimeError: student bug"

run_hostile segfault udp-echo/basic
check "segfault: reported as signal 11" has "$T/segfault.out" "killed by signal 11"

run_hostile never_binds udp-echo/basic --ready-timeout 800
check "never binds (blocked on its standard input, then a futex): reported as blocked" \
	fails_with "$T/never_binds.out" udp-echo/basic "the server is blocked before binding a UDP port, nothing will wake it"
check "never binds: the run ended on the proof, not the 800 ms" bash -c "! grep -q '800 ms' '$T/never_binds.out'"

run_hostile spins_unbound udp-echo/basic --ready-timeout 800
check "spins, never binds: reported once it has spent the CPU budget" \
	fails_with "$T/spins_unbound.out" udp-echo/basic "the server kept a CPU busy without binding a UDP port"

# Wrong report texts (issue 18), root and rootless: a server that exits before
# binding is told so with its status; a server's own SIGTERM is its own, not
# the harness's (rootless, its signal to its pid 1 had been reported as the
# harness's); a TCP server graded in a UDP lab is told what it bound
for who in "${whos[@]}"; do
	AS=$who run_hostile exits_at_once udp-echo/basic
	check "exits at once, as $who: reported with status" fails_with "$ho" udp-echo/basic \
		"exited with status 3 before a bound UDP port was seen"
	check "exits at once, as $who: stderr shown" has "$ho" "cannot find config.txt"
	AS=$who run_hostile term_self udp-echo/several-clients
	check "own SIGTERM, as $who: named as signal 15, not as the harness's" \
		bash -c "grep -q 'killed by signal 15 (Terminated)' '$ho' && ! grep -q \"harness's SIGTERM\" '$ho'"
	AS=$who DIR=$TOP/tests/students/tcp-echo OUT=tcp_in_udp run_hostile TCPServer udp-echo/basic
	check "a TCP server in the UDP lab, as $who: told it listens on TCP 12000" fails_with "$ho" udp-echo/basic \
		"it listens on tcp 0.0.0.0:12000: this lab's server uses UDP (SOCK_DGRAM)"
done

run_hostile ignores_term udp-echo/basic
check "ignores SIGTERM: still graded" passes "$T/ignores_term.out" udp-echo/basic
check "ignores SIGTERM: killed after the grace, the run ended (status $rc)" ended

run_hostile daemon udp-echo/basic
check "daemon: server graded" passes "$T/daemon.out" udp-echo/basic
check "daemon: no daemon left" test -z "$(pgrep -f wirecheck-daemon-marker)"

# Its own /proc, /sys, IPC namespace and view of the files (issue 18): a host
# process, a host interface, a SysV segment left on the host under a known key,
# the host's accounts, another class's folder (0644 in /var/tmp) and the
# fixtures with the expected answers are not there for the program (it appends
# what it finds to its replies), and the segment it makes itself ends with it.
hostif=$(ls /sys/class/net | grep -vx lo | head -1)
victim=$(mktemp -d /var/tmp/wc-class.XXXXXX)
chmod 755 "$victim"
echo "print('another student')" >"$victim/UDPServer.py"
chmod 644 "$victim/UDPServer.py"
check "peeks_host: the victim file and the fixtures are world-readable here" \
	bash -c "[ -r '$victim/UDPServer.py' ] && [ \$(stat -c %a '$TOP/fixtures/udp-echo/basic.scn') -ge 444 ] && grep -q '^daemon:' /etc/passwd"
python3 -c '
import ctypes
libc = ctypes.CDLL(None); libc.shmat.restype = ctypes.c_void_p
shm = libc.shmget(0x57434b31, 4096, 0o1666)
ctypes.memmove(libc.shmat(shm, None, 0), b"HOSTSECRET\0", 11)'
check "peeks_host: a host segment is there to find (key 0x57434b31)" bash -c "ipcs -m | grep -q 0x57434b31"
run_hostile peeks_host udp-echo/basic -- $$ "${hostif:-eth0}" "$victim/UDPServer.py" "$TOP/fixtures/udp-echo/basic.scn"
check "peeks_host: no host process, interface ($hostif), segment, account or grader's file seen: basic passes" \
	passes "$T/peeks_host.out" udp-echo/basic
rm -rf "$victim"
check "peeks_host: the segment it made is gone with it" bash -c "! ipcs -m | grep -q 0x57434b32"
ipcrm -M 0x57434b31 2>/dev/null

# Its own /etc (issue 18: "/etc with only what programs need"): its own passwd
# and group, no account of the host's; none of the host's account or secret
# files (shadow, subuid, passwd-, machine-id, ssh ...); every mount there
# read-only; and there, what programs read (mime.types for Python's
# mimetypes, alternatives for cc and java, ld.so.cache, resolv.conf, ssl ...).
# The control: the same program shown a folder that holds the host's passwd
# and group and files named as the host's shadow and subuid sees them all.
etc_needs=""
for n in mime.types ld.so.cache hosts resolv.conf nsswitch.conf services protocols localtime alternatives \
	ssl/certs java-17-openjdk; do
	[ -r "/etc/$n" ] && etc_needs+=" $n"
done
etc_secret=$(cd /etc && ls -d shadow gshadow subuid subgid passwd- group- shadow- gshadow- sudoers ssh machine-id \
	hostname 2>/dev/null | tr '\n' ' ')
check "lists_etc: the host has accounts (daemon among them) and the files to hide: $etc_secret" \
	bash -c "grep -q '^daemon:' /etc/passwd && [ -n '$etc_secret' ]"
run_hostile lists_etc udp-echo/basic -- $etc_needs
check "lists_etc: its own accounts only, no secret file, read-only, and$etc_needs there: basic passes" \
	passes "$T/lists_etc.out" udp-echo/basic
mkdir -p "$T/le/etc"
cp "$H/lists_etc.py" "$H/leak_echo.py" "$T/le/"
cp /etc/passwd /etc/group "$T/le/etc/"
touch "$T/le/etc/shadow" "$T/le/etc/subuid"
chmod -R a+rX "$T/le"
wcrun "$T/lists_etc-control.out" run udp-echo/basic --server "python3 lists_etc.py --etc etc" --dir "$T/le" \
	--captures "$T/cap"
# leaked OUT REGEX: basic failed on a reply that carries what the program found, "LEAK: " and REGEX
leaked() {
	grep -Eq "^ +got +[0-9]+ bytes: \"HELLO WORLD LEAK: $2" "$1" && fails_with "$1" udp-echo/basic "reply of"
}
check "lists_etc control, the host's files shown to it: it sees the files and the accounts, basic fails" \
	leaked "$T/lists_etc-control.out" "shadow, subuid, host account daemon in passwd"

# What programs need is there (issue 18: its /etc has "only what programs
# need", and that much): uses_etc.py, a student's echo server that looks up
# localhost, the http service and the udp protocol, its own account and group
# (an account for its uid, mapped or not), and uses the zone and locale the
# README promises, crashing on what is missing, passes as root and as nobody.
# The control, in a mount namespace of the test's own: each of the host's
# hosts, services and protocols made unreadable to others, so that the
# sandbox leaves it out, as it would a file it forgot; the same server then
# crashes on the lookup, and basic fails.
# crashed_on OUT REGEX: basic failed on a crash before the bind, the server's stderr shown says REGEX
crashed_on() {
	fails_with "$1" udp-echo/basic 'exited with status 1 before a bound UDP port was seen' && grep -Eq "\| $2" "$1"
}
etc_used=$(cd /etc && ls hosts services protocols 2>/dev/null | tr '\n' ' ')
check "uses_etc: the host has the files it looks names up in (hosts protocols services: $etc_used)" \
	test "$etc_used" = "hosts protocols services "
for who in "${whos[@]}"; do
	AS=$who run_hostile uses_etc udp-echo/basic
	check "uses_etc as $who: localhost, a service, a protocol, its account, zone and locale: basic passes" \
		passes "$ho" udp-echo/basic
	[ "$(id -u)" = 0 ] || continue
	for f in $etc_used; do
		case $f in
		hosts) err="socket.gaierror: \[Errno -[0-9]+\] .*" ;;
		services) err="OSError: service/proto not found" ;;
		protocols) err="OSError: protocol not found" ;;
		esac
		AS=$who OUT=uses_etc-no-$f NS_SETUP="cp /etc/$f '$T/hidden-$f' && chmod 600 '$T/hidden-$f' &&
			mount --bind '$T/hidden-$f' /etc/$f" run_hostile uses_etc udp-echo/basic
		check "uses_etc as $who, control: /etc/$f left out, the lookup fails and so does basic" crashed_on "$ho" "$err"
	done
done

# Only what programs need of the host's /etc (README "Isolation": an
# allow-list), not every entry that every user may read (issue 18): a grader's
# world-readable token in /etc, in a folder of its own (/etc/wc-grader-PID/token)
# or as a file (/etc/wc-grader-PID.token), made here and removed after, is not
# read by reads_grader.py, as root and as nobody. The control, in a mount
# namespace of the test's own: the same folder bound onto /etc/python3, a
# folder the sandbox binds whole, or the file over /etc/mime.types, a file it
# copies (python3 depends on media-types), is read, and basic fails. As root
# only (it writes in /etc).
# grader_etc WHAT MADE TOKEN KEPT READ: WHAT (folder or file) made at MADE,
# holding the token at TOKEN; the control binds MADE onto KEPT and reads READ
grader_etc() {
	local what=$1 made=$2 token=$3 kept=$4 read=$5 secret="GRADER-ETC-$1-$$"
	trap 'rm -rf "$T" "$made"' EXIT
	[ "$what" = folder ] && mkdir -m 755 "$made"
	echo "$secret" >"$token" && chmod 644 "$token"
	check "a grader's $what in /etc: its token is there for every user to read" \
		bash -c "${as_nobody[*]} cat '$token' | grep -q $secret"
	for who in "${whos[@]}"; do
		AS=$who OUT=etc_grader_$what run_hostile reads_grader udp-echo/basic -- /tmp "$token"
		check "a grader's $what in /etc, as $who: not in the program's /etc, its token not read: basic passes" \
			passes "$ho" udp-echo/basic
		AS=$who OUT=etc_grader_$what-control NS_SETUP="mount --bind '$made' $kept" run_hostile reads_grader \
			udp-echo/basic -- /tmp "$read"
		check "a grader's $what in /etc, as $who, control: bound where a kept $what is, it is read and basic fails" \
			leaked "$ho" "$read: $secret\""
	done
	rm -rf "$made"
	trap 'rm -rf "$T"' EXIT
}
if [ "$(id -u)" = 0 ]; then
	grader_etc folder "/etc/wc-grader-$$" "/etc/wc-grader-$$/token" /etc/python3 /etc/python3/token
	grader_etc file "/etc/wc-grader-$$.token" "/etc/wc-grader-$$.token" /etc/mime.types /etc/mime.types
else
	skip "a grader's folder in /etc: not root (the test makes a folder in /etc)"
fi

# The host replaces /etc/passwd during a scenario, as adduser and useradd do
# (a new file renamed into place): the program's passwd is its own file, not
# a bind over the host's, which the rename would leave behind. In a mount
# namespace of the test's own, a copy of /etc is bound over /etc; the server
# says it started (its sandbox built), the test renames a passwd with one more
# account over the copy's, then lets the server look, and it sees its own
# accounts only. The control: a file bound over that passwd, as the sandbox
# had its own, shows the host's new passwd after the next rename.
if [ "$(id -u)" = 0 ]; then
	W=$T/replace && mkdir -m 1777 "$W"
	cat >"$T/replace.sh" <<EOF
set -eu
cp -a /etc "$T/etc-host"
mount --bind "$T/etc-host" /etc
rc=0
WIRECHECK_WRITABLE="$W" "$WIRECHECK" run udp-echo/basic --server "python3 lists_etc.py --wait $W" --dir "$H" \
	--captures "$T/cap" --ready-timeout 120000 >"$T/replace.out" 2>&1 &
run=\$!
# a poll for the server's word, which comes, or the run ends (its ready timeout)
until [ -e "$W/started" ] || ! kill -0 \$run 2>/dev/null; do sleep 0.05; done
cp -p /etc/passwd /etc/passwd+
echo 'wcrenamed:x:4242:4242::/nonexistent:/usr/sbin/nologin' >>/etc/passwd+
mv /etc/passwd+ /etc/passwd
grep -c '^wcrenamed:' /etc/passwd >"$W/host-has" || true
touch "$W/renamed"
wait \$run || rc=\$?
echo \$rc >"$T/replace.rc"
# the control: the bind in a namespace of its own, as the sandbox's was (in
# the namespace that holds it, a rename over a mount point is refused)
echo 'student:x:1:1::/:/bin/sh' >"$T/over"
mkfifo "$T/bound" "$T/moved"
unshare --mount --propagation private sh -c 'mount --bind "$T/over" /etc/passwd && cat /etc/passwd
	echo >"$T/bound"; read x <"$T/moved"; cat /etc/passwd' >"$T/replace-control.out" 2>&1 &
read x <"$T/bound"
cp -p /etc/passwd /etc/passwd+
echo 'wcrenamed2:x:4243:4243::/nonexistent:/usr/sbin/nologin' >>/etc/passwd+
mv /etc/passwd+ /etc/passwd
echo >"$T/moved"
wait
EOF
	setup_rc=0
	unshare --mount --propagation private bash "$T/replace.sh" >"$T/replace-setup.out" 2>&1 || setup_rc=$?
	check "host replaces /etc/passwd: set up (a copy of /etc bound over it, in a mount namespace of the test's)" \
		test "$setup_rc" -eq 0
	[ "$setup_rc" -eq 0 ] || show "$T/replace-setup.out"
	check "host replaces /etc/passwd: renamed into place once the server had started, the host's view has the new account" \
		bash -c "[ -e '$W/started' ] && [ \"\$(cat '$W/host-has' 2>/dev/null)\" = 1 ]"
	check "host replaces /etc/passwd: looked at after that, the program's holds its own accounts only: basic passes" \
		bash -c "[ \"\$(cat '$W/looked' 2>/dev/null)\" = 'its own accounts only' ] && [ \"\$(cat '$T/replace.rc')\" = 0 ]"
	[ "$(cat "$T/replace.rc" 2>/dev/null)" = 0 ] || { show "$T/replace.out"; sed 's/^/# looked: /' "$W/looked" 2>/dev/null; }
	check "host replaces /etc/passwd, control: a file bound over it shows the host's new passwd after a rename" \
		bash -c "head -1 '$T/replace-control.out' | grep -qx 'student:x:1:1::/:/bin/sh' &&
			grep -q '^wcrenamed2:' '$T/replace-control.out'"
fi

# Its copy is on a tmpfs of 512 MiB (issue 18: 2-3 GiB written per scenario):
# a server that fills its folder is stopped by ENOSPC and still served; without
# the quota it writes 4 GiB to the disk and says so in its replies.
for who in "${whos[@]}"; do
	AS=$who run_hostile disk_hog udp-echo/basic
	check "disk hog, as $who: its writes end at the copy's quota, and it is graded" passes "$ho" udp-echo/basic
done

run_hostile port80 udp-echo/basic
check "port 80 bound without privileges" passes "$T/port80.out" udp-echo/basic
check "port 80 found by itself" has "$T/port80.out" "server bound udp 0.0.0.0:80 "

# A child floods another port ([::1]:9, 127.0.0.1:9) with 60000-byte datagrams
# from before the bind (issue 18: 22534 frames dropped, ERROR, 1.7 GB of pcaps,
# and the flood's socket taken for the server): the capture keeps the
# scenario's own ports, discovery takes the socket bound on purpose.
for who in "${whos[@]}"; do
	touch "$T/flood-$who.mark"
	AS=$who run_hostile flood_elsewhere udp-echo/several-clients
	check "flood elsewhere, as $who: several-clients passes, no ERROR" passes "$ho" udp-echo/several-clients
	check "flood elsewhere, as $who: the server's socket found, not the flood's" \
		has "$ho" "server bound udp 0.0.0.0:12000 "
	check "flood elsewhere, as $who: no frame dropped" bash -c "! grep -q 'dropped' '$ho'"
	fl_pcap=$(find "$hcap" -path '*udp-echo/several-clients.pcap' -newer "$T/flood-$who.mark" | head -1)
	check "flood elsewhere, as $who: the capture holds the scenario's frames only (under 1 MB)" \
		bash -c "[ -n '$fl_pcap' ] && [ \$(stat -c %s '$fl_pcap') -lt 1000000 ] &&
			[ \$(tshark -r '$fl_pcap' -Y 'udp.port == 9' 2>/dev/null | wc -l) -eq 0 ] &&
			[ \$(tshark -r '$fl_pcap' -Y 'udp.port == 12000' 2>/dev/null | wc -l) -ge 4 ]"
done


# Writing outside its copy: the fixtures, the source tree, /var/tmp, the folder
# around the copy are read-only to it; /tmp and /dev/shm are its own, fresh and
# gone when it ends. The program exits 3 if a write got through.
run_hostile writes_outside udp-echo/basic -- "$TOP/fixtures/udp-echo" "$TOP"
check "writes outside: kept to its copy, then graded" passes "$T/writes_outside.out" udp-echo/basic
check "writes outside: nothing in fixtures/ or the source tree" \
	test -z "$(find "$TOP/fixtures" "$TOP" -maxdepth 2 -name 'wirecheck-escape-*' 2>/dev/null)"
check "writes outside: nothing left in /tmp or /var/tmp" \
	test -z "$(find /tmp /var/tmp /dev/shm -maxdepth 1 -name 'wirecheck-escape-*' 2>/dev/null)"
# ... and a write it may make (into its own folder) is seen as one: the test can fail
run_hostile writes_outside udp-echo/basic -- .
check "writes outside: a write that gets through fails the scenario" fails_with "$T/writes_outside.out" udp-echo/basic "exited with status 3"

# Reaching outside its network namespace: public addresses and the host's own are unreachable.
hostip=$(ip -4 -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1)
run_hostile reaches_out udp-echo/basic -- ${hostip:-192.0.2.1}:22 ${hostip:-192.0.2.1}:80
check "reaches out: nothing outside the namespace answers, then graded" passes "$T/reaches_out.out" udp-echo/basic
# ... and an address it can reach (a listener of its own) is seen as reached: the test can fail
run_hostile reaches_out udp-echo/basic -- self-listener
check "reaches out: an address it can reach fails the scenario" fails_with "$T/reaches_out.out" udp-echo/basic "exited with status 3"

# A fork bomb is held by the process limit and ends with its PID namespace;
# a memory hog is refused beyond 1 GiB (RLIMIT_DATA) and serves on; root and
# rootless. Its CPU share is its session's, not the grader's (issue 18: 8
# spinners made another job of the grader's session 3.8x slower): its own
# autogroup and a CPU time limit; the control, the same program outside the
# sandbox, in the test's session, is seen at the grader's share.
grader_ag=$(cut -d' ' -f1 /proc/self/autogroup 2>/dev/null)
for who in "${whos[@]}"; do
	AS=$who run_hostile fork_bomb udp-echo/several-clients
	check "fork bomb, as $who: the server is still graded" passes "$ho" udp-echo/several-clients
	check "fork bomb, as $who: nothing left behind" no_leftovers
	AS=$who run_hostile memory_hog udp-echo/several-clients
	check "memory hog, as $who: contained, the server is graded" passes "$ho" udp-echo/several-clients
	if [ -n "$grader_ag" ]; then
		AS=$who run_hostile cpu_share udp-echo/basic -- "$grader_ag"
		check "CPU, as $who: an autogroup of its own (not the grader's $grader_ag), a CPU time limit: basic passes" \
			passes "$ho" udp-echo/basic
	fi
done
if [ -n "$grader_ag" ]; then
	check "CPU, control: outside the sandbox, the same program is seen in the grader's autogroup with no CPU limit" \
		test "$(cd "$H" && python3 cpu_share.py --print "$grader_ag")" = "the grader's autogroup $grader_ag, no CPU time limit"
else
	skip "CPU: no /proc/self/autogroup (a kernel without CONFIG_SCHED_AUTOGROUP)"
fi

# Memory for all the program's processes together (issue 18): as root with a
# memory controller, each program runs in a cgroup of its own, 1 GiB for all
# its processes. Six children of 900 MiB each (each under RLIMIT_DATA), or one
# 3 GiB MAP_SHARED mapping (which RLIMIT_DATA does not count), are held there;
# the server serves on, and the report says the limit killed them. What is
# judged is the peak of the resident memory of the run's processes together
# (tests/peak-rss.py; MemAvailable, which other work on the machine moves by
# hundreds of MiB, is shown as a comment). The control, the same hog with no
# cgroup (WIRECHECK_NO_CGROUP=1), shows the check sees a hog get past 1.5 GiB.
# The hogs bind once they have hogged (up to 15 s): --ready-timeout 20000.
# mem_run OUT SCENARIO SERVER [VAR=VALUE...]: grades the server command SERVER (of
# tests/hostile/udp-echo) on SCENARIO, in that environment, measured; sets peak_mib;
# the reports as text (OUT.out), JSON and TAP (in OUT-rep/)
mem_run() {
	local out=$1 scn=$2 prog=$3 peak drop
	shift 3
	rc=0
	env "$@" python3 "$TOP/tests/peak-rss.py" "$T/$out.peak" "$WIRECHECK" run "$scn" --server "$prog" \
		--dir "$H" --captures "$T/cap" --ready-timeout 20000 --format text,json,tap --out "$T/$out-rep" \
		>"$T/$out.out" 2>&1 || rc=$?
	read -r peak drop <"$T/$out.peak" || peak=0
	peak_mib=$((peak / 1024))
	echo "# $out: the run's processes peaked at $peak_mib MiB resident together; MemAvailable fell $((drop / 1024)) MiB"
}
limit_said="the scenario's memory limit \(1 GiB for all its processes together\) was reached"
# oom_json OUT: the JSON report's 'oom' of each scenario of mem_run OUT, a line
# each: "LIMIT KILLED PROGRAM_KILLED", or "absent"; its detail's note on a pass
oom_json() {
	/usr/bin/python3 -c 'import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    o = s.get("oom")
    print("absent" if o is None else "%d %d %s" % (o["limit"], o["killed"], str(o["program_killed"]).lower()))
    if o and s["outcome"] == "pass" and "memory limit" not in s["detail"]:
        print("pass without the note in its detail")' "$T/$1-rep/wirecheck.json" 2>&1
}
if [ "$(id -u)" = 0 ] && { awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { f = 1 } END { exit !f }' /proc/mounts ||
	grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; }; then
	mem_run mem-children udp-echo/several-clients "python3 memory_children.py"
	check "memory, six children of 900 MiB: the server is graded" passes "$T/mem-children.out" udp-echo/several-clients
	check "memory, six children of 900 MiB: held under 1.5 GiB together ($peak_mib MiB)" test "$peak_mib" -lt 1536
	check "memory, six children of 900 MiB: the report says the limit killed some" \
		has "$T/mem-children.out" "$limit_said: [1-9][0-9]* of its processes (was|were) killed"
	check "memory: no notice of a missing cgroup as root" bash -c "! grep -q 'no cgroup for the programs' '$T/mem-children.out'"
	mem_run mem-shared udp-echo/several-clients "python3 memory_shared.py"
	check "memory, a 3 GiB MAP_SHARED mapping: the server is graded" passes "$T/mem-shared.out" udp-echo/several-clients
	check "memory, a 3 GiB MAP_SHARED mapping: held under 1.5 GiB ($peak_mib MiB)" test "$peak_mib" -lt 1536
	check "memory, a 3 GiB MAP_SHARED mapping: the report says the limit killed it" \
		has "$T/mem-shared.out" "$limit_said: 1 of its processes was killed"
	check "memory, a 3 GiB MAP_SHARED mapping: the JSON says so ('oom': the limit, 1 killed, not the program), with the note in its detail" \
		test "$(oom_json mem-shared)" = "1073741824 1 false"
	check "memory, a 3 GiB MAP_SHARED mapping: the TAP report's detail of the pass has the note" \
		has "$T/mem-shared-rep/report.tap" "^  detail: \"  note: $limit_said: the kernel killed 1 of the server's processes"
	mem_run mem-self udp-echo/basic "python3 memory_shared.py self"
	check "memory, the server's own 3 GiB mapping: killed, and the report says by the limit" \
		fails_with "$T/mem-self.out" udp-echo/basic "the server crashed: killed by signal 9 (Killed): ${limit_said//\\/}"
	check "memory, the server's own 3 GiB mapping: the JSON says so ('oom': the limit, killed, the program itself)" \
		bash -c "[[ '$(oom_json mem-self)' =~ ^1073741824\ [1-9][0-9]*\ true$ ]]"
	# the control: the same check, without the cgroup, sees the children get past it
	mem_run mem-control udp-echo/several-clients "python3 memory_children.py" WIRECHECK_NO_CGROUP=1
	check "memory control, no cgroup: the children get past 1.5 GiB together ($peak_mib MiB)" test "$peak_mib" -ge 1536
	check "memory control, no cgroup: nothing killed by a limit, no 'oom' in the JSON" test "$(oom_json mem-control)" = absent
	check "memory control, no cgroup: said once, in one line" \
		test "$(grep -c '^wirecheck: no cgroup for the programs (WIRECHECK_NO_CGROUP is set): memory is limited per process only' "$T/mem-control.out")" -eq 1
	# a cgroup of a worker that is gone (killed with SIGKILL) is removed by the next run
	dead=$(sh -c 'echo $$')
	stale=()
	for b in $(awk '$3 == "cgroup" && $4 ~ /(^|,)(memory|pids|cpu)(,|$)/ { print $2 }' /proc/mounts) /sys/fs/cgroup; do
		[ -d "$b/wirecheck" ] && mkdir "$b/wirecheck/$dead-1" 2>/dev/null && stale+=("$b/wirecheck/$dead-1")
	done
	wcrun "$T/stale.out" run udp-echo/basic --server "python3 ignores_term.py" --dir "$H" --captures "$T/cap"
	check "memory: a dead worker's cgroup (${#stale[@]} folders) is removed by the next run" \
		bash -c "[ ${#stale[@]} -gt 0 ] && ! ls -d ${stale[*]} 2>/dev/null"
	# none of a worker that is gone is left (a run beside this test, another
	# checkout's tests, has cgroups of its own while its workers live)
	no_dead_cgroups() {
		local d n dead=""
		for d in /sys/fs/cgroup/*/wirecheck/[0-9]*-* /sys/fs/cgroup/wirecheck/[0-9]*-*; do
			n=${d##*/}
			[ -d "$d" ] && ! kill -0 "${n%%-*}" 2>/dev/null && dead+=" $d"
		done
		[ -z "$dead" ] || { echo "# left:$dead"; return 1; }
	}
	check "memory: no cgroup of a worker that is gone is left" wait_for 5 no_dead_cgroups
else
	skip "memory for all processes together: not root, or no memory controller (cgroup v1 memory, or v2 with memory)"
fi

# A flood on stdout: kept up to a bound, the rest read and counted, the harness small.
maxrss=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
	"$WIRECHECK" run udp-echo/many-datagrams --server "python3 stdout_flood.py" --dir "$H" --captures "$T/cap")
check "stdout flood: the harness stays under 300 MB (max RSS ${maxrss} KB)" test "$maxrss" -lt 300000
run_hostile stdout_flood udp-echo/basic
check "stdout flood: the server is graded" passes "$T/stdout_flood.out" udp-echo/basic

# Two runs at once, the same hard-coded port 12000, the same scenarios.
"$WIRECHECK" run udp-echo/many-datagrams udp-echo/several-clients --server "python3 ignores_term.py" --dir "$H" \
	--captures "$T/capA" --name a >"$T/a.out" 2>&1 &
pa=$!
"$WIRECHECK" run udp-echo/many-datagrams udp-echo/several-clients --server "python3 ignores_term.py" --dir "$H" \
	--captures "$T/capB" --name b >"$T/b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check "two runs at once: first passes" test "$ra" -eq 0
check "two runs at once: second passes" test "$rb" -eq 0
[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] || { show "$T/a.out"; show "$T/b.out"; }

# Rootless: the same run as an unprivileged user, through a user namespace.
if [ "$(id -u)" = 0 ]; then
	"${as_nobody[@]}" "$WIRECHECK" run udp-echo --server "python3 ignores_term.py" --dir "$H" \
		--captures "$T/rootless/cap" >"$T/rootless.out" 2>&1
	rr=$?
	check "rootless: graded as nobody, all MUST pass" passes "$T/rootless.out" udp-echo/several-clients
	check "rootless: no cgroup, and what that leaves open, said once in one line, no ERROR" \
		bash -c "[ \$(grep -c '^wirecheck: $nocg_rootless' '$T/rootless.out') -eq 1 ] && ! grep -q '^ERROR' '$T/rootless.out'"
	check "rootless: pcap written by the user" test "$(stat -c %u "$T/rootless/cap/udp-echo/udp-echo/basic.pcap")" = 65534
	"${as_nobody[@]}" "$WIRECHECK" run udp-echo/basic --server "python3 lists_etc.py $etc_needs" --dir "$H" \
		--captures "$T/rootless/cap" >"$T/rootless-etc.out" 2>&1
	check "rootless: its own /etc too (accounts, no secret file, read-only, what programs read): basic passes" \
		passes "$T/rootless-etc.out" udp-echo/basic
	# nobody has no subordinate ids (issue 18): the programs run as nobody, said once
	if grep -Eqs '^(nobody|65534):' /etc/subuid /etc/subgid; then
		skip "rootless without subordinate ids: this machine gives nobody a range"
	else
		check "rootless without subordinate ids: what running as the user exposes, and the fix, said once in one line" \
			test "$(grep -Ec "^wirecheck: the programs run as your own uid 65534 \(rootless, (there is no /etc/sub[ug]id|no range for 'nobody' \(uid 65534\) in /etc/sub[ug]id [^)]*)\): a file you can read is theirs to read .*a 0600 one included; to give them uids of their own: as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 nobody" "$T/rootless.out")" -eq 1
	fi
	[ "$rr" -le 1 ] || show "$T/rootless.out"
	# rootless, a program runs as the invoking user, who owns folders it must not
	# write (here a folder of the user's outside /tmp, as fixtures/ or a home
	# would be, and one inside /tmp): read-only to it, or hidden
	own=$(mktemp -d /var/tmp/wc-it-own.XXXXXX) && chmod 777 "$own"
	"${as_nobody[@]}" "$WIRECHECK" run udp-echo/basic --server "python3 writes_outside.py $own $T/rootless" \
		--dir "$H" --captures "$T/rootless/cap" >"$T/rootless-writes.out" 2>&1
	check "rootless: the user's own folders are read-only to the program" passes "$T/rootless-writes.out" udp-echo/basic
	check "rootless: nothing written there" test -z "$(find "$own" "$T/rootless" -name 'wirecheck-escape-*')"
	# ... and the same program with a folder it may write (its own) fails: the check can fail
	"${as_nobody[@]}" "$WIRECHECK" run udp-echo/basic --server "python3 writes_outside.py ." \
		--dir "$H" --captures "$T/rootless/cap" >"$T/rootless-writes2.out" 2>&1
	check "rootless: a write that gets through fails" fails_with "$T/rootless-writes2.out" udp-echo/basic "exited with status 3"
	rm -rf "$own"

	# Never the grading user (issue 18): a user with subordinate ids grades a
	# server that notes its uid in a folder left writable to it and reads a
	# 0600 file of the grader's that the sandbox shows (../lab/secret.txt, in
	# a private copy of the fixtures): the read fails, every program of the
	# run has a uid of its own in the range, the captures are the grader's.
	# The control, the same user with WIRECHECK_NO_SUBUID=1 (the mapping of
	# the grader's uid alone), reads the file and says what it exposes.
	# The user is Debian's 'games' (tests/lib.sh, subids_give).
	trap 'subids_take; rm -rf "$T"' EXIT
	if subids_give games; then
		mkdir -p "$T/su-fx" "$T/su" && chmod 777 "$T/su"
		cp -a "$TOP/fixtures/udp-echo" "$T/su-fx/"
		echo "GRADER-SECRET-$$" >"$T/su-fx/udp-echo/secret.txt"
		chown "$su_user:$su_group" "$T/su-fx/udp-echo/secret.txt" && chmod 600 "$T/su-fx/udp-echo/secret.txt"
		mkdir -m 1777 "$T/su-uids" "$T/su-uids0"
		su_run "$T/su-doctor.out" -- doctor udp-echo
		check "subordinate ids: doctor says the programs run as them, never the user" \
			has "$T/su-doctor.out" "^ok +identity: the programs run as subordinate ids of yours, one per sandbox of a run, never your own uid: uids $su_base-$su_last and gids $su_base-$su_last of '$su_user'"
		su_u=$(sed -nE 's/^ok +sandbox: programs run as uid ([0-9]+) .*/\1/p' "$T/su-doctor.out")
		check "subordinate ids: doctor's program in the sandbox ran as one, uid ${su_u:-none} (all checks pass)" \
			bash -c "[ $rc -eq 0 ] && [ -n '$su_u' ] && [ '${su_u:-0}' -ge $su_base ] && [ '${su_u:-0}' -le $su_last ]"
		[ "$rc" -eq 0 ] || show "$T/su-doctor.out"

		su_run "$T/su.out" WIRECHECK_WRITABLE="$T/su-uids" -- run udp-echo -j 2 \
			--server "python3 reads_grader.py $T/su-uids ../lab/secret.txt" --dir "$H" --fixtures "$T/su-fx" \
			--captures "$T/su/cap"
		su_ran=$(grep -Ec '^(PASS|FAIL|WARN|ERROR|INFO|info) +udp-echo/' "$T/su.out")
		check "subordinate ids: the grader's 0600 file is not read, every MUST passes (exit $rc, $su_ran scenarios)" \
			bash -c "[ $rc -eq 0 ] && [ $su_ran -ge 8 ] && ! grep -q 'LEAK' '$T/su.out' && grep -q '^score \([0-9]*\)/\1$' '$T/su.out'"
		check "subordinate ids: no exposure said, no ERROR" \
			bash -c "! grep -Eq '^wirecheck: the programs run as your own uid|^ERROR' '$T/su.out'"
		[ "$rc" -eq 0 ] || show "$T/su.out"
		su_all=$(su_uids "$T/su-uids")
		echo "# program uids: $(echo $su_all | tr ' ' '\n' | sort -un | tr '\n' ' ')"
		check "subordinate ids: each of the $su_ran sandboxes' programs ran as a uid of its own (none repeated)" \
			test "$(echo "$su_all" | grep -c .)" -ge "$su_ran" -a "$(echo "$su_all" | sort -u | grep -c .)" -eq "$su_ran"
		check "subordinate ids: every uid is in the user's range ($su_base-$su_last), none is the user's ($su_uid)" \
			uids_own "$su_all" "$su_base" "$su_last" "$su_uid" 1
		check "subordinate ids: the captures are the grader's" \
			bash -c "n=\$(find '$T/su/cap' -name '*.pcap' | wc -l); [ \$n -eq $su_ran ] &&
				[ -z \"\$(find '$T/su/cap' -name '*.pcap' ! -uid $su_uid)\" ]"

		# the control: the same user and server, the grader's own uid mapped alone
		su_run "$T/su-control.out" WIRECHECK_WRITABLE="$T/su-uids0" WIRECHECK_NO_SUBUID=1 -- run udp-echo/basic \
			--server "python3 reads_grader.py $T/su-uids0 ../lab/secret.txt" --dir "$H" --fixtures "$T/su-fx" \
			--captures "$T/su/cap0"
		check "control, WIRECHECK_NO_SUBUID=1: the program runs as the grader" \
			test "$(ls "$T/su-uids0" | cut -d- -f2 | sort -u)" = "$su_uid"
		check "control, WIRECHECK_NO_SUBUID=1: it reads the grader's 0600 file, and basic fails (the check can fail)" \
			leaked "$T/su-control.out" "\.\./lab/secret\.txt: GRADER-SECRET-$$\""
		check "control, WIRECHECK_NO_SUBUID=1: the exposure said once, in one line" \
			test "$(grep -c "^wirecheck: the programs run as your own uid $su_uid (rootless, WIRECHECK_NO_SUBUID is set): a file you can read is theirs to read .*a 0600 one included; to give them uids of their own: unset WIRECHECK_NO_SUBUID$" "$T/su-control.out")" -eq 1

		# the reference implementations, as subordinate ids: every MUST passes, the captures the grader's
		su_run "$T/su-ref.out" -- run udp-echo --captures "$T/su/refcap"
		for id in $("$WIRECHECK" list udp-echo | awk '$3 == "MUST" { print $1 }'); do
			check "subordinate ids: the reference passes udp-echo/$id" passes "$T/su-ref.out" "udp-echo/$id"
		done
		check "subordinate ids: the reference's captures are the grader's" \
			bash -c "[ -n \"\$(find '$T/su/refcap' -name '*.pcap')\" ] && [ -z \"\$(find '$T/su/refcap' -name '*.pcap' ! -uid $su_uid)\" ]"

		# what programs need from /etc, as a subordinate id (no account of the
		# host's): an account of its own for it, localhost, services, protocols
		su_run "$T/su-etc.out" -- run udp-echo/basic --server "python3 uses_etc.py" --dir "$H" --captures "$T/su/cap3"
		check "subordinate ids: uses_etc, its uid an account of its program's /etc: basic passes" \
			passes "$T/su-etc.out" udp-echo/basic

		# a second sandbox of one worker (the run of a DNS scenario once more with
		# its queries as hex text) is made in the worker's user namespace: a
		# nested one could not be mapped by newuidmap
		printf 'ascii-hex dns 50\n' >"$T/su-hex.rubric"
		su_run "$T/su-hex.out" -- run dns/answer-google.com --server "python3 hex-text.py" \
			--dir "$TOP/tests/mutants/dns" --captures "$T/su/cap2" --rubric "$T/su-hex.rubric"
		check "subordinate ids: a worker's second sandbox (the hex run) works: half the points" \
			bash -c "grep -q 'dns/answer-google.com .* 2/4 .*the queries sent as hex text got the right responses' '$T/su-hex.out' &&
				! grep -q '^ERROR' '$T/su-hex.out'"
		[ "$rc" -eq 1 ] || show "$T/su-hex.out"

		# a newuidmap that fails (one earlier on PATH that refuses) is the machine's ERROR, up front
		mkdir -p "$T/su-bin"
		printf '#!/bin/sh\necho "newuidmap: uid range refused by the test" >&2\nexit 1\n' >"$T/su-bin/newuidmap"
		ln -s /usr/bin/newgidmap "$T/su-bin/newgidmap"
		chmod 755 "$T/su-bin" "$T/su-bin/newuidmap"
		su_run "$T/su-broken.out" PATH="$T/su-bin:/usr/bin:/bin" -- run udp-echo/basic --server "python3 ignores_term.py" \
			--dir "$H" --captures "$T/su/cap1"
		check "a newuidmap that fails: an ERROR in its own words, exit 3, nothing graded" \
			bash -c "[ $rc -eq 3 ] && grep -Eq \"^ERROR +namespaces: cannot make a scenario's sandbox: cannot map the subordinate ids into the user namespace: '$T/su-bin/newuidmap [0-9]+ $su_uid $su_uid 1 $su_base $su_base 65536' failed: newuidmap: uid range refused by the test\" '$T/su-broken.out' &&
				! grep -Eq '^(PASS|FAIL) ' '$T/su-broken.out'"
		[ "$rc" -eq 3 ] || show "$T/su-broken.out"
	fi
	subids_take
	trap 'rm -rf "$T"' EXIT
	check "subordinate ids: the ranges given to $su_user are taken back" \
		bash -c "! grep -Eqs '^($su_user|${su_uid:-x}):$su_base:' /etc/subuid /etc/subgid"
else
	wcrun "$T/rootless.out" run udp-echo --server "python3 ignores_term.py" --dir "$H" --captures "$T/cap"
	check "rootless: graded" passes "$T/rootless.out" udp-echo/several-clients
fi

check "nothing left: processes and folders" no_leftovers
held=$(ns_held "$ns_before")
check "nothing left: no namespace of the runs held by a process ${held:+: $held}" test -z "$held"
