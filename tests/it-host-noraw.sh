#!/usr/bin/env bash
# Host mode without CAP_NET_RAW (issue 19; tests/nons.c --no-net-raw, as
# docker run --cap-drop NET_RAW): no capture can be opened, so wirecheck says
# so once, up front, grades each server scenario from a pcap reconstructed
# from its own sockets, each client scenario from one reconstructed from what
# the reference server wrote down of its sockets (lib/srvtx.h), and every
# verdict says the capture was reconstructed. Against host mode with a
# capture (nons alone), for the references, golden students, mutants and
# client mutants: every scenario that runs has the same outcome (a broken
# server or client still FAILs: a reconstruction that passes everything is
# worthless); only two-host scenarios are left out; tshark reads every
# reconstructed pcap with good checksums, no malformed frame and no TCP
# analysis warning but the resets the scenarios make. wirecheck grade does
# the same for a class. A malformed transcript from the reference server is
# an ERROR in words.
set -u
OWN_NETNS=1 # host mode's ports are this test's own (lib.sh)
source "$(dirname "$0")/lib.sh"

nons_as_root noraw || exit 0
if ! command -v tshark >/dev/null; then
	not_ok "noraw: tshark is installed (make deps-check)"
	exit 0
fi

check "noraw: a packet socket is refused under nons --no-net-raw" \
	bash -c "! '$NONS' --no-net-raw /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)' 2>/dev/null"

# outcomes JSON: a line per scenario run: lab/label outcome score
outcomes_of() {
	/usr/bin/python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    print(s["lab"] + "/" + s["label"], s["outcome"], s["score"])
' "$1" | sort
}

# every_verdict_reconstructed JSON: each scenario says so, in its flag and its detail
every_verdict_reconstructed() {
	/usr/bin/python3 -c '
import json, sys
bad = [s["label"] for s in json.load(open(sys.argv[1]))["scenarios"]
       if not s["reconstructed"] or "reconstructed from the harness" not in s["detail"]]
print("# not said:", bad) if bad else None
sys.exit(1 if bad else 0)
' "$1"
}

# none_reconstructed JSON: with a capture, no verdict says it was reconstructed
none_reconstructed() {
	/usr/bin/python3 -c '
import json, sys
sys.exit(1 if any(s["reconstructed"] or "reconstructed" in s["detail"] for s in json.load(open(sys.argv[1]))["scenarios"]) else 0)
' "$1"
}

# text_says_reconstructed TEXT: every PASS line carries the note, and so does every other verdict's detail
text_says_reconstructed() {
	local n_pass n_note n_other n_detail
	n_pass=$(grep -Ec '^(PASS|info) ' "$1")
	n_note=$(grep -Ec "^(PASS|info) .*\[capture reconstructed from the harness's sockets, not seen on the wire\]" "$1")
	n_other=$(grep -Ec '^(FAIL|WARN|ERROR|INFO) ' "$1")
	n_detail=$(grep -c "note: capture: reconstructed from the harness's sockets (no CAP_NET_RAW): not what the wire carried" "$1")
	[ "$n_pass" = "$n_note" ] && [ "$n_detail" = "$n_other" ] || {
		echo "# $1: $n_note of $n_pass passed lines, $n_detail of $n_other other verdicts say so"
		return 1
	}
}

