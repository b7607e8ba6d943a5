#!/usr/bin/env bash
# The reference TCP servers under load, each alone in a network namespace:
# thousands of connections, hundreds at once, peers vanishing at any moment,
# in every concurrency model; and no zombie children in fork mode.
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
