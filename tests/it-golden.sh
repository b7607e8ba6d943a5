#!/usr/bin/env bash
# The golden class (issue 15's acceptance test): realistic student servers of
# the web and DNS labs, each with a few of the faults real submissions have
# (tests/students/golden/http/, dns/; a .c file is built here with cc), graded
# as they are. tests/students/golden/expected holds, per program, what the
# report must say, worked out by hand from the program's faults and the
# scenarios' subjects: the scenarios that are not PASS or info with their
# marks, the IDs of the faults section, the score. Each is compared exactly;
# the exit status follows (1 when a MUST failed). And the two properties of
# "one fault, one deduction" (LABS.md, Levels), read from the report itself:
# (1) each shared fault is named on one line of the faults section, graded in
#     the scenario whose subject names it;
# (2) a scenario that FAILs or WARNs reports a fault of its own subject (or a
#     reply that cannot be read at all, or a fault without an ID).
set -u
source "$(dirname "$0")/lib.sh"

G=$TOP/tests/students/golden
started=$(date +%s)

# SUBJ[lab/id]: the subject line of each scenario of the web and DNS labs
declare -A SUBJ=()
for f in "$TOP"/fixtures/http/*.scn "$TOP"/fixtures/dns/*.scn; do
	lab=$(basename "$(dirname "$f")")
	SUBJ[$lab/$(basename "$f" .scn)]=$(sed -n -E 's/^subject[[:space:]]+//p' "$f")
done

# owner LAB ID: the scenario of LAB whose subject names the fault ID, "lab/scenario"
owner() {
	local k found=""
	for k in "${!SUBJ[@]}"; do
		[[ $k == "$1/"* && " ${SUBJ[$k]} " == *" $2 "* ]] && found+="$k "
	done
	echo "${found% }"
}

# words: one word a line, sorted ("-" is none)
words() { tr ' ' '\n' | grep -v -e '^$' -e '^-$' | sort; }

# same_words NAME WANT GOT: the two word lists agree; otherwise the difference as TAP comments
same_words() {
	local what=$1 want got
	want=$(words <<<"$2")
	got=$(words <<<"$3")
	[ "$want" = "$got" ] && return 0
	echo "# $prog: $what differ (- expected by hand, + said by wirecheck):"
	comm -23 <(echo "$want") <(echo "$got") | grep -v '^$' | sed 's/^/#   - /'
	comm -13 <(echo "$want") <(echo "$got") | grep -v '^$' | sed 's/^/#   + /'
	return 1
}

# marks OUT: each scenario that is not PASS or info, MARK:scenario
marks() { awk '/^(FAIL|WARN|INFO|ERROR) / { s = $2; sub(/^[a-z-]+\//, "", s); print $1 ":" s }' "$1"; }

# fault_ids OUT: the IDs of the faults section, one a line, as listed (repeats kept)
fault_ids() { sed -n '/^faults (each costs/,/^$/p' "$1" | awk '/^  [a-z]+\/[a-z-]+ / { print $1 }'; }

# the marks that differ, with each scenario's line as wirecheck wrote it
show_lines() {
	local out=$1 m
	for m in $(comm -3 <(marks "$out" | sort) <(words <<<"$want_marks") | tr -d '\t'); do
		echo "#   $(scenario_line "$out" "$lab/${m#*:}")"
	done
}

# fault_once OUT LAB: (1) each shared ID on one line of the faults section, graded in its owner
fault_once() {
	local out=$1 lab=$2 bad=0 id own said
	dups=$(fault_ids "$out" | sort | uniq -d)
	[ -z "$dups" ] || { echo "# $prog: named on more than one line of the faults section: $dups"; bad=1; }
	for id in $(fault_ids "$out" | sort -u); do
		own=$(owner "$lab" "$id")
		said=$(sed -n '/^faults (each costs/,/^$/p' "$out" | awk -v id="$id" '
			$1 == id { on = 1; next } on && /graded in/ { sub(/.*graded in /, ""); sub(/ \(.*|;.*/, ""); print; exit }')
		if [ "$said" != "$own" ]; then
			echo "# $prog: $id: the faults section says 'graded in ${said:-?}'; its subject's scenario is ${own:-none}"
			sed -n '/^faults (each costs/,/^$/p' "$out" | awk -v id="$id" '$1 == id { on = 1; print; next } on && /^  {20}/ { print; next } { on = 0 }' |
				cut -c1-230 | sed 's/^/#   /'
			bad=1
		fi
	done
	return $bad
}