# pcaps_reconstructed_clean JSON [empty-ok]: every scenario's pcap exists, has frames
# (with empty-ok, none is right for a client that sent nothing),
# and tshark reads it with every IP, TCP and UDP checksum good, no malformed
# frame, no expert error, no TCP analysis flag (lost segment, unseen ACK,
# retransmission...) but a reset's
pcaps_reconstructed_clean() {
	local f out bad=0 n=0 tcp frames good
	while IFS= read -r f; do
		n=$((n + 1))
		case $f in */http/*) tcp=http ;; *) tcp=data ;; esac
		opts=(-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
			-d udp.port==1-65535,data -d tcp.port==1-65535,$tcp)
		out=$(tshark -r "$f" "${opts[@]}" -Y '_ws.malformed || _ws.expert.severity >= error ||
			ip.checksum.status != 1 || tcp.checksum.status != 1 || udp.checksum.status != 1 ||
			(tcp.analysis.flags && !tcp.connection.rst)' 2>&1 | grep -v '^Running as user')
		frames=$(tshark -r "$f" 2>/dev/null | wc -l)
		# a good checksum in every frame: an IPv6 frame has no header checksum, its TCP or UDP one counts
		good=$(tshark -r "$f" "${opts[@]}" -T fields -e ip.checksum.status -e ipv6.version \
			-e tcp.checksum.status -e udp.checksum.status 2>/dev/null |
			awk -F'\t' '($1 == 1 || $2 == 6) && ($3 == 1 || $4 == 1)' | wc -l)
		if [ ! -s "$f" ] || [ -n "$out" ] || { [ "$frames" = 0 ] && [ "${2:-}" != empty-ok ]; } ||
			[ "$good" != "$frames" ]; then
			echo "# $f: $frames frames, $good with good checksums; ${out:-}"
			bad=1
		fi
	done < <(/usr/bin/python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    if s["outcome"] != "error":
        print(s["capture"])
' "$1")
	echo "# $n reconstructed captures read"
	[ "$n" -ge 1 ] && [ $bad -eq 0 ]
}

# run_both NAME ARGS...: ARGS under nons (host mode, a capture) and under nons
# --no-net-raw (reconstructed); $T/NAME.{cap,noraw}.{json,err} and NAME.noraw.txt
run_both() {
	local name=$1
	shift
	"$NONS" "$WIRECHECK" run "$@" --format json --captures "$T/cap-host" >"$T/$name.cap.json" 2>"$T/$name.cap.err"
	"$NONS" --no-net-raw "$WIRECHECK" run "$@" --format text,json --out "$T/$name.out" \
		--captures "$T/cap-noraw" >"$T/$name.noraw.txt" 2>"$T/$name.noraw.err"
	noraw_rc=$?
	cp "$T/$name.out/wirecheck.json" "$T/$name.noraw.json" 2>/dev/null
}

# same_outcomes NAME: every scenario run without a capture has the outcome and
# score it has with one (none is left out but client ones)
same_outcomes() {
	local name=$1
	outcomes_of "$T/$name.cap.json" >"$T/$name.cap.o" || return 1
	outcomes_of "$T/$name.noraw.json" >"$T/$name.noraw.o" || return 1
	[ -s "$T/$name.noraw.o" ] || { echo "# $name: nothing ran without a capture"; return 1; }
	if grep -q ' error ' "$T/$name.cap.o"; then
		echo "# $name: ERRORs with a capture, the comparison would say nothing:"
		grep ' error ' "$T/$name.cap.o" | sed 's/^/#   /' | head -5
		return 1
	fi
	if comm -13 "$T/$name.cap.o" "$T/$name.noraw.o" | grep -q .; then
		echo "# $name: outcomes that differ (- with a capture, + reconstructed):"
		diff "$T/$name.cap.o" "$T/$name.noraw.o" | grep '^[<>]' | sed -e 's/^</#   -/' -e 's/^>/#   +/' | head -20
		return 1
	fi
}

# same_words NAME: each verdict's summary (what went wrong, one line) and fault
# are the capture's, frame numbers aside (a reconstruction has frames of its own):
# a reset the server sent after the harness's bytes, with its FIN in first,
# read "closed the connection" reconstructed before (reads-once)
same_words() {
	local name=$1
	words_of() {
		/usr/bin/python3 -c '
import json, re, sys
for s in json.load(open(sys.argv[1]))["scenarios"]:
    print(s["lab"] + "/" + s["label"], s["fault"], re.sub(r"\(?frames? [0-9][0-9, -]*\)?", "", s["summary"]))
' "$1" | sort
	}
	words_of "$T/$name.cap.json" >"$T/$name.cap.w" || return 1
	words_of "$T/$name.noraw.json" >"$T/$name.noraw.w" || return 1
	if ! diff -q "$T/$name.cap.w" "$T/$name.noraw.w" >/dev/null; then
		echo "# $name: words that differ (- with a capture, + reconstructed):"
		diff "$T/$name.cap.w" "$T/$name.noraw.w" | grep '^[<>]' | sed -e 's/^</#   -/' -e 's/^>/#   +/' | head -20
		return 1
	fi
}

# nothing_left_out NAME: what ran with a capture ran without one too (host
# mode leaves out two-host scenarios either way)
nothing_left_out() {
	local name=$1 id bad=0
	for id in $(comm -23 <(awk '{ print $1 }' "$T/$name.cap.o") <(awk '{ print $1 }' "$T/$name.noraw.o")); do
		echo "# $name: $id was run with a capture, not without one"
		bad=1
	done
	return $bad
}

# clients_ran NAME LAB: each client scenario of LAB ran without a capture
clients_ran() {
	local name=$1 lab=$2 sc bad=0 n=0
	for sc in $("$WIRECHECK" list "$lab" | awk '$2 == "client" { print $1 }'); do
		n=$((n + 1))
		grep -Eq "^$lab/$sc(@[^ ]*)? (pass|fail) " "$T/$name.noraw.o" || {
			echo "# $name: $lab/$sc did not run (or is an ERROR) without a capture"
			bad=1
		}
	done
	echo "# $n client scenarios"
	[ "$n" -ge 1 ] && [ $bad -eq 0 ]
}

# the references, lab by lab
for lab in udp-echo tcp-echo name-echo http dns; do
	run_both "$lab" "$lab"
	check "noraw $lab references: exit status 0 (got $noraw_rc)" test "$noraw_rc" -eq 0
	n_line=$(grep -c "^wirecheck: cannot capture here (socket AF_PACKET: Operation not permitted: no CAP_NET_RAW): each scenario's pcap is reconstructed from the harness's own sockets (a client scenario's from the reference server's)" "$T/$lab.noraw.err")
	check "noraw $lab: the reconstruction is said once, up front, with the reason ($n_line lines)" test "$n_line" -eq 1
	check "noraw $lab: not said where a capture runs" bash -c "! grep -q 'cannot capture here' '$T/$lab.cap.err'"
	tally=$(/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tally"]; print(t["points"], t["max_points"], t["errors"], t["failed"])' "$T/$lab.noraw.json" 2>/dev/null)
	read -r pts max errs failed <<<"${tally:-x y z w}"
	check "noraw $lab references: $pts/$max, 0 ERROR, 0 failed (errors $errs, failed $failed)" \
		test "$pts" = "$max" -a "$errs" = 0 -a "$failed" = 0 -a "$max" != 0
	check "noraw $lab references: the outcomes of host mode with a capture" same_outcomes "$lab"
	check "noraw $lab references: none left out" nothing_left_out "$lab"
	check "noraw $lab references: every verdict says the capture was reconstructed (JSON)" every_verdict_reconstructed "$T/$lab.noraw.json"
	check "noraw $lab references: every line of the text report says so" text_says_reconstructed "$T/$lab.noraw.txt"
	check "noraw $lab references: with a capture, none says so" none_reconstructed "$T/$lab.cap.json"
	check "noraw $lab references: tshark reads every reconstructed pcap cleanly" pcaps_reconstructed_clean "$T/$lab.noraw.json"
	if "$WIRECHECK" list "$lab" 2>/dev/null | grep -Eq '^  [^ ]+ +client '; then
		check "noraw $lab: the client scenarios ran, reconstructed" clients_ran "$lab" "$lab"
		check "noraw $lab: each client verdict says the sockets are the reference server's" /usr/bin/python3 -c '
import json, sys
sc = [s for s in json.load(open(sys.argv[1]))["scenarios"] if s["found"].startswith("client")]
sys.exit(0 if sc and all("the sockets are the reference server" in s["detail"] for s in sc) else 1)
' "$T/$lab.noraw.json"
	fi
done

# students: the slides' programs, golden ones with faults, and mutants. The
# same outcomes, FAILs included
students=(
	"tcp-oneshot|tcp-echo|tcp-echo|python3 TCPServer.py|"
	"tcp-Session|tcp-echo|tcp-echo|python3 TCPServerSession.py|session"
	"tcp-Threaded|tcp-echo|tcp-echo|python3 TCPServerThreaded.py|concurrent"
	"golden-close404|http|golden/http|python3 close404.py|"
	"golden-fixedid|dns|golden/dns|python3 fixedid.py|"
	"mut-lower|tcp-echo|../mutants/tcp-echo|python3 lower.py|"
	"mut-reads-once|tcp-echo|../mutants/tcp-echo|python3 reads-once.py|"
)
for s in "${students[@]}"; do
	IFS='|' read -r name lab dir cmd variant <<<"$s"
	args=("$lab" --server "$cmd" --dir "$TOP/tests/students/$dir")
	[ -n "$variant" ] && args+=(--variant "$variant")
	run_both "$name" "${args[@]}"
	check "noraw student $name: the outcomes of host mode with a capture" same_outcomes "$name"
	check "noraw student $name: the words of host mode with a capture, frame numbers aside" same_words "$name"
	check "noraw student $name: every verdict says the capture was reconstructed" every_verdict_reconstructed "$T/$name.noraw.json"
	check "noraw student $name: tshark reads every reconstructed pcap cleanly" pcaps_reconstructed_clean "$T/$name.noraw.json"
done

# client mutants: the client talks to the reference server, whose transcript
# makes the pcap; each still FAILs the scenario it is there to fail, with the
# outcomes host mode with a capture gives (a client that sends nothing leaves
# an empty pcap either way)
for f in $(grep -l '^# role: client' "$TOP"/tests/mutants/*/*.py); do
	lab=$(basename "$(dirname "$f")") prog=$(basename "$f")
	variant=$(sed -n 's/^# variant: //p' "$f" | head -1)
	name=cmut-$lab-${prog%.py}
	run_both "$name" "$lab" --client "python3 $prog" --dir "$(dirname "$f")" ${variant:+--variant "$variant"}
	check "noraw client mutant $lab/$prog: the outcomes of host mode with a capture" same_outcomes "$name"
	check "noraw client mutant $lab/$prog: every verdict says the capture was reconstructed" \
		every_verdict_reconstructed "$T/$name.noraw.json"
	check "noraw client mutant $lab/$prog: tshark reads every reconstructed pcap cleanly" \
		pcaps_reconstructed_clean "$T/$name.noraw.json" empty-ok
	for caught in $(sed -n 's/^# catches: \([^:]*\):.*/\1/p' "$f"); do
		# a SHOULD scenario's fault is a WARN
		check "noraw client mutant $lab/$prog: FAILs (or WARNs) $caught reconstructed" \
			grep -Eq "^$caught(@[^ ]*)? (fail|warn) " "$T/$name.noraw.o"
	done
