#!/usr/bin/env bash
# 'wirecheck grade' rootless (issue 18): a small class graded by an
# unprivileged user through a user namespace scores what the same class
# scores graded as root; its hostile submissions are contained there too (a
# server that makes IPC objects of every kind and leaves them, one that looks
# for the host's processes, interfaces, accounts and another class's file);
# and nothing is left: processes, namespaces, cgroups, IPC objects. Graded
# rootless twice: as nobody, with no subordinate ids, where the programs run
# as the user itself, which is said; and as a user with a range in
# /etc/subuid and /etc/subgid ('uucp', given one for the test: tests/lib.sh),
# where they run as subordinate ids, never the user's uid, none repeated in
# the class run (README "Without root"). Needs root, to be the graders.
set -u
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "rootless grade: needs root (to grade as root and as nobody)"
	exit 0
fi
S="$TOP/tests/students/udp-echo"
H="$TOP/tests/hostile/udp-echo"
# the SysV keys the class's programs make (ipc_hog.py, peeks_host.py), in
# decimal as /proc/sysvipc has them, and ipc_hog's POSIX queue
KEYS="$((0x57434b40)) $((0x57434b41)) $((0x57434b42)) $((0x57434b32))"
MQ_NAME=wirecheck-hostile-mq

# sub NAME FILE AS [FILE AS]...: a submission folder $T/class/NAME holding FILE under the name AS
sub() {
	local d=$T/class/$1
	shift
	mkdir -p "$d"
	while [ $# -ge 2 ]; do cp "$1" "$d/$2"; shift 2; done
}
# The good one, the slides' programs; one that fails some scenarios (a
# server that answers once and ends: tests/mutants), so that equal scores
# mean more than all points twice; ipc_hog; peeks_host, by manifest, and
# its control, which is also told to read its own srv.py (that it can read:
# the read is seen, and costs it the server's points). Each with the
# slides' client.
sub good "$S/UDPServer.py" UDPServer.py "$S/UDPClient.py" UDPClient.py
sub no_loop "$TOP/tests/mutants/udp-echo/no-loop.py" UDPServer.py "$S/UDPClient.py" UDPClient.py
sub ipc_hog "$H/ipc_hog.py" UDPServer.py "$S/UDPClient.py" UDPClient.py
victim=$(mktemp -d /var/tmp/wc-class.XXXXXX)
echo "print('another student')" >"$victim/UDPServer.py"
chmod 755 "$victim" && chmod 644 "$victim/UDPServer.py"
hostif=$(ls /sys/class/net | grep -vx lo | head -1)
for p in peeks_host peeks_control; do
	sub $p "$H/peeks_host.py" srv.py "$H/leak_echo.py" leak_echo.py "$S/UDPClient.py" UDPClient.py
	printf 'udp-echo.server python3 srv.py %s %s %s%s\nudp-echo.client python3 UDPClient.py\n' $$ "${hostif:-eth0}" \
		"$victim/UDPServer.py" "$([ $p = peeks_control ] && echo ' srv.py')" >"$T/class/$p/wirecheck.manifest"
done
# ... and two that note whom their programs run as (reads_grader.py: a file
# uid-UID-PID in $T/uids, which each run leaves writable to them)
for p in notes_uid1 notes_uid2; do
	sub $p "$H/reads_grader.py" srv.py "$H/leak_echo.py" leak_echo.py "$S/UDPClient.py" UDPClient.py
	printf 'udp-echo.server python3 srv.py %s\nudp-echo.client python3 UDPClient.py\n' "$T/uids" \
		>"$T/class/$p/wirecheck.manifest"
done
mkdir -m 1777 "$T/uids"
export WIRECHECK_WRITABLE=$T/uids
# uids_of RUN: the uids noted in the run just graded, moved to $T/uids-RUN (tests/lib.sh su_uids)
uids_of() {
	mkdir "$T/uids-$1" && find "$T/uids" -name 'uid-*' -exec mv {} "$T/uids-$1/" \;
	su_uids "$T/uids-$1"
}
SUBS="good no_loop ipc_hog peeks_host peeks_control notes_uid1 notes_uid2"
chmod -R a+rX "$T/class"
# The scenarios graded: the server's basic and several-clients and the
# client's; the rest off, so that the class takes a minute
RUBRIC=$T/class.rubric
for id in $("$WIRECHECK" list udp-echo | awk '$2 ~ /^(server|client)$/ && $1 !~ /^(basic|several-clients|client-.*)$/ { print $1 }'); do
	echo "off udp-echo/$id"
done >"$RUBRIC"
chmod 644 "$RUBRIC"
check "peeks_host: what it looks for is there to find (the victim file readable by nobody, the host's accounts)" \
	bash -c "setpriv --reuid=65534 --regid=65534 --clear-groups cat '$victim/UDPServer.py' >/dev/null &&
		grep -q '^daemon:' /etc/passwd"

# ipc_now: the host's SysV objects of the class's keys (kind, key, id) and its POSIX queue
ipc_now() {
	{
		for k in shm sem msg; do
			awk -v k=$k -v keys="$KEYS" 'BEGIN { n = split(keys, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
				NR > 1 && ($1 in want) { print k, $1, $2 }' /proc/sysvipc/$k
		done
		[ -e /dev/mqueue/$MQ_NAME ] && echo "mqueue $MQ_NAME"
	} | sort
}
cleanup_ipc() {
	ipcrm -M 0x57434b40 -S 0x57434b41 -Q 0x57434b42 2>/dev/null
	python3 -c "import ctypes; ctypes.CDLL(None).mq_unlink(b'/$MQ_NAME')"
}
trap 'rm -rf "$T" "$victim"' EXIT
# the control: ipc_hog outside a sandbox, as nobody, leaves objects that ipc_now sees
ipc_before=$(ipc_now)
(cd "$T" && setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 "$H/ipc_hog.py" leave)
ctl=$(comm -13 <(echo "$ipc_before") <(ipc_now))
mq_seen=$(mountpoint -q /dev/mqueue && echo 1 || echo 0)
check "control: ipc_hog outside the sandbox leaves objects ipc_now sees ($(echo $ctl))" \
	test "$(echo "$ctl" | grep -c .)" -eq $((3 + mq_seen))
cleanup_ipc
check "control: cleaned up" test "$(ipc_now)" = "$ipc_before"

# as root
wcrun "$T/root.out" grade "$T/class" --lab udp-echo -j 2 --rubric "$RUBRIC" --out "$T/g-root"
check "root: graded, exit status 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || show "$T/root.out"
uids_root=$(uids_of root)

# rootless, as nobody: a user namespace, the programs as nobody
ns_before=$(ns_of_procs)
ipc_before=$(ipc_now)
mkdir -m 777 "$T/g-rootless" "$T/home"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME="$T/home" TMPDIR="$T/tmp" \
	WIRECHECK_WRITABLE="$T/uids" "$WIRECHECK" grade "$T/class" --lab udp-echo -j 2 --rubric "$RUBRIC" --out "$T/g-rootless" \
	>"$T/rootless.out" 2>&1 || rc=$?
check "rootless: graded, exit status 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || show "$T/rootless.out"
check "rootless: said once: no cgroup (rootless mode) and what that leaves open, and the programs run as the user" \
	bash -c "[ \$(grep -c '^wirecheck: $nocg_rootless' '$T/rootless.out') -eq 1 ] &&
		[ \$(grep -c '^wirecheck: the programs run as your own uid 65534' '$T/rootless.out') -eq 1 ]"

# the same scores: per submission, the lab's points, total, max, failed, errors
GR=$T/g-root/gradebook.csv GL=$T/g-rootless/gradebook.csv
check "rootless: every submission scores what it scores graded as root" \
	same_scores "$GR" "$GL" "$T/g-rootless" $SUBS
uids_nobody=$(uids_of nobody)
check "rootless as nobody: its programs run as nobody itself, as said ($(echo $uids_nobody | tr ' ' '\n' | sort -u | tr '\n' ' '))" \
	test -n "$uids_nobody" -a "$(echo "$uids_nobody" | sort -u)" = 65534
check "root: its programs run as uids of their own, none repeated ($(echo $uids_root))" \
	uids_own "$uids_root" 100000 4294967294 0 4
# what the scores must be: the good one, ipc_hog and peeks_host all points (no
# LEAK in peeks_host's replies; ipc_hog exits 3 before binding, and scores 0,
# if it cannot make its objects); the one that answers once, and peeks_host's
# control (its LEAK seen), less
full() { [ "$(grep "^$1," "$2" | cut -d, -f4)" = "$(grep "^$1," "$2" | cut -d, -f5)" ]; }
check "rootless: good, ipc_hog (its objects made) and peeks_host (nothing of the host seen) score all points" \
	bash -c "$(declare -f full); full good '$GL' && full ipc_hog '$GL' && full peeks_host '$GL'"
check "rootless, controls: the server that answers once and peeks_host that reads its own file lose points" \
	bash -c "$(declare -f full); ! full no_loop '$GL' && ! full peeks_control '$GL' &&
		grep -q 'LEAK: file srv.py' '$T/g-rootless/peeks_control/report.txt'"
check "rootless: no ERROR in any report" bash -c "! grep -q '^ERROR' '$T'/g-rootless/*/report.txt"

# rootless with subordinate ids: the same class, graded by uucp with a range;
# the same scores, nothing said about running as the user, and every program
# that noted its uid ran as one of the range, never uucp's, none repeated
trap 'subids_take; rm -rf "$T" "$victim"' EXIT
if subids_give uucp; then
	mkdir -m 777 "$T/g-sub"
	su_run "$T/sub.out" WIRECHECK_WRITABLE="$T/uids" -- grade "$T/class" --lab udp-echo -j 2 --rubric "$RUBRIC" \
		--out "$T/g-sub"
	check "subordinate ids: graded as $su_user, exit status 0, no ERROR, nothing said of running as the user" \
		bash -c "[ $rc -eq 0 ] && ! grep -q '^ERROR' '$T'/g-sub/*/report.txt &&
			! grep -q '^wirecheck: the programs run as your own uid' '$T/sub.out'"
	[ "$rc" -eq 0 ] || show "$T/sub.out"
	check "subordinate ids: every submission scores what it scores graded as root" \
		same_scores "$GR" "$T/g-sub/gradebook.csv" "$T/g-sub" $SUBS
	uids_sub=$(uids_of sub)
	echo "# program uids: $(echo $uids_sub)"
	check "subordinate ids: each program ran as a uid of its own in $su_user's range ($su_base-$su_last), never $su_user's ($su_uid), none repeated in the class run" \
		uids_own "$uids_sub" "$su_base" "$su_last" "$su_uid" 4
	# the control: the same check on nobody's run, where the programs were the user
	check "subordinate ids, control: the same check fails on nobody's run (its programs were the user)" \
		bash -c "$(declare -f uids_own); ! uids_own '$uids_nobody' 0 4294967294 65534 4"
fi
subids_take
trap 'rm -rf "$T" "$victim"' EXIT
check "subordinate ids: the ranges given to $su_user are taken back" \
	bash -c "! grep -Eqs '^($su_user|${su_uid:-x}):$su_base:' /etc/subuid /etc/subgid"

# nothing left
left=$(comm -13 <(echo "$ipc_before") <(ipc_now))
check "nothing left: no IPC object of the class on the host" test -z "$left"
[ -z "$left" ] || { echo "$left" | sed 's/^/# left: /'; cleanup_ipc; }
check "nothing left: processes and private folders" no_leftovers
ours=$(ns_held "$ns_before")
check "nothing left: no namespace of the run held by a process" test -z "$ours"
[ -z "$ours" ] || echo "# held:$ours"
cgs=$(find /sys/fs/cgroup -maxdepth 3 -path '*wirecheck*' -user 65534 2>/dev/null)
check "nothing left: no cgroup made by the rootless run" test -z "$cgs"
