#!/usr/bin/env bash
# Every mutant (tests/mutants/LAB/NAME.py, one student mistake each) must be
# caught: each scenario named in a '# catches:' line of its header FAILs (a
# MUST) or WARNs (a SHOULD) with the text given there, and wirecheck exits 1
# when one of them is a MUST, 0 when all are SHOULD (LABS.md, Levels).
set -u
source "$(dirname "$0")/lib.sh"

# level LAB/ID: MUST, SHOULD or INFO, as 'wirecheck list' says
"$WIRECHECK" list >"$T/list.out"
level() {
	awk -v lab="${1%%/*}" -v id="${1#*/}" '/^[a-z]/ { l = $1 } l == lab && $1 == id { print $3; exit }' "$T/list.out"
}

total=0
killed=0
for f in "$TOP"/tests/mutants/*/*.py; do
	lab=$(basename "$(dirname "$f")")
	name=$(basename "$f" .py)
	role=$(sed -n 's/^# role: *//p' "$f")
	variant=$(sed -n 's/^# variant: *//p' "$f")
	out="$T/$lab-$name.out"
	total=$((total + 1))
	dead=1
	wcrun "$out" run "$lab" --"$role" "python3 $name.py" --dir "$(dirname "$f")" \
		--variant "$variant" --captures "$T/cap" -j 2
	want=0
	while IFS= read -r c; do
		[ "$(level "${c%%: *}")" = MUST ] && want=1
	done < <(sed -n 's/^# catches: *//p' "$f")
	if [ "$rc" -eq "$want" ]; then
		ok "mutant $name: exit status $want"
	else
		not_ok "mutant $name: exit status $want (got $rc)"
		dead=0
	fi
	while IFS= read -r c; do
		id=${c%%: *}
		text=${c#*: }
		mark=FAIL
		[ "$(level "$id")" = SHOULD ] && mark=WARN
		if marked_with "$out" "$id" "$mark" "$text"; then
			ok "mutant $name: $id"
		else
			not_ok "mutant $name: $id"
			dead=0
		fi
	done < <(sed -n 's/^# catches: *//p' "$f")
	if [ "$dead" -eq 1 ]; then killed=$((killed + 1)); else show "$out"; fi
done
check "mutants: no leftovers" no_leftovers
echo "# mutants: $killed of $total killed ($((total ? 100 * killed / total : 0))%)"