done

# a client that writes into the reference server's transcript (it runs as
# the same uid, beside it) before it does its job: an ERROR that says what is
# wrong with the file, never a FAIL of the client, and the run goes on
mkdir -p "$T/tamper"
{
	echo 'try:'
	echo '    with open("../server-transcript", "ab") as f: f.write(b"1 7.1 in 99999999\n")'
	echo 'except OSError: pass'
	cat "$TOP/tests/students/udp-echo/UDPClient.py"
} >"$T/tamper/UDPClient.py"
run_both tamper udp-echo/client-prints-reply --client "python3 UDPClient.py" --dir "$T/tamper"
outcomes_of "$T/tamper.cap.json" >"$T/tamper.cap.o"
check "noraw tampered transcript: with a capture the client passes" grep -q '^udp-echo/client-prints-reply pass ' "$T/tamper.cap.o"
check "noraw tampered transcript: reconstructed, an ERROR" grep -Eq '^ERROR +udp-echo/client-prints-reply' "$T/tamper.noraw.txt"
check "noraw tampered transcript: the ERROR says which record of the reference server's transcript is wrong" \
	grep -Eq "^ERROR +udp-echo/client-prints-reply .*the reference server's transcript '[^']*': record [0-9]+: " "$T/tamper.noraw.txt"