# own_subject OUT LAB: (2) every FAIL or WARN names a fault of its own subject (or none, or malformed)
own_subject() {
	local out=$1 lab=$2 bad=0 sc id
	while read -r sc id; do
		[ -n "$id" ] || continue
		case $id in */malformed) continue ;; esac
		if [[ " ${SUBJ[$sc]:-} " != *" $id "* ]]; then
			echo "# $prog: $sc fails on $id, not in its subject '${SUBJ[$sc]:-}'"
			bad=1
		fi
	done < <(awk '/^(FAIL|WARN) / { sc = $2; fault = ""; on = 1; print sc; next }
		on && /^      fault: / { print sc, $2; next } /^[A-Za-z]/ { on = 0 }' "$out")
	return $bad
}

n=0
while IFS='|' read -r prog lab want_faults want_marks want_score; do
	prog=$(echo $prog) lab=$(echo $lab) want_faults=$(echo $want_faults)
	want_marks=$(echo $want_marks) want_score=$(echo $want_score)
	name=$(basename "${prog%.*}")
	out="$T/$lab-$name.out"
	cmd="python3 $name.py" dir="$G/$lab"
	if [[ $prog == *.c ]]; then
		dir="$T/bin/$lab-$name"
		cmd="./$name"
		mkdir -p "$dir"
		if ! cc -O2 -o "$dir/$name" "$G/$prog"; then
			not_ok "golden $prog: builds with cc"
			continue
		fi
	fi
	n=$((n + 1))
	wcrun "$out" run "$lab" --server "$cmd" --dir "$dir" --name "$name" --captures "$T/cap" -j 2
	# GOLDEN_OUT=DIR keeps each report (DIR/LAB-NAME.out), to read or to compare runs
	[ -z "${GOLDEN_OUT:-}" ] || { mkdir -p "$GOLDEN_OUT" && cp "$out" "$GOLDEN_OUT/"; }

	if same_words "the non-passing scenarios" "$want_marks" "$(marks "$out" | tr '\n' ' ')"; then
		ok "golden $prog: non-passing scenarios and marks"
	else
		show_lines "$out"
		not_ok "golden $prog: non-passing scenarios and marks"
	fi
	check "golden $prog: faults section names $want_faults" \
		same_words "the faults section's IDs" "$want_faults" "$(fault_ids "$out" | sort -u | tr '\n' ' ')"
	got_score=$(awk '/^score / { print $2 }' "$out")
	if [ "$got_score" = "$want_score" ]; then
		ok "golden $prog: score $want_score"
	else
		echo "# $prog: score $got_score, expected $want_score"
		not_ok "golden $prog: score $want_score"
	fi
	want_rc=0
	[[ " $want_marks " == *" FAIL:"* ]] && want_rc=1
	check "golden $prog: exit status $want_rc" test "$rc" -eq "$want_rc"
	check "golden $prog: each shared fault named once, graded in its subject's scenario" fault_once "$out" "$lab"
	check "golden $prog: each FAIL or WARN reports a fault of its own subject" own_subject "$out" "$lab"
done < <(grep -v -e '^#' -e '^[[:space:]]*$' "$G/expected")

check "golden: $n programs graded (at least 15)" test "$n" -ge 15
echo "# golden: $n programs graded in $(($(date +%s) - started)) s"
check "golden: nothing left behind" no_leftovers
