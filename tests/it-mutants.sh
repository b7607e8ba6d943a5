#!/usr/bin/env bash
# Every mutant (tests/mutants/LAB/NAME.py, or NAME.c built here with cc, one
# student mistake each) must be caught: each scenario named in a 'catches:'
# line of its header ('# ' in Python, '// ' in C) FAILs (a MUST), WARNs (a
# SHOULD) or is marked INFO (an INFO probe) with the text given there, and
# wirecheck exits 1 when one of them is a MUST, 0 when none is (LABS.md, Levels).
set -u
source "$(dirname "$0")/lib.sh"

# level LAB/ID: MUST, SHOULD or INFO, as 'wirecheck list' says
"$WIRECHECK" list >"$T/list.out"
level() {
	awk -v lab="${1%%/*}" -v id="${1#*/}" '/^[a-z]/ { l = $1 } l == lab && $1 == id { print $3; exit }' "$T/list.out"
}

total=0
killed=0
# header FILE KEY: the values of the header lines 'KEY: ...', one a line
header() { sed -n -E "s%^(#|//) $2: *%%p" "$1"; }

shopt -s nullglob
files=("$TOP"/tests/mutants/*/*.py "$TOP"/tests/mutants/*/*.c)
shopt -u nullglob
for f in "${files[@]}"; do
	lab=$(basename "$(dirname "$f")")
	name=$(basename "${f%.*}")
	role=$(header "$f" role)
	variant=$(header "$f" variant)
	out="$T/$lab-$name.out"
	total=$((total + 1))
	dead=1
	cmd="python3 $name.py" dir=$(dirname "$f")
	if [[ $f == *.c ]]; then
		dir="$T/bin/$lab-$name"
		mkdir -p "$dir"
		cmd="./$name"
		if ! cc -O2 -o "$dir/$name" "$f"; then
			not_ok "mutant $name: builds with cc"
			continue
		fi
	fi
	wcrun "$out" run "$lab" --"$role" "$cmd" --dir "$dir" \
		--variant "$variant" --captures "$T/cap" -j 2
	want=0
	while IFS= read -r c; do
		[ "$(level "${c%%: *}")" = MUST ] && want=1
	done < <(header "$f" catches)
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
		[ "$(level "$id")" = INFO ] && mark=INFO # reported, not graded: the probe of a hex server
		if marked_with "$out" "$id" "$mark" "$text"; then
			ok "mutant $name: $id"
		else
			not_ok "mutant $name: $id"
			dead=0
		fi
	done < <(header "$f" catches)
	if [ "$dead" -eq 1 ]; then killed=$((killed + 1)); else show "$out"; fi
done
check "mutants: no leftovers" no_leftovers
echo "# mutants: $killed of $total killed ($((total ? 100 * killed / total : 0))%)"