check "noraw tampered transcript: no FAIL, and wirecheck ended by itself (status $noraw_rc)" \
	bash -c "! grep -q '^FAIL' '$T/tamper.noraw.txt' && [ $noraw_rc -lt 128 ]"

# wirecheck grade under --no-net-raw: a class of udp-echo (the slides'
# server and client, a client that sends the line's newline, a server that
# lowercases) gets the outcomes it gets with a capture, client scenarios
# included; the line said once; every verdict reconstructed
G=$T/gclass
mkdir -p "$G/good" "$G/newline" "$G/lower"
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$TOP/tests/students/udp-echo/UDPClient.py" "$G/good/"
cp "$TOP/tests/students/udp-echo/UDPServer.py" "$G/newline/"
cp "$TOP/tests/mutants/udp-echo/client-newline.py" "$G/newline/UDPClient.py"
cp "$TOP/tests/mutants/udp-echo/lower.py" "$G/lower/UDPServer.py"
cp "$TOP/tests/students/udp-echo/UDPClient.py" "$G/lower/"
"$NONS" "$WIRECHECK" grade "$G" --lab udp-echo --out "$T/gc-cap" --format json >"$T/gc-cap.out" 2>&1
gc_cap_rc=$?
"$NONS" --no-net-raw "$WIRECHECK" grade "$G" --lab udp-echo --out "$T/gc-noraw" --format json,text >"$T/gc-noraw.out" 2>&1
gc_rc=$?
check "noraw grade: the exit status of host mode with a capture ($gc_rc, $gc_cap_rc)" test "$gc_rc" -eq "$gc_cap_rc" -a "$gc_rc" -lt 2
n_line=$(grep -c "^wirecheck: cannot capture here (socket AF_PACKET: Operation not permitted: no CAP_NET_RAW): each scenario's pcap is reconstructed" "$T/gc-noraw.out")
check "noraw grade: the reconstruction is said once for the class ($n_line lines)" test "$n_line" -eq 1
check "noraw grade: no harness error in the gradebook" \
	bash -c "[ -s '$T/gc-noraw/gradebook.csv' ] && awk -F, 'NR > 1 && \$7 != 0 { bad = 1 } END { exit bad }' '$T/gc-noraw/gradebook.csv'"
