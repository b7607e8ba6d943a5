#!/usr/bin/env bash
# 'wirecheck doctor': the checks run and grade make before their first
# scenario, alone. It passes on this machine, and names what is missing in
# words (never an errno number); run says it once, up front, and grades nothing.
set -u
source "$(dirname "$0")/lib.sh"

wcrun "$T/doctor.out" doctor
check "doctor: exit 0 here (got $rc)" test "$rc" -eq 0
check "doctor: all checks passed" has "$T/doctor.out" "^all [0-9]+ checks passed$"
for c in "reference programs" fixtures namespaces sandbox "two hosts" nftables capture; do
	check "doctor: checks $c" has "$T/doctor.out" "^ok +$c: "
done
[ "$rc" -eq 0 ] || show "$T/doctor.out"
# whether the programs get a cgroup (memory and tasks for all their
# processes together): a note where not, never an error
check "doctor: says whether scenario cgroups are there" has "$T/doctor.out" "^(ok|note) +cgroups: "
if [ "$(id -u)" = 0 ] && { awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { f = 1 } END { exit !f }' /proc/mounts ||
	grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; }; then
	check "doctor: as root with a memory controller, a cgroup per scenario" has "$T/doctor.out" \
		"^ok +cgroups: each scenario's program in a cgroup of its own \(cgroup v[12]\): 1 GiB of memory for all its processes together"
fi
# whom the programs run as (issue 18: never the grading user): as root a uid
# of their own; rootless with no subordinate ids, the user's own uid, a note
# naming what that exposes (tests/it-sandbox.sh: a user with subordinate ids)
if [ "$(id -u)" = 0 ]; then
	check "doctor: as root, the programs' identity is their own" has "$T/doctor.out" \
		"^ok +identity: as root, the programs run as uids of their own, one per sandbox of a run, never yours$"
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME="$T" TMPDIR="$T/tmp" \
		"$WIRECHECK" doctor udp-echo >"$T/nobody.out" 2>&1 || rc=$?
	if grep -Eqs '^(nobody|65534):' /etc/subuid /etc/subgid; then
		skip "doctor rootless without subordinate ids: this machine gives nobody a range"
	else
		check "doctor rootless, no subordinate ids: a note that the programs run as the user, exit 0 (got $rc)" \
			bash -c "[ $rc -eq 0 ] && grep -Eq '^note +identity: the programs run as your own uid 65534 \(rootless, .*\): a file you can read is theirs to read .*usermod --add-subuids' '$T/nobody.out' &&
				grep -q '^wirecheck doctor: rootless (as your user, in a user namespace), the programs under test run as your uid, with no capability$' '$T/nobody.out'"
	fi
	[ "$rc" -eq 0 ] || show "$T/nobody.out"
else
	check "doctor: says whom the programs run as" has "$T/doctor.out" "^(ok|note) +identity: "
fi
rc=0
WIRECHECK_NO_CGROUP=1 "$WIRECHECK" doctor udp-echo >"$T/nocg.out" 2>&1 || rc=$?
check "doctor without cgroups: a note, still exit 0 (got $rc)" bash -c "[ $rc -eq 0 ] && grep -Eq '^note +cgroups: no cgroup for the programs \\(WIRECHECK_NO_CGROUP is set\\): memory is limited per process only' '$T/nocg.out'"
check "doctor: in the usage text" bash -c "'$WIRECHECK' help | grep -q 'wirecheck doctor'"
check "doctor: in the README" grep -q 'wirecheck doctor' "$TOP/README.md"
check "doctor: nothing left behind" no_leftovers

# no reference programs beside the program (a wirecheck copied alone)
mkdir -p "$T/lonely/bin"
cp "$WIRECHECK" "$T/lonely/bin/"
if [ -e /usr/local/libexec/wirecheck ]; then
	skip "doctor without references: an installed copy exists in /usr/local/libexec/wirecheck"
