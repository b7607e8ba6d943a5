#!/usr/bin/env bash
# A checkout other users cannot read (cloned into /root, which Debian makes
# 0700, as adduser does a home): run as root, the programs under test run as an
# unprivileged uid, and still the references, the lab's files and a student's
# folder under it reach them. A failure of the sandbox is the harness's ERROR,
# said once and in words, never the program's FAIL.
set -u
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "private checkout: needs root (rootless, the programs run as the user who owns the checkout)"
	exit 0
fi

# the build output and the fixtures as a checkout holds them, below a 0700
# folder; a student's folder below it too. Not below /tmp: the sandbox mounts a
# fresh /tmp, and paths there are remade by it, 0700 or not.
P=$(mktemp -d /var/tmp/wc-it-home.XXXXXX)
trap 'rm -rf "$T" "$P"' EXIT
C=$P/src/main
mkdir -p "$C/build" "$P/sub"
cp -a "$(dirname "$WIRECHECK")" "$C/build/bin"
cp -a "$TOP/fixtures" "$C/fixtures"
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$P/sub/"
chmod 0700 "$P"
W=$C/build/bin/wirecheck
WIRECHECK=$W # wcrun runs the copy
check "private checkout: its folder is 0700 and root's" test "$(stat -c %a:%U "$P")" = 700:root

# every reference, every lab, as root
wc_rc=0
"$W" run -j 2 --captures "$T/cap" >"$T/refs.out" 2>&1 || wc_rc=$?
max=$(grep -Eo '^score [0-9]+/[0-9]+' "$T/refs.out" | cut -d/ -f2)
check "private checkout: the references grade, exit 0 (got $wc_rc)" test "$wc_rc" -eq 0
check "private checkout: score N/N" has "$T/refs.out" "^score ${max:-x}/${max:-y}$"
check "private checkout: no ERROR, no FAIL" bash -c "! grep -Eq '^(ERROR|FAIL) ' '$T/refs.out'"
[ "$wc_rc" -eq 0 ] || grep -E '^(ERROR|FAIL) |^      ' "$T/refs.out" | head -8 | sed 's/^/# /'
check "private checkout: nothing left behind" no_leftovers

# a student's folder under the 0700 folder: copied privately, graded
wcrun "$T/sub.out" run udp-echo/basic udp-echo/mixed-case --server 'python3 UDPServer.py' --dir "$P/sub" \
	--captures "$T/cap"
check "private checkout: a student's folder under it is graded" passes "$T/sub.out" udp-echo/basic
check "private checkout: ... exit 0 (got $rc)" test "$rc" -eq 0

# a command that is not installed: ERROR, the harness's machine, not the student's FAIL (127)
wcrun "$T/nocmd.out" run udp-echo/basic --server 'pyhton3 UDPServer.py' --dir "$P/sub" --captures "$T/cap"
check "not installed: an ERROR, not a FAIL" has "$T/nocmd.out" \
	"^ERROR +udp-echo/basic .*cannot start the server: cannot find the command 'pyhton3' in PATH"
check "not installed: the reason in words" has "$T/nocmd.out" "No such file or directory"
check "not installed: exit status 3 (got $rc)" test "$rc" -eq 3
[ "$rc" -eq 3 ] || show "$T/nocmd.out"

# a program named by a path the sandbox's user cannot reach: ERROR, not the program's 127
# (/var/tmp is hidden from programs now, issue 18: not there; before, its 0700 parent refused it)
wcrun "$T/abs.out" run udp-echo/basic --server "$C/build/bin/udp-echo-server" --dir "$P/sub" --captures "$T/cap"
check "unreachable command path: an ERROR in words" has "$T/abs.out" \
	"^ERROR +udp-echo/basic .*cannot run '$C/build/bin/udp-echo-server' as uid [0-9]+: (Permission denied|No such file or directory)"
check "unreachable command path: exit status 3 (got $rc)" test "$rc" -eq 3

# a student's own missing file stays the student's: FAIL, exit 127 of the shell
wcrun "$T/nofile.out" run udp-echo/basic --server './server' --dir "$P/sub" --captures "$T/cap"
check "the student's missing program: still the student's FAIL" fails_with "$T/nofile.out" udp-echo/basic \
	"exited with status 127"

# a reference program its owner alone may run: said once, up front, in words,
# and no scenario is blamed for it
chmod 0700 "$C/build/bin/udp-echo-server"
wcrun "$T/unreach.out" run udp-echo --captures "$T/cap"
check "unreachable reference: exit status 3 (got $rc)" test "$rc" -eq 3
check "unreachable reference: an ERROR naming it, once" test "$(grep -c '^ERROR .*udp-echo-server' "$T/unreach.out")" -eq 1
check "unreachable reference: names the uid" has "$T/unreach.out" "cannot run the reference program ../ref/udp-echo-server as uid [0-9]+"
check "unreachable reference: no scenario graded" bash -c "! grep -Eq '^(PASS|FAIL|ERROR) +udp-echo/' '$T/unreach.out'"
check "unreachable reference: no errno number" bash -c "! grep -q 'errno [0-9]' '$T/unreach.out'"
[ "$rc" -eq 3 ] || show "$T/unreach.out"
check "private checkout: nothing left behind at the end" no_leftovers
exit 0