for sub in good newline lower; do
	cp "$T/gc-cap/$sub/wirecheck.json" "$T/gc-$sub.cap.json" 2>/dev/null
	cp "$T/gc-noraw/$sub/wirecheck.json" "$T/gc-$sub.noraw.json" 2>/dev/null
	check "noraw grade $sub: the outcomes of host mode with a capture" same_outcomes "gc-$sub"
	check "noraw grade $sub: client scenarios graded" grep -q '^udp-echo/client-' "$T/gc-$sub.noraw.o"
	check "noraw grade $sub: every verdict says the capture was reconstructed" every_verdict_reconstructed "$T/gc-$sub.noraw.json"
done
check "noraw grade: the newline client FAILs client-no-newline reconstructed" \
	grep -q '^udp-echo/client-no-newline fail ' "$T/gc-newline.noraw.o"
check "noraw grade: the lowercasing server FAILs reconstructed" grep -q '^udp-echo/basic fail ' "$T/gc-lower.noraw.o"

# IPv6: the slides' servers bound to '::' are reached on ::1, and their
# reconstructed frames are IPv6 ones, read as cleanly.
mkdir -p "$T/v6"
for p in udp-echo/UDPServer.py/ tcp-echo/TCPServerThreaded.py/concurrent; do
	IFS=/ read -r lab prog variant <<<"$p"
	sed -e 's/(AF_INET,/(AF_INET6,/' -e "s/bind(('',/bind(('::',/" "$TOP/tests/students/$lab/$prog" >"$T/v6/$prog"
	name=v6-$lab
	run_both "$name" "$lab" --server "python3 $prog" --dir "$T/v6" ${variant:+--variant "$variant"}
	check "noraw $name: the outcomes of host mode with a capture" same_outcomes "$name"
	check "noraw $name: tshark reads every reconstructed pcap cleanly" pcaps_reconstructed_clean "$T/$name.noraw.json"
	n6=$(find "$T/cap-noraw" -path "*/$lab/*" -newer "$T/v6/$prog" -name '*.pcap' -exec tshark -r {} -Y ipv6 \; 2>/dev/null | wc -l)
	check "noraw $name: its reconstructed frames are IPv6 ($n6)" test "$n6" -gt 0