else
	rc=0
	"$T/lonely/bin/wirecheck" doctor --fixtures "$TOP/fixtures" >"$T/lonely.out" 2>&1 || rc=$?
	check "no references: doctor exits 3 (got $rc)" test "$rc" -eq 3
	check "no references: an ERROR in words" has "$T/lonely.out" \
		"^ERROR +reference programs: cannot open the folder of the reference programs '.*': No such file or directory \(build them with 'make'"
	rc=0
	"$T/lonely/bin/wirecheck" run udp-echo --fixtures "$TOP/fixtures" --captures "$T/cap" >"$T/lonely-run.out" 2>&1 ||
		rc=$?
	check "no references: run exits 3 (got $rc)" test "$rc" -eq 3
	check "no references: run says it once, up front" test "$(grep -c '^ERROR ' "$T/lonely-run.out")" -eq 1
	check "no references: run grades nothing" bash -c "! grep -Eq '^(PASS|FAIL|info|INFO) ' '$T/lonely-run.out' && grep -q 'nothing was graded' '$T/lonely-run.out'"
	[ "$rc" -eq 3 ] || show "$T/lonely-run.out"
fi

# host mode (issue 19): a client under test is redirected by the LD_PRELOAD
# shim beside the reference programs; doctor tries it once, up front
wcrun "$T/host.out" doctor --isolation host udp-echo
check "host mode: doctor exits 0 (got $rc)" test "$rc" -eq 0
check "host mode: the redirect shim loads" has "$T/host.out" "^ok +redirect shim: a client's destinations are rewritten by wirecheck-redirect.so"
[ "$rc" -eq 0 ] || show "$T/host.out"
mkdir -p "$T/noshim/bin"
cp -a "$(dirname "$WIRECHECK")/." "$T/noshim/bin/"
rm -f "$T/noshim/bin/wirecheck-redirect.so"
rc=0
"$T/noshim/bin/wirecheck" doctor --isolation host udp-echo --fixtures "$TOP/fixtures" >"$T/noshim.out" 2>&1 || rc=$?
check "host mode, no shim: doctor exits 3 (got $rc)" test "$rc" -eq 3
check "host mode, no shim: an ERROR naming the file" has "$T/noshim.out" \
	"^ERROR +redirect shim: '$T/noshim/bin/wirecheck-redirect.so' is missing: No such file or directory \(make all builds it"
echo "not a shared object" >"$T/noshim/bin/wirecheck-redirect.so"
rc=0
"$T/noshim/bin/wirecheck" doctor --isolation host udp-echo --fixtures "$TOP/fixtures" >"$T/badshim.out" 2>&1 || rc=$?
check "host mode, a shim that does not load: doctor exits 3 (got $rc), the loader's words" \
	bash -c "[ $rc -eq 3 ] && grep -Eq '^ERROR +redirect shim: .*wirecheck-redirect.so. does not load: .*(file too short|invalid ELF header)' '$T/badshim.out'"

# fixtures that are not there
wcrun "$T/nofix.out" doctor --fixtures "$T/no-such-folder"
check "no fixtures: doctor exits 3 (got $rc)" test "$rc" -eq 3
check "no fixtures: an ERROR in words" has "$T/nofix.out" \
	"^ERROR +fixtures: cannot open the scenarios of lab '[a-z-]+', '.*no-such-folder/[a-z-]+': No such file or directory"

# a lab file the sandbox's user cannot read (the DNS table the reference server is given)
if [ "$(id -u)" -eq 0 ]; then
	cp -a "$TOP/fixtures" "$T/fx"
	chmod 0600 "$T/fx/dns/table"
	wcrun "$T/table.out" doctor dns --fixtures "$T/fx"
	check "unreadable table: doctor exits 3 (got $rc)" test "$rc" -eq 3
	check "unreadable table: names the file and the uid" has "$T/table.out" \
		"^ERROR +sandbox: cannot read the lab's file ../lab/dns/table as uid [0-9]+ .*'$T/fx'"
	[ "$rc" -eq 3 ] || show "$T/table.out"
else
	skip "unreadable table: rootless, the programs run as the files' owner"
fi
check "doctor: no errno numbers anywhere" bash -c "! cat '$T'/*.out | grep -q 'errno [0-9]'"
check "doctor: nothing left behind at the end" no_leftovers
exit 0
