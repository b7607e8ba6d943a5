#!/usr/bin/env bash
# The programs under test keep the caller's PATH, with /usr/sbin and /sbin
# added when missing (issue 17): a server run by a name found only in a folder
# of the caller's PATH, and nginx (in /usr/sbin) by name from a PATH without it.
set -u
source "$(dirname "$0")/lib.sh"

mkdir -p "$T/nothing"
# The folder on PATH lies outside /tmp: the sandbox's /tmp is fresh and empty.
D=$(mktemp -d /var/tmp/wc-path.XXXXXX)
trap 'rm -rf "$T" "$D"' EXIT
chmod 755 "$D"
{ echo '#!/usr/bin/env python3'; cat "$TOP/tests/students/udp-echo/UDPServer.py"; } >"$D/wc-peer-udp-echo"
chmod 755 "$D/wc-peer-udp-echo"

PATH=$D:$PATH wcrun "$T/own.out" run udp-echo/basic --server wc-peer-udp-echo --dir "$T/nothing" --captures "$T/cap"
check "a server named by a folder of the caller's PATH runs: exit 0" test "$rc" -eq 0
check "a server named by a folder of the caller's PATH: udp-echo/basic passes" passes "$T/own.out" udp-echo/basic
[ "$rc" -eq 0 ] || show "$T/own.out"

# /usr/sbin added: a command that starts the server only when nsd and nginx
# are found by name, from a harness whose PATH lacks /usr/sbin and /sbin
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$T/nothing/"
PATH=/usr/local/bin:/usr/bin:/bin wcrun "$T/sbin.out" run udp-echo/basic --dir "$T/nothing" --captures "$T/cap" \
	--server 'command -v nginx >/dev/null && command -v nsd >/dev/null && exec python3 UDPServer.py'
check "PATH without /usr/sbin: the program still finds nginx and nsd by name" passes "$T/sbin.out" udp-echo/basic
[ "$rc" -eq 0 ] || show "$T/sbin.out"

# nginx itself, by name, as the web server under test
if command -v /usr/sbin/nginx >/dev/null; then
	mkdir -p "$T/nginx"
	cat >"$T/nginx/nginx.conf" <<'CONF'
daemon off;
master_process off;
pid nginx.pid;
error_log stderr;
events {}
http {
	access_log off;
	client_body_temp_path tmp;
	proxy_temp_path tmp;
	fastcgi_temp_path tmp;
	uwsgi_temp_path tmp;
	scgi_temp_path tmp;
	server {
		listen 6789;
		root .;
	}
}
CONF
	PATH=/usr/local/bin:/usr/bin:/bin wcrun "$T/nginx.out" run http/get-hello,http/missing-404 \
		--server 'nginx -p . -e stderr -c nginx.conf' --dir "$T/nginx" --captures "$T/cap"
	check "--server 'nginx ...' by name: exit 0" test "$rc" -eq 0
	check "--server 'nginx ...' by name: http/get-hello passes" passes "$T/nginx.out" http/get-hello
	[ "$rc" -eq 0 ] || show "$T/nginx.out"
else
	skip "nginx is not installed"
fi

# TMPDIR inside the submission's folder: the copy leaves out its own private
# area (it had copied itself into itself until the path ran out, the worker
# killed by SIGSEGV); a submission nesting folders deeper than 64 is an ERROR
# in words, not a stack spent on the copy
mkdir -p "$T/sub/tmp"
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$T/sub/"
TMPDIR=$T/sub/tmp wcrun "$T/tmpin.out" run udp-echo/basic --server "python3 UDPServer.py" --dir "$T/sub" \
	--captures "$T/cap"
check "TMPDIR inside --dir: exit 0 (got $rc)" test "$rc" -eq 0
check "TMPDIR inside --dir: udp-echo/basic passes" passes "$T/tmpin.out" udp-echo/basic
check "TMPDIR inside --dir: its private area gone after" test -z "$(ls -A "$T/sub/tmp")"
[ "$rc" -eq 0 ] || show "$T/tmpin.out"
deep=$T/deep
for i in $(seq 1 70); do deep=$deep/d; done
mkdir -p "$deep"
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$T/deep/"
wcrun "$T/deep.out" run udp-echo/basic --server "python3 UDPServer.py" --dir "$T/deep" --captures "$T/cap"
check "folders 70 deep: an ERROR that says so (exit $rc)" \
	bash -c "[ $rc -eq 3 ] && grep -Eq '^ERROR .*nests folders more than 64 deep' '$T/deep.out'"
[ "$rc" -eq 3 ] || show "$T/deep.out"

check "nothing left behind" no_leftovers