done

# the control: a server that lowercases fails with a capture, and still fails
# reconstructed, on the reply's bytes (the same summary)
check "noraw control: lower.py FAILs tcp-echo/mixed with a capture" grep -q '^tcp-echo/mixed fail ' "$T/mut-lower.cap.o"
check "noraw control: lower.py FAILs tcp-echo/mixed reconstructed" grep -q '^tcp-echo/mixed fail ' "$T/mut-lower.noraw.o"
check "noraw control: its FAIL says the reply differs at byte 0" grep -Eq '^FAIL +tcp-echo/mixed .*reply differs at byte 0' "$T/mut-lower.noraw.txt"
n_fail=$(grep -c ' fail ' "$T/mut-lower.noraw.o")
check "noraw control: lower.py fails several scenarios reconstructed ($n_fail)" test "$n_fail" -ge 3

# what only the wire shows: a server that sends its whole 1024-byte buffer for
# a short reply FAILs with a capture ("more came in the same segment"); from
# the harness's recv() that cannot be told, so it is an ERROR that says why,
# never a FAIL of that (a C mutant, built first)
mkdir -p "$T/sizeof"
if cc -O2 -o "$T/sizeof/sizeof-buf" "$TOP/tests/mutants/tcp-echo/sizeof-buf.c" 2>"$T/sizeof.cc.err"; then
	run_both mut-sizeof tcp-echo --variant session --server ./sizeof-buf --dir "$T/sizeof"
	check "noraw segmentation: sizeof-buf FAILs with a capture on bytes in the same segment" \
		grep -q 'more came in the same segment' "$T/mut-sizeof.cap.json"
	check "noraw segmentation: reconstructed, no FAIL claims the segment" \
		bash -c "! grep -q 'more came in the same segment' '$T/mut-sizeof.noraw.json'"
	check "noraw segmentation: an ERROR says only the wire shows it" \
		grep -Eq '^ERROR +tcp-echo/.*only the wire shows' "$T/mut-sizeof.noraw.txt"
else
	not_ok "noraw segmentation: sizeof-buf.c builds ($(head -1 "$T/sizeof.cc.err"))"
fi

