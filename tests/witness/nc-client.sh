#!/bin/sh
# An uppercase echo client from standard tools, not written by us: netcat
# sends each line read without its newline and ends after the one reply (-W 1).
# 'nc-client.sh loop' is the second course's client: it asks for a name ('Enter
# your name: ', as the slides do; the name is its prompt), then goes on line by
# line until it has sent 'quit'.
if [ "${1:-}" = loop ]; then
	printf 'Enter your name: '
	IFS= read -r name || exit 0
	printf '%s> ' "$name"
fi
while IFS= read -r line; do
	if [ "$line" = quit ]; then
		printf %s "$line" | nc -u -q 0 127.0.0.1 12000
		exit 0
	fi
	printf %s "$line" | nc -u -W 1 127.0.0.1 12000
	echo
	[ "${1:-}" = loop ] || exit 0
done
