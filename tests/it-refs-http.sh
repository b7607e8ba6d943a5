#!/usr/bin/env bash
# The reference HTTP server and client alone (no harness), in a fresh network
# namespace: files byte for byte with the six headers, HEAD, no way out of the
# root, requests in many segments, bad requests, keep-alive and pipelining, a
# slow reader, idle timeouts, a kernel without openat2(), no descriptors left,
# the reference client's output, and wrk load with flat memory.
set -u
if [ -z "${WC_IT_HTTP_NS:-}" ]; then
	NS="unshare -n"
	[ "$(id -u)" = 0 ] || NS="unshare -rn"
	exec $NS env WC_IT_HTTP_NS=1 bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
BIN=$(dirname "$WIRECHECK")
PORT=12000
URL=http://127.0.0.1:$PORT
ip link set lo up

for tool in curl wget wrk python3; do
	command -v $tool >/dev/null || { not_ok "$tool is installed (Debian package: make deps)"; exit 0; }
done

# The folder served, and a secret beside it
W=$T/www
mkdir -p "$W/sub/deeper" "$W/empty"
printf '<!DOCTYPE html>\n<html><body><h1>wirecheck</h1></body></html>\n' >"$W/index.html"
printf '<html><body>nested</body></html>\n' >"$W/sub/deeper/page.html"
printf 'line one\r\nline two\r\n\r\nafter a blank line\n' >"$W/crlf.txt"
head -c 1048576 /dev/urandom >"$W/big.bin"
printf 'TOPSECRET\n' >"$T/secret.txt"
ln -s ../secret.txt "$W/link.txt"
ln -s sub/deeper/page.html "$W/inside.html"
touch -d '2001-02-03 04:05:06 UTC' "$W/crlf.txt"
mkfifo "$W/fifo"
mkdir -p "$W/odd/index.html" "$W/a dir"
touch "$W/odd/a&b<c>.txt" "$W/odd/q\"uote's x.txt"

# wait_port: the server listens, within 5 s
wait_port() {
	local i
	for i in $(seq 100); do
		ss -ltnH "sport = :$PORT" | grep -q . && return 0
		sleep 0.05
	done
	return 1
}

# under ASan (make asan), freed memory waits in a quarantine: none, so that
# the memory check below measures the server, not the sanitizer
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0 \
	"$BIN/http-server" --root "$W" --port $PORT 2>"$T/server.err" &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
if ! wait_port; then
	not_ok "http-server listens on port $PORT"
	sed 's/^/# /' "$T/server.err"
	exit 0
fi
ok "http-server listens on port $PORT"

# raw MODE: sends stdin to the server (MODE whole, or bytewise: one byte per
# segment), prints what comes back until the server closes (5 s at most)
cat >"$T/raw.py" <<'EOF'
import socket, sys
data = sys.stdin.buffer.read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
if sys.argv[1] == "bytewise":
    for b in data:
        s.send(bytes([b]))
else:
    s.sendall(data)
out = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
except socket.timeout:
    sys.stderr.write("raw: timed out\n")
sys.stdout.buffer.write(out)
EOF
raw() { python3 "$T/raw.py" "$1" $PORT; }