# a user with no namespaces (Ubuntu 24.04's AppArmor refuses them to users)
# and so no CAP_NET_RAW: host mode, the capture reconstructed, the programs as
# the user. As nobody with --isolation host, in a folder nobody can write: the
# references' udp-echo and the slides' tcp-echo server get the outcomes root's
# reconstruction gives them
mkdir -p "$T/user"
chmod 777 "$T/user"
cp "$TOP/tests/students/tcp-echo/TCPServer.py" "$TOP/tests/students/udp-echo/UDPServer.py" "$T/user/"
chmod 644 "$T/user"/*.py
for p in udp-echo/UDPServer.py tcp-echo/TCPServer.py; do
	lab=${p%%/*} prog=${p#*/} name=user-${p%%/*}
	args=(run "$lab" --server "python3 $prog" --dir "$T/user" --isolation host --format json)
	"$NONS" --no-net-raw "$WIRECHECK" "${args[@]}" --captures "$T/cap-noraw" >"$T/$name.root.json" 2>/dev/null
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME="$T/user" TMPDIR="$T/user" \
		"$WIRECHECK" "${args[@]}" --captures "$T/user/cap" >"$T/$name.user.json" 2>"$T/$name.user.err" || rc=$?
	outcomes_of "$T/$name.root.json" >"$T/$name.root.o"
	outcomes_of "$T/$name.user.json" >"$T/$name.user.o"
	check "noraw as a user ($p): reconstructed, said once" \
		test "$(grep -c '^wirecheck: cannot capture here (socket AF_PACKET: Operation not permitted: no CAP_NET_RAW)' "$T/$name.user.err")" -eq 1
	check "noraw as a user ($p): the outcomes root's reconstruction gives, no ERROR" \
		bash -c "[ -s '$T/$name.user.o' ] && cmp -s '$T/$name.root.o' '$T/$name.user.o' && ! grep -q ' error ' '$T/$name.user.o'"
	cmp -s "$T/$name.root.o" "$T/$name.user.o" || diff "$T/$name.root.o" "$T/$name.user.o" | sed 's/^/#   /' | head -10
done

# a port already taken by something else is an ERROR naming what holds it,
# with a capture and without: a privileged one (53), which Docker lets every
# uid bind (ip_unprivileged_port_start 0, set so in this test's own network
# namespace), held by a process started as wirecheck is (in one container,
# the same capabilities: its descriptors can be read); one started with more
# capabilities cannot be named, and the ERROR says so
if sysctl -qw net.ipv4.ip_unprivileged_port_start=0 && command -v socat >/dev/null; then
	mkdir -p "$T/p53"
	sed 's/12000/53/' "$TOP/tests/students/udp-echo/UDPServer.py" >"$T/p53/UDPServer.py"
	for how in "nons:" "nons:--no-net-raw" "root:--no-net-raw"; do
		IFS=: read -r holder_as mode <<<"$how"
		if [ "$holder_as" = root ]; then
			socat -u UDP-RECV:53,bind=127.0.0.1 /dev/null &
		else
			"$NONS" $mode socat -u UDP-RECV:53,bind=127.0.0.1 /dev/null &
		fi
		holder=$!
		for _ in $(seq 200); do # until it has bound
			grep -q ':0035 ' /proc/net/udp && break
			sleep 0.02
		done
		"$NONS" $mode "$WIRECHECK" run udp-echo/basic --server "python3 UDPServer.py" --dir "$T/p53" \
			--captures "$T/cap-p53" >"$T/p53.$holder_as$mode.txt" 2>&1
		kill "$holder"
		wait "$holder" 2>/dev/null
		if [ "$holder_as" = root ]; then
			check "host port 53 held by a process with more capabilities ${mode:-with a capture}: an ERROR that says it cannot name it" \
				grep -Eq "^ERROR +udp-echo/basic .*udp 127\.0\.0\.1:53 is held by a socket of uid 0 \(its process could not be named" "$T/p53.$holder_as$mode.txt"
		else
			check "host port 53 held ${mode:-with a capture}: an ERROR naming the holder (pid $holder, socat)" \
				grep -Eq "^ERROR +udp-echo/basic .*udp 127\.0\.0\.1:53 is held by pid $holder \(socat\), uid 0" "$T/p53.$holder_as$mode.txt"
		fi
	done
else
	not_ok "host port 53: this test's network namespace lets every uid bind it, and socat is installed"
fi

# doctor says it too, as an item that is not a failure
"$NONS" --no-net-raw "$WIRECHECK" doctor udp-echo >"$T/doctor.out" 2>&1
check "noraw doctor: the capture item says the run record is reconstructed" \
	grep -Eq 'capture.*no capture \(no CAP_NET_RAW\).*reconstructed' "$T/doctor.out"
