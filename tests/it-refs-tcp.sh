#!/usr/bin/env bash
# The reference TCP servers under load, each alone in a network namespace:
# thousands of connections, hundreds at once, peers vanishing at any moment,
# in every concurrency model; and no zombie children in fork mode. "quit" in
# pieces, held and timed out, in every session variant; SIGTERM with a client.
set -u
source "$(dirname "$0")/lib.sh"
BIN=$(dirname "$WIRECHECK")
NS="unshare -n"
[ "$(id -u)" = 0 ] || NS="unshare -rn"

# stress NAME KIND SEQ AT_ONCE SERVER ARGS...: the server and the load in one fresh namespace
stress() {
	local name=$1 kind=$2 seq=$3 n=$4
	shift 4
	$NS bash -c '
		ip link set lo up
		ulimit -n 4096
		"$@" & srv=$!
		python3 "'"$TOP"'/tests/load/tcp_stress.py" 12000 '"$kind $seq $n"'; rc=$?
		zombies=$(ps -o stat= --ppid $srv 2>/dev/null | grep -c Z)
		echo "# zombies: $zombies"
		kill -TERM $srv; wait $srv; st=$?
		[ $st -eq 0 ] || echo "not ok - server ended with status $st on SIGTERM"
		[ "$zombies" -eq 0 ] || echo "not ok - $zombies zombie children"
		exit $rc' _ "$@" 2>"$T/$name.err" | sed "s/^\(not \)\{0,1\}ok - /&$name: /"
}

stress epoll echo 2000 300 "$BIN/tcp-echo-server" --variant concurrent --concurrency epoll
stress threads echo 2000 300 "$BIN/tcp-echo-server" --variant concurrent --concurrency threads
stress fork echo 1000 200 "$BIN/tcp-echo-server" --variant concurrent --concurrency fork
stress name-echo name 2000 300 "$BIN/name-echo-server" --name Ali

# quit NAME SERVER ARGS...: "quit" as the session variants read it
# (tests/load/tcp_quit.py), then SIGTERM with a client still connected: the
# server ends with status 0 and the client is closed. In a fresh namespace.
quit() {
	local name=$1
	shift
	$NS bash -c '
		ip link set lo up
		"$@" & srv=$!
		python3 "'"$TOP"'/tests/load/tcp_quit.py" 12000
		python3 -c "
import socket
s = socket.create_connection((\"127.0.0.1\", 12000), timeout=10)
s.sendall(b\"hi\n\")
assert s.recv(10) == b\"HI\n\"
print(\"connected\", flush=True)
while s.recv(10):
    pass
print(\"closed\", flush=True)" >"'"$T"'/$$.client" & cl=$!
		for i in $(seq 100); do grep -q connected "'"$T"'/$$.client" && break; sleep 0.05; done
		kill -TERM $srv; wait $srv; st=$?
		wait $cl
		if [ $st -eq 0 ]; then echo "ok - SIGTERM: status 0"; else echo "not ok - SIGTERM: status $st"; fi
		if grep -q closed "'"$T"'/$$.client"; then echo "ok - SIGTERM: a connected client is closed"
		else echo "not ok - SIGTERM: a connected client is closed"; fi' _ "$@" 2>"$T/$name.err" |
		sed "s/^\(not \)\{0,1\}ok - /&$name: /"
}

quit session "$BIN/tcp-echo-server" --variant session
quit epoll "$BIN/tcp-echo-server" --variant concurrent --concurrency epoll
quit threads "$BIN/tcp-echo-server" --variant concurrent --concurrency threads
quit fork "$BIN/tcp-echo-server" --variant concurrent --concurrency fork
