#!/usr/bin/env bash
# Every mutant (tests/mutants/LAB/NAME.py, one student mistake each) must be
# caught: wirecheck exits 1 and each scenario named in a '# catches:' line of
# its header FAILs with the text given there.
set -u
source "$(dirname "$0")/lib.sh"

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
	if [ "$rc" -eq 1 ]; then
		ok "mutant $name: exit status 1"
	else
		not_ok "mutant $name: exit status 1 (got $rc)"
		dead=0
	fi
	while IFS= read -r c; do
		id=${c%%: *}
		text=${c#*: }
		if fails_with "$out" "$id" "$text"; then
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