# header FILE NAME: the value of header NAME in a head saved by curl -D
header() { tr -d '\r' <"$1" | sed -n "s/^$2: *//Ip" | head -1; }
imf() { LC_ALL=C date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S GMT'; }

# fetch NAME PATH FILE TYPE: GET PATH gives FILE's bytes and the six headers right
fetch() {
	local name=$1 path=$2 file=$3 type=$4 h=$T/h.$RANDOM b=$T/b.$RANDOM why="" d now
	curl -s -D "$h" -o "$b" "$URL$path" || why="curl failed"
	[ -z "$why" ] && ! grep -q '^HTTP/1.1 200 OK' "$h" && why="status $(head -1 "$h")"
	[ -z "$why" ] && ! cmp -s "$b" "$file" && why="body differs from $file"
	[ -z "$why" ] && [ "$(header "$h" Content-Length)" != "$(stat -c %s "$file")" ] && why="Content-Length"
	[ -z "$why" ] && [ "$(header "$h" Content-Type)" != "$type" ] && why="Content-Type"
	[ -z "$why" ] && [ "$(header "$h" Last-Modified)" != "$(imf "$(stat -c %Y "$file")")" ] && why="Last-Modified"
	if [ -z "$why" ]; then
		d=$(header "$h" Date)
		now=$(date +%s)
		[[ $d =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ [A-Z][a-z]{2}\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ GMT$ ]] &&
			[ $((now - $(date -u -d "$d" +%s))) -le 5 ] || why="Date '$d'"
	fi
	[ -z "$why" ] && [ -z "$(header "$h" Server)" ] && why="no Server"
	[ -z "$why" ] && [ "$(header "$h" Connection)" != keep-alive ] && why="Connection"
	[ -z "$why" ] && grep -q $'[^\r]$' <(head -c -2 "$h") && why="a header line without CRLF"
	if [ -z "$why" ]; then ok "$name"; else not_ok "$name: $why"; sed 's/^/# /' "$h"; fi
}

fetch "GET /index.html" /index.html "$W/index.html" text/html
fetch "GET / serves index.html" / "$W/index.html" text/html
fetch "GET a nested page" /sub/deeper/page.html "$W/sub/deeper/page.html" text/html
fetch "GET a 1 MiB binary file, byte for byte" /big.bin "$W/big.bin" application/octet-stream
fetch "GET a text file with CRLF inside, old mtime" /crlf.txt "$W/crlf.txt" text/plain
fetch "GET a percent-encoded path" /sub/%64eeper/page%2ehtml "$W/sub/deeper/page.html" text/html
fetch "GET a symbolic link that stays inside" /inside.html "$W/sub/deeper/page.html" text/html

wget -q -O "$T/wget.bin" "$URL/big.bin"
check "wget fetches the binary file byte for byte" cmp -s "$T/wget.bin" "$W/big.bin"

# HEAD: the same head, no body
printf 'HEAD /big.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | raw whole >"$T/head.out"
check "HEAD: 200 with Content-Length of the file" grep -q $'^Content-Length: 1048576\r$' "$T/head.out"
check "HEAD: no body" test "$(tail -c 4 "$T/head.out" | od -An -tx1 | tr -d ' ')" = 0d0a0d0a
curl -s -I "$URL/index.html" | tr -d '\r' | grep -v '^Date:' >"$T/head.curl"
curl -s -D - -o /dev/null "$URL/index.html" | tr -d '\r' | grep -v '^Date:' >"$T/get.curl"
check "HEAD and GET have the same headers" cmp -s "$T/head.curl" "$T/get.curl"

# status with curl: the status code of a path
status() { curl -s --path-as-is -o "$T/status.body" -w '%{http_code}' "$@"; }
check "404 for a missing file" test "$(status "$URL/nope.html")" = 404
check "404 body is HTML" grep -q '<h1>404 Not Found</h1>' "$T/status.body"
check "301 to the slash form of a folder" test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/sub")" = "301 $URL/sub/"
status "$URL/sub/deeper/" >/dev/null
check "a folder without index.html is listed" grep -q 'href="page.html"' "$T/status.body"

# no way out of the root
for p in /../secret.txt /%2e%2e/secret.txt /sub/../../secret.txt /%2E%2e%2fsecret.txt /sub/%2e%2e/%2e%2e/secret.txt /link.txt /.%2e/secret.txt; do
	code=$(status "$URL$p")
	if [[ $code =~ ^40[34]$ ]] && ! grep -q TOPSECRET "$T/status.body"; then
		ok "no escape from the root: $p ($code)"
	else
		not_ok "no escape from the root: $p ($code)"
	fi
done
printf 'GET /../secret.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | raw whole >"$T/esc.out"
check "no escape from the root: a raw /../ (not normalised by the client)" bash -c "! grep -q TOPSECRET '$T/esc.out' && grep -q '^HTTP/1.1 404' '$T/esc.out'"

# one byte per segment
printf 'GET /sub/deeper/page.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | raw bytewise >"$T/split.out"
check "a request sent one byte per segment is answered whole" \
	cmp -s <(sed '1,/^\r$/d' "$T/split.out") "$W/sub/deeper/page.html"

# bad requests
printf 'GARBAGE\r\n\r\n' | raw whole >"$T/400.out"
check "400 for a malformed request, then close" grep -q $'^HTTP/1.1 400 Bad Request\r$' "$T/400.out"
printf 'GET / HTTP/1.1\r\nBad Header: x\r\n\r\n' | raw whole >"$T/400b.out"
check "400 for a space in a header name" grep -q '^HTTP/1.1 400 ' "$T/400b.out"
check "501 for DELETE, with Allow" bash -c "curl -s -X DELETE -D - -o /dev/null '$URL/index.html' | tr -d '\r' |
	grep -q '^HTTP/1.1 501 ' && curl -s -X DELETE -D - -o /dev/null '$URL/' | grep -qi '^Allow: GET, HEAD'"
printf 'GET / HTTP/2.0\r\n\r\n' | raw whole >"$T/505.out"
check "505 for HTTP/2.0" grep -q '^HTTP/1.1 505 ' "$T/505.out"
{ printf 'GET / HTTP/1.1\r\n'; head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/X-Long: /'; } | raw whole >"$T/431.out"
check "431 for a head over 64 KiB" grep -q '^HTTP/1.1 431 ' "$T/431.out"

# more statuses
long=$(head -c 9000 /dev/zero | tr '\0' a)
printf 'GET /%s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' "$long" | raw whole >"$T/414.out"
check "414 for a target over 8 KiB" grep -q '^HTTP/1.1 414 ' "$T/414.out"
printf 'GET /index.html HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n' | raw whole >"$T/te.out"
check "501 for a chunked request body, one answer, then close" bash -c "grep -q '^HTTP/1.1 501 ' '$T/te.out' &&
	grep -q \$'^Connection: close\r\$' '$T/te.out' && [ \$(grep -ac '^HTTP/1.1' '$T/te.out') = 1 ]"
printf 'GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab' | raw whole >"$T/cl2.out"
check "400 for two different Content-Lengths" grep -q '^HTTP/1.1 400 ' "$T/cl2.out"
printf 'GET index.html HTTP/1.1\r\nHost: t\r\n\r\n' | raw whole >"$T/nopath.out"
check "400 for a target that is no path" grep -q '^HTTP/1.1 400 ' "$T/nopath.out"
check "403 for what is neither a file nor a folder (a FIFO)" test "$(status "$URL/fifo")" = 403
check "301 to the slash form, percent-encoded" \
	test "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/a%20dir")" = "301 $URL/a%20dir/"
status "$URL/odd/" >/dev/null
check "a listing escapes names for HTML and URLs; a folder named index.html is listed as one" bash -c "
	grep -qF '<a href=\"a%26b%3Cc%3E.txt\">a&amp;b&lt;c&gt;.txt</a>' '$T/status.body' &&
	grep -qF '<a href=\"q%22uote%27s%20x.txt\">q&quot;uote&#39;s x.txt</a>' '$T/status.body' &&
	grep -qF '<a href=\"index.html/\">index.html/</a>' '$T/status.body'" || show "$T/status.body"
lm=$(imf "$(stat -c %Y "$W/crlf.txt")")
check "304 for If-Modified-Since the file's date, with no body" \
	test "$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -H "If-Modified-Since: $lm" "$URL/crlf.txt")" = "304 0"
check "200 for an If-Modified-Since before it" \
	test "$(status -H 'If-Modified-Since: Fri, 02 Feb 2001 00:00:00 GMT' "$URL/crlf.txt")" = 200

# keep-alive and pipelining
curl -sv "$URL/index.html" "$URL/crlf.txt" -o /dev/null -o /dev/null 2>"$T/ka.err"
check "keep-alive: curl re-uses the connection" grep -q 'Re-using existing connection' "$T/ka.err"
check "keep-alive: both answered 200" test "$(grep -c '^< HTTP/1.1 200 OK' "$T/ka.err")" = 2
printf 'GET /crlf.txt HTTP/1.1\r\nHost: t\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: t\r\n\r\nGET /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello' |
	raw whole >"$T/pipe.out"
check "pipelined: three answers in order, the body of a request skipped" \
	test "$(grep -a '^HTTP/1.1' "$T/pipe.out" | tr -d '\r' | tr '\n' '|')$(grep -ac '^Content-Length' "$T/pipe.out")" = "HTTP/1.1 200 OK|HTTP/1.1 200 OK|HTTP/1.1 200 OK|3"
check "pipelined: bodies in order" bash -c "grep -a -A3 '^line one' '$T/pipe.out' | grep -q 'after a blank line' &&
	tail -c \$(stat -c %s '$W/index.html') '$T/pipe.out' | cmp -s - '$W/index.html'"
printf 'GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /crlf.txt HTTP/1.0\r\n\r\n' | raw whole >"$T/10ka.out"
check "HTTP/1.0 with Connection: keep-alive: kept open for the next request" \
	test "$(grep -a '^Connection:' "$T/10ka.out" | tr -d '\r' | tr '\n' '|')" = "Connection: keep-alive|Connection: close|"
python3 - "$PORT" >"$T/body.out" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
# a body that comes in segments of its own, after its head: dropped, not read as a request
s.sendall(b"GET /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n")
for part in (b"hel", b"lo", b"GET /crlf.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"):
    time.sleep(0.2)
    s.sendall(part)
out = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    out += d
sys.stdout.buffer.write(out)
PY
check "a request body in segments of its own is skipped" \
	test "$(grep -a '^HTTP/1.1' "$T/body.out" | tr -d '\r' | tr '\n' '|')" = "HTTP/1.1 200 OK|HTTP/1.1 200 OK|"
printf 'GET /index.html HTTP/1.0\r\n\r\n' | raw whole >"$T/10.out"
check "HTTP/1.0 without keep-alive: Connection: close, and closed" grep -q $'^Connection: close\r$' "$T/10.out"
printf 'GET /index.html HTTP/1.1\r\nConnection: close\r\n\r\n' | raw whole >"$T/11c.out"
check "HTTP/1.1 with Connection: close: closed after the response" grep -q $'^Connection: close\r$' "$T/11c.out"

# a client that asks for much and reads nothing does not hold up the others
python3 - "$PORT" <<'EOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n" * 20)
time.sleep(8)
EOF
slow=$!
check "a slow reader does not block another client" curl -s -m 3 -o /dev/null "$URL/big.bin"
kill $slow 2>/dev/null
wait $slow 2>/dev/null

# the reference client: the response as it came
"$BIN/http-client" --port $PORT /sub/deeper/page.html >"$T/client.out"
check "http-client exits 0" test $? = 0
curl -si "$URL/sub/deeper/page.html" >"$T/curl.out"
check "http-client prints the body as curl -si does" cmp -s <(sed '1,/^\r$/d' "$T/client.out") <(sed '1,/^\r$/d' "$T/curl.out")
check "http-client prints the status line and CRLF headers" bash -c "head -1 '$T/client.out' | grep -q $'^HTTP/1.1 200 OK\r$' &&
	grep -q $'^Connection: close\r$' '$T/client.out'"
"$BIN/http-client" --port $PORT /big.bin | sed '1,/^\r$/d' >"$T/client.bin"
check "http-client prints a binary body byte for byte" cmp -s "$T/client.bin" "$W/big.bin"
"$BIN/http-client" --port $PORT --keep-alive /index.html /crlf.txt /nope >"$T/client.ka"
check "http-client --keep-alive: three responses" test "$(grep -ac '^HTTP/1.1 ' "$T/client.ka")" = 3
"$BIN/http-client" --port $PORT --head /big.bin >"$T/client.head"
check "http-client --head: the head alone" test "$(tail -c 4 "$T/client.head" | od -An -tx1 | tr -d ' ')" = 0d0a0d0a
"$BIN/http-client" --port 1 / >/dev/null 2>&1
check "http-client exits 1 when it cannot connect" test $? = 1
"$BIN/http-client" >/dev/null 2>&1
check "http-client exits 2 without a PATH" test $? = 2

# --idle-timeout: a request begun and left gets 408, an idle connection is
# closed, a response the client does not take ends the connection
"$BIN/http-server" --root "$W" --port 12001 --idle-timeout 300 --verbose 2>"$T/idle.err" &
idle=$!
python3 - 12001 >"$T/idle.out" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for i in range(100):
    try:
        socket.create_connection(("127.0.0.1", port)).close()
        break
    except OSError:
        time.sleep(0.05)
def until_closed(s):
    out = b""
    t0 = time.monotonic()
    while True:
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            d = b""
        if not d:
            return out, time.monotonic() - t0
        out += d
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.sendall(b"GET /index.html HTTP/1.1\r\nHost")
out, took = until_closed(s)
print("begun: %s %.1f" % (out.split(b"\r\n")[0].decode(), took))
s = socket.create_connection(("127.0.0.1", port), timeout=5)
out, took = until_closed(s)
print("idle: %d bytes %.1f" % (len(out), took))
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n" * 4)
time.sleep(1.5)
PY
sed 's/^/# /' "$T/idle.out"
check "--idle-timeout 300: a request begun and left gets 408, then close" \
	grep -Eq '^begun: HTTP/1.1 408 Request Timeout [0-2]\.' "$T/idle.out"
check "--idle-timeout 300: an idle connection is closed without a word" grep -Eq '^idle: 0 bytes [0-2]\.' "$T/idle.out"
check "--idle-timeout 300: a client that takes no response is dropped" grep -q 'closed: sending: Connection timed out' "$T/idle.err"
kill -TERM $idle
wait $idle
check "http-server --idle-timeout ends with status 0 on SIGTERM" test $? = 0

# A kernel without openat2() (a preloaded syscall() says ENOSYS): the server
# opens, then asks /proc where the descriptor leads; still nothing outside the
# root. Then out of descriptors (prlimit): 500, and the server goes on.
cat >"$T/no-openat2.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>
long syscall(long n, ...)
{
	static long (*real)(long, ...);
	long a[6];
	va_list ap;

	if (n == SYS_openat2) {
		errno = ENOSYS;
		return -1;
	}
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
C
if cc -shared -fPIC -o "$T/no-openat2.so" "$T/no-openat2.c" -ldl 2>"$T/cc.err"; then
	LD_PRELOAD=$T/no-openat2.so "$BIN/http-server" --root "$W" --port 12002 2>"$T/old.err" &
	old=$!
	for i in $(seq 100); do ss -ltnH "sport = :12002" | grep -q . && break; sleep 0.05; done
	URL=http://127.0.0.1:12002 fetch "no openat2: GET /index.html" /index.html "$W/index.html" text/html
	URL=http://127.0.0.1:12002 fetch "no openat2: a symbolic link that stays inside" /inside.html "$W/sub/deeper/page.html" text/html
	code=$(status "http://127.0.0.1:12002/link.txt")
	check "no openat2: no escape by a symbolic link ($code)" bash -c "[ $code = 404 ] && ! grep -q TOPSECRET '$T/status.body'"
	check "no openat2: 404 for a missing file" test "$(status http://127.0.0.1:12002/nope.html)" = 404
	# out of descriptors: the (soft) limit set to the server's lowest free
	# descriptor, plus one for a client (a file: 500), plus two (the folder
	# opens, its listing: 500); then back to the hard limit
	free=0
	while [ -e "/proc/$old/fd/$free" ]; do free=$((free + 1)); done
	hard=$(prlimit --pid "$old" --nofile -o HARD --noheadings | tr -d ' ')
	prlimit --pid "$old" --nofile=$((free + 1)):
	printf 'GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | PORT=12002 raw whole >"$T/emfile.out"
	check "out of descriptors: 500 for a file" grep -q '^HTTP/1.1 500 ' "$T/emfile.out"
	prlimit --pid "$old" --nofile=$((free + 2)):
	printf 'GET /sub/deeper/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | PORT=12002 raw whole >"$T/emfile2.out"
	check "out of descriptors: 500 for a folder's listing" grep -q '^HTTP/1.1 500 ' "$T/emfile2.out"
	prlimit --pid "$old" --nofile="$hard":
	check "with descriptors again: 200" test "$(status http://127.0.0.1:12002/sub/deeper/)" = 200
	kill -TERM $old
	wait $old
	check "http-server without openat2 ends with status 0 on SIGTERM" test $? = 0
else
	not_ok "cc builds a preloaded library"
	show "$T/cc.err"
fi

# wrk: no errors, and memory stays flat
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$srv/status"; }
wrk -t2 -c100 -d1s "$URL/index.html" >"$T/wrk1.out" 2>&1
warm=$(rss)
wrk -t2 -c100 -d10s "$URL/index.html" >"$T/wrk.out" 2>&1
after=$(rss)
sed 's/^/# /' "$T/wrk.out"
echo "# VmRSS after a 1 s warm-up: $warm kB, after 10 s: $after kB"
check "wrk: no socket errors" bash -c "! grep -q 'Socket errors' '$T/wrk.out'"
check "wrk: no non-2xx responses" bash -c "! grep -q 'Non-2xx' '$T/wrk.out' && grep -q 'Requests/sec' '$T/wrk.out'"
if [ -n "$warm" ] && [ -n "$after" ]; then
	bound=$((warm / 4 > 2048 ? warm / 4 : 2048))
	check "memory stays flat under wrk (VmRSS +$((after - warm)) kB, bound $bound kB)" test $((after - warm)) -le $bound
else
	not_ok "memory stays flat under wrk: no VmRSS (the server is gone)"
fi

# a client still connected when the server stops is closed
python3 - "$PORT" >"$T/stop.out" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n")
while s.recv(65536):
    print("answered", flush=True)
print("closed")
PY
cl=$!
for i in $(seq 100); do grep -q answered "$T/stop.out" && break; sleep 0.05; done
kill -TERM $srv
wait $srv
check "http-server ends with status 0 on SIGTERM" test $? = 0
wait $cl
check "a client connected at SIGTERM is closed" grep -q '^closed$' "$T/stop.out"
if grep -q . "$T/server.err"; then sed 's/^/# server: /' "$T/server.err"; fi
