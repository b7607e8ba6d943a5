#!/usr/bin/env bash
# Clients driven by what they print (issue 17; LABS.md 1, 2, 5):
#   - the name is typed only when the client asks for one: the slides' clients
#     that ask 'Enter your name: ' and clients that go straight to their '> '
#     prompt both pass client-loop-quit / client-session (the harness waits
#     until the client asks, or until a thread of it waits in read() on its
#     standard input without having asked);
#   - a DNS client with its own prompt case and spacing, that lower-cases the
#     name, passes the MUST client scenarios and gets one WARN, on
#     dns/client-exact-text (the lab's exact text is a SHOULD).
set -u
source "$(dirname "$0")/lib.sh"

# grade NAME LAB VARIANT CLIENT DIR: the verdicts into $T/NAME.out
grade() {
	wcrun "$T/$1.out" run "$2" --variant "$3" --client "$4" --dir "$5" --name "$1" --captures "$T/cap" -j 2
}

S=$TOP/tests/students
grade udp-name udp-echo quit "python3 UDPClient50000.py" "$S/udp-echo"
grade udp-noname udp-echo quit "python3 UDPClientNoName.py" "$S/udp-echo"
grade tcp-name tcp-echo session "python3 TCPClient50000.py" "$S/tcp-echo"
grade tcp-noname tcp-echo session "python3 TCPClientNoName.py" "$S/tcp-echo"
for n in udp-name udp-noname; do
	check "$n: client-loop-quit passes" passes "$T/$n.out" udp-echo/client-loop-quit
done
for n in tcp-name tcp-noname; do
	check "$n: client-session passes" passes "$T/$n.out" tcp-echo/client-session
done
# what went on the wire: the name never, the first line first
for n in udp-name:udp-echo/client-loop-quit udp-noname:udp-echo/client-loop-quit \
	tcp-name:tcp-echo/client-session tcp-noname:tcp-echo/client-session; do
	pcap=$(grep -o "/[^ ]*${n#*:}.pcap" "$T/${n%%:*}.out" | head -1)
	check "${n%%:*}: the client's first message on the wire is 'one', not the name" \
		test "$(tshark -r "$pcap" -T fields -e udp.payload -e tcp.payload -Y 'udp.length > 8 or tcp.len > 0' \
			2>/dev/null | tr -d '\t:' | head -1)" = 6f6e65
done

# a C client whose prompts are printf() with no fflush(): to a pipe, stdio
# would keep 'Enter your name: ' in its buffer and the name would never be
# typed; programs under test write their C stdio at once (libstdbuf, as
# PYTHONUNBUFFERED for Python), so it is asked, typed, and the client passes
mkdir -p "$T/cbin"
if cc -O2 -o "$T/cbin/udpclient" "$S/udp-echo/udpclient.c"; then
	grade udp-c udp-echo quit ./udpclient "$T/cbin"
	check "udp-c: client-loop-quit passes (an unflushed C prompt is seen)" passes "$T/udp-c.out" \
		udp-echo/client-loop-quit
	pcap=$(grep -o "/[^ ]*udp-echo/client-loop-quit.pcap" "$T/udp-c.out" | head -1)
	check "udp-c: the name was typed when asked: 'one' is the first message" \
		test "$(tshark -r "$pcap" -T fields -e udp.payload -Y 'udp.length > 8' 2>/dev/null | tr -d ':' | head -1)" \
		= 6f6e65
else
	not_ok "udp-c: udpclient.c builds with cc"
fi

grade dns-lower dns plain "python3 client_lower.py" "$S/dns"
for id in client-google client-upper client-end client-ids; do
	check "dns client_lower: $id passes (prompt and lines in any case and spacing)" passes "$T/dns-lower.out" dns/$id
done
check "dns client_lower: client-exact-text WARN, on the prompt's exact text" \
	marked_with "$T/dns-lower.out" dns/client-exact-text WARN 'standard output lacks "Enter Domain Name:"'
check "dns client_lower: exit status 0 (a SHOULD only)" test "$rc" -eq 0
check "nothing left behind" no_leftovers
