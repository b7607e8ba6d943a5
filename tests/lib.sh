# tests/lib.sh - helpers for the integration tests (sourced by tests/it-*.sh).
# Each assertion prints one TAP-like line, 'ok - NAME' or 'not ok - NAME';
# tests/run-integration counts them. No fixed sleeps: wait on events.

# A script that sets OWN_NETNS=1 before sourcing this runs in a network
# namespace of its own, loopback up, as a container does: host mode's ports
# (12000, 53, 80 ...) are then that test's alone, whatever runs beside it (a
# CI runner's other jobs, a developer's other checkout). As root only.
if [ "${OWN_NETNS:-}" = 1 ] && [ -z "${WC_IN_OWN_NETNS:-}" ] && [ "$(id -u)" = 0 ]; then
	exec unshare -n env WC_IN_OWN_NETNS=1 bash -c 'ip link set lo up && exec bash "$@"' bash "$0" "$@"
fi

: "${WIRECHECK:=build/bin/wirecheck}"
: "${BUILD:=build}"
WIRECHECK=$(realpath "$WIRECHECK")
TOP=$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")
T=$(mktemp -d "${TMPDIR:-/tmp}/wc-it.XXXXXX")
trap 'rm -rf "$T"' EXIT

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# skip WHY: a check this machine cannot make, said and never counted as a pass
skip() { echo "# SKIP (not counted) $*"; }

# check NAME CMD...: ok if CMD succeeds
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# wcrun OUTFILE ARGS...: runs wirecheck with captures under $T, output to OUTFILE;
# sets $rc to its exit status
wcrun() {
	local out=$1
	shift
	rc=0
	"$WIRECHECK" "$@" >"$out" 2>&1 || rc=$?
}

# has OUTFILE REGEX: the output has a line matching REGEX (grep -E)
has() { grep -Eq -- "$2" "$1"; }

# scenario_line OUTFILE LAB/ID: the report line of one scenario
scenario_line() { grep -E "^[A-Za-z]+ +$2 " "$1" | head -1; }

# verdict_block OUTFILE LAB/ID: the scenario's line and the indented lines under
# it (expected vs got, what the program did, the capture), as TAP comments
verdict_block() {
	awk -v id="$2" '$2 == id && /^[A-Za-z]+ / { on = 1; print; next } on && /^ / { print; next } { on = 0 }' "$1" |
		head -30 | sed 's/^/#   /'
}

# fails_with OUTFILE LAB/ID TEXT: the scenario is FAIL and its line says TEXT
fails_with() {
	local line
	line=$(scenario_line "$1" "$2")
	[[ $line == FAIL* && $line == *"$3"* ]] || {
		echo "# $2: wanted FAIL with '$3', got: ${line:-no line}"
		verdict_block "$1" "$2"
		return 1
	}
}

# marked_with OUTFILE LAB/ID MARK TEXT: the scenario's line starts with MARK
# (FAIL, WARN, INFO) and says TEXT
marked_with() {
	local line
	line=$(scenario_line "$1" "$2")
	[[ $line == "$3 "* && $line == *"$4"* ]] || { echo "# $2: wanted $3 with '$4', got: ${line:-no line}"; return 1; }
}

# wait_for SECONDS CMD...: polls CMD until it succeeds or the time is up
wait_for() {
	local until=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$until" ] || return 1
		sleep 0.05 # a poll interval, not a wait for an event: the loop checks the event
	done
}

# passes OUTFILE LAB/ID
passes() {
	local line
	line=$(scenario_line "$1" "$2")
	[[ $line == PASS* || $line == info* ]] || {
		echo "# $2: wanted PASS, got: ${line:-no line}"
		verdict_block "$1" "$2"
		return 1
	}
}

# show OUTFILE: the output, as TAP comments (for a failed assertion)
show() { sed 's/^/# /' "$1"; }

# Every wirecheck of a test keeps its private folders under $T/tmp, so what a
# run leaves behind can be told apart from other runs on the machine.
mkdir -p "$T/tmp" && chmod 1777 "$T" "$T/tmp"
export TMPDIR=$T/tmp

