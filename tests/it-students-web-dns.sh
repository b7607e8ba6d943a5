#!/usr/bin/env bash
# The good student programs of the web and DNS labs, graded as they are:
# tests/students/http/webserver.py (LABS.md 4: single-threaded, its own folder,
# GET and HEAD, 404/400/501/505, refuses paths that leave the folder) and
# tests/students/dns/server.py and client.py (LABS.md 5). Every MUST and SHOULD
# scenario of their role passes; the INFO outcomes are what the code really
# does. Their mutants (one mistake each) are in tests/mutants/http/ and dns/.
# Every capture opens in tshark with no malformed packet and no expert error.
set -u
source "$(dirname "$0")/lib.sh"

# grade LAB NAME ROLE: runs python3 NAME.py; output in $T/NAME.out
grade() {
	wcrun "$T/$2.out" run "$1" --"$3" "python3 $2.py" --dir "$TOP/tests/students/$1" \
		--name "$2" --captures "$T/cap" -j 2
}

# graded LAB ROLE: the MUST and SHOULD scenarios of that role
graded() {
	"$WIRECHECK" list "$1" | awk -v role="$2" '$2 == role && ($3 == "MUST" || $3 == "SHOULD") { print $1 }'
}

# says OUT LAB/ID MARK TEXT: the scenario's line starts with MARK and says TEXT
says() {
	local line
	line=$(scenario_line "$1" "$2")
	[[ $line == "$3 "* && $line == *"$4"* ]] || { echo "# $2: wanted $3 '$4', got: ${line:-no line}"; return 1; }
}

# student LAB NAME ROLE: grades it; exit status 0, each MUST and SHOULD passes
student() {
	local lab=$1 name=$2 role=$3 id n=0
	grade "$lab" "$name" "$role"
	check "student $name: exit status 0" test "$rc" -eq 0
	for id in $(graded "$lab" "$role"); do
		n=$((n + 1))
		check "student $name: $lab/$id passes" passes "$T/$name.out" "$lab/$id"
	done
	check "student $name: $n MUST and SHOULD scenarios of the $role" test "$n" -gt 4
	[ "$rc" -eq 0 ] || show "$T/$name.out"
}

student http webserver server
out=$T/webserver.out
check "student webserver: bound 0.0.0.0:6789, found by itself" has "$out" 'server bound tcp 0\.0\.0\.0:6789'
check "student webserver: 52 of 52 points" has "$out" '^score 52/52$'
# one request at a time: an idle connection holds the next client (INFO, not graded)
check "student webserver: two-clients INFO, one client at a time" says "$out" http/two-clients INFO \
	"the server serves one client at a time"
check "student webserver: version-505 as the reference does" says "$out" http/version-505 info ""
check "student webserver: symlink-out as the reference does" says "$out" http/symlink-out info ""

student dns server server
out=$T/server.out
check "student server: bound 0.0.0.0:10053, found by itself" has "$out" 'server bound udp 0\.0\.0\.0:10053'
for id in notimp short-silence; do
	check "student server: $id as the reference does" says "$out" dns/$id info ""
done

student dns client client
check "student client: aimed at 127.0.0.1:10053, reported" has "$T/client.out" 'client sent to 127\.0\.0\.1:10053 \(udp\)'

check "students web, dns: every capture clean in tshark" pcaps_clean "$T/cap" 30
check "students web, dns: no leftovers" no_leftovers
