#!/bin/sh
# The slides' TCPClient.py from standard tools, not written by us: netcat sends
# the line typed without its newline over TCP, half-closes (-N) and prints what
# the server sends back until it closes, after 'From Server: '.
# 'nc-tcp-client.sh session' is the second course's client: it asks for a name
# ('Enter your name: ', as the slides do; the name is its prompt), then sends
# each line without its newline over one connection, until it has sent 'quit';
# netcat prints the replies as they come.
if [ "${1:-}" = session ]; then
	printf 'Enter your name: '
	IFS= read -r name || exit 1
	printf '%s> ' "$name"
	while IFS= read -r line; do
		printf %s "$line"
		[ "$line" = quit ] && break
	done | nc -N 127.0.0.1 50000
	exit 0
fi
IFS= read -r line || exit 1
printf 'From Server: '
printf %s "$line" | nc -N 127.0.0.1 12000
echo