# no_leftovers: no private folder remains, and no process works in one
no_leftovers() {
	local procs dirs
	procs=$(for p in /proc/[0-9]*; do
		case $(readlink "$p/cwd" 2>/dev/null) in "$T"/tmp/*) echo "${p#/proc/}" ;; esac
	done)
	dirs=$(ls -d "$T"/tmp/wirecheck-* 2>/dev/null || true)
	[ -z "$procs" ] && [ -z "$dirs" ] || { echo "# left behind: procs='$procs' dirs='$dirs'"; return 1; }
}

# nons_as_root NAME: sets $NONS to tests/nons (or $NONS), and is true if it is
# built and this runs as root (nons drops root's capabilities to Docker's; as a
# user there is nothing to drop); else a 'not ok' line saying which
nons_as_root() {
	NONS=$(realpath "${NONS:-$BUILD/tests/nons}")
	if [ ! -x "$NONS" ]; then
		not_ok "$1: $NONS is built (make all builds it)"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		not_ok "$1: run as root (Docker's default container is root without most capabilities)"
		return 1
	fi
}

# pcaps_clean [DIR [MIN]]: every capture under DIR (default $T/cap), at least MIN
# of them (default 1), opens in tshark with no malformed packet and no expert
# error. The echo labs carry plain bytes: every UDP and TCP port is decoded as
# data (port 12000 would otherwise be dissected as SNA Enterprise Extender).
# HTTP captures are decoded as HTTP; DNS ones as data, since some scenarios
# send malformed DNS on purpose (tests/tshark-fields.py judges the DNS layer).
pcaps_clean() {
	local dir=${1:-$T/cap} min=${2:-1} f out bad=0 n=0 tcp
	while IFS= read -r f; do
		n=$((n + 1))
		case $f in */http/*) tcp=http ;; *) tcp=data ;; esac
		out=$(tshark -r "$f" -d udp.port==1-65535,data -d tcp.port==1-65535,$tcp \
			-Y '_ws.malformed || _ws.expert.severity >= error' 2>&1 | grep -v '^Running as user')
		if [ ! -s "$f" ] || [ -n "$out" ]; then
			echo "# $f: ${out:-missing or empty}"
			bad=1
		fi
	done < <(find "$dir" -name '*.pcap')
	echo "# $n captures read"
	[ "$n" -ge "$min" ] && [ $bad -eq 0 ]
}

# tcp_payloads CAP PORT "DIR:TEXT"...: the capture's TCP payloads, in order; DIR is
# > for bytes to the server (port PORT), < for bytes from it; the segments of
# a run in one direction are joined
tcp_payloads() {
	local f=$1 port=$2 got want="" p
	shift 2
	for p in "$@"; do want+="${p%%:*}$(printf %b "${p#*:}" | od -An -tx1 | tr -d ' \n') "; done
	got=$(tshark -r "$f" -d tcp.port==1-65535,data -Y data -T fields -e tcp.srcport -e data.data 2>/dev/null |
		awk -v port="$port" '
			{ d = $1 == port ? "<" : ">"; if (d != last) printf "%s%s", (NR > 1 ? " " : ""), d; printf "%s", $2; last = d }
			END { if (NR) printf " " }')
	[ "$got" = "$want" ] || { echo "# $f: payloads '$got', wanted '$want'"; return 1; }
}

# For the witness tests (a third-party program graded by the harness; $NAME names it):
# outcomes OUT LAB ROLE VARIANT "ID=MARK[:TEXT]"...: every scenario of the role
# and variant is listed and has that outcome: PASS (or info: as the reference
# does), FAIL saying TEXT, or INFO (not graded, unlike the reference) saying TEXT
outcomes() {
	local out=$1 lab=$2 role=$3 variant=$4 id want line
	shift 4
	declare -A exp=()
	for want in "$@"; do exp[${want%%=*}]=${want#*=}; done
	for id in $("$WIRECHECK" list "$lab" | awk -v role="$role" -v var="$variant" '
		$2 == role && (!/\[[a-z,-]+\]$/ || $NF ~ "[[,]" var "[],]") { print $1 }'); do
		want=${exp[$id]:-PASS}
		unset "exp[$id]"
		case $want in
		PASS) check "witness $NAME ($variant): $lab/$id passes" passes "$out" "$lab/$id" ;;
		FAIL:*) check "witness $NAME ($variant): $lab/$id FAIL, '${want#FAIL:}'" fails_with "$out" "$lab/$id" "${want#FAIL:}" ;;
		WARN:*) check "witness $NAME ($variant): $lab/$id WARN, '${want#WARN:}'" marked_with "$out" "$lab/$id" WARN "${want#WARN:}" ;;
		INFO:*) check "witness $NAME ($variant): $lab/$id INFO, '${want#INFO:}'" infos_with "$out" "$lab/$id" "${want#INFO:}" ;;
		*) not_ok "witness $NAME ($variant): $lab/$id: unknown mark '$want'" ;;
		esac
	done
	for id in "${!exp[@]}"; do not_ok "witness $NAME ($variant): $lab/$id is a $role scenario of $lab ($variant)"; done
}

# infos_with OUTFILE LAB/ID TEXT: an INFO scenario that went otherwise than the
# reference (upper-case INFO), its line saying TEXT
infos_with() {
	local line
	line=$(scenario_line "$1" "$2")
	[[ $line == INFO* && $line == *"$3"* ]] || { echo "# $2: wanted INFO with '$3', got: ${line:-no line}"; return 1; }
}

# verdicts OUT: the scenario lines of a report, without the capture paths and timings
verdicts() { grep -E '^(PASS|FAIL|WARN|ERROR|INFO|info) ' "$1" | sed -E 's/ +\/[^ ]+\.pcap.*//'; }

# same_as FIRST FILE...: every FILE holds what FIRST holds (verdict lists of
# several runs); the differences are shown as TAP comments
same_as() {
	local first=$1 f bad=0
	shift
	for f in "$@"; do
		cmp -s "$first" "$f" || { echo "# $f differs from $first:"; diff "$first" "$f" | sed 's/^/#   /'; bad=1; }
	done
	return $bad
}

# same_scores ONE TWO REPORTS NAME...: in the gradebooks ONE and TWO (of a
# 'grade --lab LAB' of one lab), each submission NAME has the same scores: the
# lab's points, total, max, failed, errors; both are shown, and where they
# differ the FAIL and ERROR lines of REPORTS/NAME/report.txt
same_scores() {
	local one=$1 two=$2 reports=$3 s a b bad=0
	shift 3
	for s in "$@"; do
		a=$(grep "^$s," "$one" | cut -d, -f3-7)
		b=$(grep "^$s," "$two" | cut -d, -f3-7)
		echo "# $s: '$a' in $one, '$b' in $two"
		[ -n "$a" ] && [ "$a" = "$b" ] || {
			bad=1
			grep -E -A4 '^(FAIL|ERROR) ' "$reports/$s/report.txt" | sed 's/^/#   /'
		}
	done
	return $bad
}

# ns_of_procs: the namespaces (network, PID, IPC, user) the machine's processes are in, a line each
ns_of_procs() { for p in /proc/[0-9]*; do readlink "$p/ns/net" "$p/ns/pid" "$p/ns/ipc" "$p/ns/user" 2>/dev/null; done | sort -u; }

# ns_held BEFORE: the namespaces not in BEFORE (an ns_of_procs) that a process
# of this test's runs ($T in its folder or command line) holds, as PID:NS words;
# nothing when none is. Scoped to the test, not counted machine-wide: other
# suites may run beside it (a CI runner's jobs, a developer's other checkout)
# and make and end namespaces meanwhile.
ns_held() {
	local new p n ours=""
	new=$(comm -13 <(echo "$1") <(ns_of_procs))
	for p in /proc/[0-9]*; do
		for n in $(readlink "$p/ns/net" "$p/ns/pid" "$p/ns/ipc" "$p/ns/user" 2>/dev/null); do
			grep -qxF "$n" <<<"$new" || continue
			case "$(readlink "$p/cwd" 2>/dev/null) $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
			*"$T"*) ours+=" ${p#/proc/}:$n" ;;
			esac
		done
	done
	echo $ours
}

# Subordinate ids for a test (README "Without root"). subids_give USER gives
# USER, a user of Debian's base-passwd that nobody grades as ('games',
# 'uucp'), ranges of 65536 uids and gids past every range of /etc/subuid and
# /etc/subgid, with usermod, which touches only those lists; sets su_user,
# su_uid, su_group, su_base, su_last. Not a user of the test's own: useradd
# and userdel replace /etc/passwd, and the sandboxes of runs beside this one
# (another checkout's tests, of a wirecheck older than the program's own
# /etc) would see the host's accounts through the file they bind over it.
# Returns 1 when it cannot (said as a 'not ok'), or when USER has ranges of
# its own (said as a skip). subids_take takes back what was given, and the lists if the
# test made them and nothing else is in them now: call it in an EXIT trap too.
subids_give() {
	local f
	su_user=$1 su_made=() su_added=""
	for f in /etc/subuid /etc/subgid /etc/subuid- /etc/subgid-; do [ -e "$f" ] || su_made+=("$f"); done
	su_base=$(cat /etc/subuid /etc/subgid 2>/dev/null |
		awk -F: 'NF == 3 && $2 + $3 > m { m = $2 + $3 } END { printf "%d\n", (m > 300000000 ? m : 300000000) }')
	su_last=$((su_base + 65535))
	touch /etc/subuid /etc/subgid # usermod adds to lists that exist
	if ! su_uid=$(id -u "$su_user" 2>/dev/null) || ! su_group=$(id -gn "$su_user" 2>/dev/null); then
		not_ok "subordinate ids: this machine has no user '$su_user' (Debian's base-passwd makes it)"
		return 1
	elif grep -Eqs "^($su_user|$su_uid):" /etc/subuid /etc/subgid; then
		skip "subordinate ids: '$su_user' has ranges of its own here: $(grep -Eh "^($su_user|$su_uid):" /etc/subuid /etc/subgid | tr '\n' ' ')"
		return 1
	elif ! usermod --add-subuids "$su_base-$su_last" --add-subgids "$su_base-$su_last" "$su_user"; then
		not_ok "subordinate ids: cannot give $su_user the ranges $su_base-$su_last (usermod)"
		return 1
	fi
	su_added=$su_base-$su_last
}
subids_take() {
	local f
	if [ -n "${su_added:-}" ]; then
		# usermod refuses while a process of the user lives (a run of the
		# test's that an interrupt left running): then the lines the test
		# added, exactly those, go by hand
		usermod --del-subuids "$su_added" --del-subgids "$su_added" "$su_user" 2>/dev/null ||
			sed -i "/^$su_user:$su_base:65536\$/d" /etc/subuid /etc/subgid ||
			echo "# cannot take the ranges $su_added back from $su_user"
		su_added=""
	fi
	# the files this test made: backups, and the lists if nothing else is in them now
	for f in "${su_made[@]}"; do
		case $f in *-) rm -f "$f" ;; *) [ -s "$f" ] || rm -f "$f" ;; esac
	done
	su_made=()
}
# su_run OUT VAR=VALUE... -- ARGS...: wirecheck ARGS as su_user, in that
# environment (HOME $T/su-home), its output in OUT; sets $rc
su_run() {
	local out=$1 envs=()
	shift
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	mkdir -p -m 777 "$T/su-home"
	rc=0
	setpriv --reuid="$su_user" --regid="$su_group" --clear-groups env -i PATH=/usr/bin:/bin \
		HOME="$T/su-home" TMPDIR="$T/tmp" "${envs[@]}" "$WIRECHECK" "$@" >"$out" 2>&1 || rc=$?
}
# su_uids DIR: the uids of the programs that noted theirs in DIR
# (tests/hostile/udp-echo/reads_grader.py: files uid-UID-PID), one line each;
# a line owner-mismatch:FILE where the file's owner on the host is not the uid it names
su_uids() {
	local f u
	for f in "$1"/uid-*; do
		[ -e "$f" ] || continue
		u=${f##*/uid-}
		u=${u%%-*}
		[ "$(stat -c %u "$f")" = "$u" ] || echo "owner-mismatch:$f"
		echo "$u"
	done
}
# What a run says, rootless, of the memory it cannot hold together (a grep pattern)
nocg_rootless='no cgroup for the programs (not root: rootless mode): memory is limited per process only (1 GiB of data each: several processes, or a shared mapping, may take more together)$'
# uids_own UIDS LO HI NOT MIN: UIDS (a line each) holds at least MIN lines, none
# repeated, each a number from LO to HI other than NOT
uids_own() {
	[ "$(echo "$1" | grep -c .)" -ge "$5" ] && [ -z "$(echo "$1" | sort | uniq -d)" ] &&
		echo "$1" | awk -v lo="$2" -v hi="$3" -v not="$4" \
			'!/^[0-9]+$/ || $1 < lo || $1 > hi || $1 == not { bad = 1 } END { exit bad }'
}
