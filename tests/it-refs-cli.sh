#!/usr/bin/env bash
# The reference programs' command lines: --help (usage on stdout, exit 0), bad
# options and values (the reason and a hint on stderr, exit 2), and what a
# server says when it cannot start (exit 1): an address it cannot bind, a root
# folder or table that cannot be read.
set -u
source "$(dirname "$0")/lib.sh"
BIN=$(dirname "$WIRECHECK")

# run OUT PROG ARGS...: the program's stdout in OUT.out, stderr in OUT.err; sets $rc
run() {
	local out=$1 prog=$2
	shift 2
	rc=0
	timeout 10 "$BIN/$prog" "$@" >"$T/$out.out" 2>"$T/$out.err" </dev/null || rc=$?
}

# usage_error NAME PROG MESSAGE ARGS...: exit 2, MESSAGE (fixed text) and the
# hint on stderr, nothing on stdout
usage_error() {
	local name=$1 prog=$2 msg=$3
	shift 3
	run err "$prog" "$@"
	if [ "$rc" -eq 2 ] && grep -qxF "$prog: $msg" "$T/err.err" && grep -qxF "try '$prog --help'" "$T/err.err" &&
		[ ! -s "$T/err.out" ]; then
		ok "$prog $name: exit 2, '$msg'"
	else
		not_ok "$prog $name: exit 2, '$msg' (status $rc)"
		show "$T/err.err"
	fi
}

# start_error NAME PROG MESSAGE ARGS...: exit 1 and "PROG: MESSAGE" on stderr
start_error() {
	local name=$1 prog=$2 msg=$3
	shift 3
	run err "$prog" "$@"
	if [ "$rc" -eq 1 ] && grep -qxF "$prog: $msg" "$T/err.err"; then
		ok "$prog $name: exit 1, '$msg'"
	else
		not_ok "$prog $name: exit 1, '$msg' (status $rc)"
		show "$T/err.err"
	fi
}

SERVERS="udp-echo-server tcp-echo-server name-echo-server http-server dns-server"
CLIENTS="udp-echo-client tcp-echo-client name-echo-client http-client dns-client"
for p in $SERVERS $CLIENTS; do
	run help "$p" --help
	check "$p --help: exit 0, usage on stdout, nothing on stderr" \
		bash -c "[ $rc -eq 0 ] && head -1 '$T/help.out' | grep -q '^usage: $p ' && grep -q -- '--port N' '$T/help.out' && [ ! -s '$T/help.err' ]"
	run h "$p" -h
	check "$p -h: the same usage" cmp -s "$T/help.out" "$T/h.out"
	usage_error "--port 99999" "$p" "invalid port '99999' (want 0..65535)" --port 99999
	usage_error "--port ' 1'" "$p" "invalid port ' 1' (want 0..65535)" --port ' 1'
	usage_error "--port (no value)" "$p" "option '--port' needs a value" --port
	usage_error "--bogus" "$p" "unknown option '--bogus'" --bogus
	usage_error "-x" "$p" "unknown option '-x'" -x
done
for p in $SERVERS dns-client udp-echo-client tcp-echo-client name-echo-client; do
	usage_error "an operand" "$p" "unexpected argument 'extra'" extra
done
for p in $CLIENTS; do
	usage_error "--timeout 1s" "$p" "invalid timeout '1s' (want milliseconds)" --timeout 1s
done

# the servers' own options
usage_error "--variant bogus" tcp-echo-server "unknown variant 'bogus' (want oneshot, session or concurrent)" --variant bogus
usage_error "--concurrency bogus" tcp-echo-server "unknown concurrency 'bogus' (want epoll, threads or fork)" \
	--variant concurrent --concurrency bogus
usage_error "--variant (no value)" tcp-echo-server "option '--variant' needs a value" --variant
usage_error "--name with a line end" name-echo-server "invalid name 'a
b' (a line end in it)" --name $'a\nb'
for v in 0 -5 abc 3600001 ' 300'; do
	usage_error "--idle-timeout '$v'" http-server "invalid idle timeout '$v' (want 1..3600000 ms)" --idle-timeout "$v"
done

# what a server cannot start with: exit 1, the reason
for p in $SERVERS; do
	start_error "--bind 192.0.2.1 (not this machine's)" "$p" "bind 192.0.2.1:12000: Cannot assign requested address" \
		--bind 192.0.2.1
done
start_error "--root of a missing folder" http-server "cannot open the root folder '$T/none': No such file or directory" \
	--root "$T/none"
start_error "--table of a missing file" dns-server "cannot open '$T/none': No such file or directory" --table "$T/none"
printf '# a table\ngoogle.com 260 192.165.1.1\nyoutube.com 160 192.165.1.300\n' >"$T/bad.table"
run badtable dns-server --table "$T/bad.table"
check "dns-server --table with a bad line: exit 1, 'FILE:3:' and the reason" \
	bash -c "[ $rc -eq 1 ] && grep -q '^dns-server: $T/bad.table:3: ' '$T/badtable.err'" || show "$T/badtable.err"
