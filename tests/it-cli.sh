#!/usr/bin/env bash
# The command line: help, list, usage errors (exit 2), scenario errors reported
# as file:line: before anything runs (exit 2), exit status 1 on failure.
set -u
source "$(dirname "$0")/lib.sh"

wcrun "$T/help.out" help
check "help: exit 0" test "$rc" -eq 0
check "help: shows run and list" has "$T/help.out" "wirecheck run \[LAB"

wcrun "$T/none.out"
check "no command: exit 2" test "$rc" -eq 2

wcrun "$T/list.out" list
check "list: exit 0" test "$rc" -eq 0
check "list: udp-echo with its variants" has "$T/list.out" "variants: plain \(default\) quit"
check "list: a scenario with role, level, points" has "$T/list.out" "^  basic +server MUST +2 "

wcrun "$T/badlab.out" run no-such-lab
check "unknown lab: exit 2" test "$rc" -eq 2
check "unknown lab: said" has "$T/badlab.out" "unknown lab 'no-such-lab'"

wcrun "$T/badj.out" run -j zero
check "bad -j: exit 2 with the reason" bash -c "[ $rc -eq 2 ] && grep -q -- \"-j takes a number from 1 to 64, not 'zero'\" '$T/badj.out'"

wcrun "$T/badopt.out" run --frobnicate
check "unknown option: exit 2" bash -c "[ $rc -eq 2 ] && grep -q \"unknown option '--frobnicate'\" '$T/badopt.out'"

wcrun "$T/novalue.out" run --server
check "option without value: exit 2" bash -c "[ $rc -eq 2 ] && grep -q \"option '--server' needs a value\" '$T/novalue.out'"

wcrun "$T/badvar.out" run udp-echo --variant nope --server true
check "unknown variant: exit 2" bash -c "[ $rc -eq 2 ] && grep -q \"unknown variant 'nope'\" '$T/badvar.out'"

wcrun "$T/baddir.out" run udp-echo --server true --dir "$T/missing"
check "missing submission folder: exit 2" bash -c "[ $rc -eq 2 ] && grep -q 'does not exist' '$T/baddir.out'"

wcrun "$T/badfmt.out" run --format pdf
check "unknown format: exit 2" test "$rc" -eq 2

# A broken scenario stops the run before anything runs, with file:line:.
mkdir -p "$T/fx/udp-echo"
cp "$TOP"/fixtures/udp-echo/basic.scn "$T/fx/udp-echo/"
printf 'lab udp-echo\ntitle broken\ntest server\nopen A udp\nsend A "unterminated\n' >"$T/fx/udp-echo/broken.scn"
printf 'lab udp-echo\ntitle also broken\ntest server\nlevel MAYBE\n' >"$T/fx/udp-echo/worse.scn"
wcrun "$T/badscn.out" run --fixtures "$T/fx" --captures "$T/cap"
check "bad scenario: exit 2" test "$rc" -eq 2
check "bad scenario: file:line: message" has "$T/badscn.out" "broken.scn:5: unterminated string"
check "bad scenario: every broken file reported" has "$T/badscn.out" "worse.scn:4: level must be MUST, SHOULD or INFO, not 'MAYBE'"
check "bad scenario: nothing ran" bash -c "! grep -q '^PASS' '$T/badscn.out' && [ ! -e '$T/cap' ]"

# A shared fault is graded in one scenario of its lab: a second owner is refused, file:line:.
mkdir -p "$T/fx2/http"
cp "$TOP"/fixtures/http/get-hello.scn "$T/fx2/http/"
sed 's/^subject .*/subject http\/status http\/crlf/' "$TOP"/fixtures/http/get-nested.scn >"$T/fx2/http/get-nested.scn"
wcrun "$T/badsubj.out" run --fixtures "$T/fx2" --captures "$T/cap2"
check "subject owned twice: exit 2" test "$rc" -eq 2
check "subject owned twice: file:line: names both" has "$T/badsubj.out" \
	"get-nested.scn:[0-9]+: subject: 'http/crlf' is graded in .*/get-hello.scn already"

# Exit status 1 when a graded check fails; INFO failures do not count.
# (an empty submission folder: the default, '.', is this source tree, whose
# build folders can pass the 256 MiB a submission may have)
mkdir -p "$T/nothing"
wcrun "$T/fail.out" run udp-echo/basic udp-echo/size-3000 --server "python3 -c \"import socket as s; k=s.socket(s.AF_INET, s.SOCK_DGRAM); k.bind(('', 9)); [k.sendto(m.lower(), a) for m, a in iter(lambda: k.recvfrom(2048), None)]\"" --dir "$T/nothing" --captures "$T/cap"
check "failing server: exit 1" test "$rc" -eq 1
check "failing server: closing line" has "$T/fail.out" "^0 passed, 1 failed$"
check "failing server: INFO reported apart" has "$T/fail.out" "^INFO +udp-echo/size-3000"

# A single scenario by LAB/ID, and a variant scenario skipped for another variant.
wcrun "$T/one.out" run udp-echo/quit --server "true" --dir "$T/nothing" --captures "$T/cap"
check "variant scenario not run for the default variant: exit 2" bash -c "[ $rc -eq 2 ] && grep -q 'no scenario to run' '$T/one.out'"

# The reference programs' own command lines: tests/it-refs-cli.sh.
# The reference client with no server: a clear message within its timeout.
"$(dirname "$WIRECHECK")"/udp-echo-client --port 9 --timeout 300 <<<"hi" >"$T/cl.out" 2>&1
r=$?
check "udp-echo-client with no server: exit 1, said" bash -c "[ $r -eq 1 ] && grep -q 'no reply from 127.0.0.1:9 within 300 ms' '$T/cl.out'"

# The student's name comes from the submission's manifest (or --student-name).
mkdir -p "$T/bea"
cat >"$T/bea/server.py" <<'PY'
import socket, threading
def serve(c):
    buf = b""
    while True:
        d = c.recv(1024)
        if not d:
            break
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            c.sendall(line.rstrip(b"\r") + b" Bea Chen\n")
    c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 5555))
s.listen(5)
while True:
    c, a = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
wcrun "$T/noname.out" run name-echo/basic --server 'python3 server.py' --dir "$T/bea" --captures "$T/cap"
check "no manifest: the default name Ali is expected" fails_with "$T/noname.out" name-echo/basic "the reply line differs"
printf '# the student\nname   Bea Chen  \n' >"$T/bea/wirecheck.manifest"
wcrun "$T/name.out" run name-echo --server 'python3 server.py' --dir "$T/bea" --captures "$T/cap"
check "manifest 'name Bea Chen': all name-echo scenarios pass" bash -c "[ $rc -eq 0 ] && grep -q '^[0-9]* passed, 0 failed$' '$T/name.out'"
wcrun "$T/name2.out" run name-echo/basic --server 'python3 server.py' --dir "$T/bea" --student-name Ali --captures "$T/cap"
check "--student-name wins over the manifest" fails_with "$T/name2.out" name-echo/basic "the reply line differs"
printf 'nmae Bea\n' >"$T/bea/wirecheck.manifest"
wcrun "$T/badman.out" run name-echo --server 'python3 server.py' --dir "$T/bea" --captures "$T/cap"
check "bad manifest: file:line: error, exit 2" bash -c "[ $rc -eq 2 ] && grep -q \"wirecheck.manifest:1: unknown key 'nmae' (known: name, build, LAB.server\" '$T/badman.out'"
