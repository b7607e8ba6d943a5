#!/usr/bin/env bash
# harness/ stays laid out as its pipeline (issue 14): no include or call runs
# from a lower stage to a higher one, and no modules include or call each
# other in a loop (tests/layout-check.py). The controls show the check fails
# on a tree that breaks each rule.
set -u
source "$(dirname "$0")/lib.sh"

CHECK=$TOP/tests/layout-check.py

# layout ROOT [ARGS]: runs the check, output in $T/layout.out, status in $rc
layout() {
	rc=0
	python3 "$CHECK" "$@" >"$T/layout.out" 2>&1 || rc=$?
}

layout "$TOP" --objects "$(realpath "$BUILD")"
if [ "$rc" -eq 0 ]; then ok "$(cat "$T/layout.out")"; else
	not_ok "layout: harness/ has upward includes or calls, or loops"; show "$T/layout.out"; fi

# A copy of harness/ to break, one rule at a time.
copy() { rm -rf "$T/tree" && mkdir -p "$T/tree" && cp -R "$TOP/harness" "$T/tree/"; }

copy
sed -i '0,/^#include "/s||#include "report/report.h"\n&|' "$T/tree/harness/scenario/lab.c"
layout "$T/tree"
if [ "$rc" -eq 1 ] && has "$T/layout.out" "^harness/scenario/lab.c:[0-9]+: includes 'report/report.h' of stage 'report', above its own stage 'scenario'"; then
	ok "control: an include from scenario/ up to report/ is caught"
else not_ok "control: an include from scenario/ up to report/ is caught (status $rc)"; show "$T/layout.out"; fi

copy
sed -i '0,/^#include "/s||#include "judge/check.h"\n&|' "$T/tree/harness/judge/compare.h"
layout "$T/tree"
if [ "$rc" -eq 1 ] && has "$T/layout.out" "^include loop: .*harness/judge/check.*harness/judge/compare|^include loop: .*harness/judge/compare.*harness/judge/check"; then
	ok "control: compare.h including check.h (a loop within judge/) is caught"
else not_ok "control: a loop within judge/ is caught (status $rc)"; show "$T/layout.out"; fi

copy
mkdir "$T/tree/harness/misc" && printf '#include "judge/check.h"\n' >"$T/tree/harness/misc/x.c"
layout "$T/tree"
if [ "$rc" -eq 1 ] && has "$T/layout.out" "^harness/misc/: a folder that is not a stage"; then
	ok "control: a folder that is not a stage is caught"
else not_ok "control: a folder that is not a stage is caught (status $rc)"; show "$T/layout.out"; fi

# The call graph: objects whose functions call each other in a loop. Two
# objects made here: a.o (stage sandbox) calls b(), b.o (stage sandbox) calls a().
mkdir -p "$T/objs/harness/sandbox" "$T/tree2/harness/sandbox"
printf 'void b(void);\nvoid a(void) { b(); }\n' >"$T/tree2/harness/sandbox/a.c"
printf 'void a(void);\nvoid b(void) { a(); }\n' >"$T/tree2/harness/sandbox/b.c"
for m in a b; do cc -c -o "$T/objs/harness/sandbox/$m.o" "$T/tree2/harness/sandbox/$m.c"; done
layout "$T/tree2" --objects "$T/objs"
if [ "$rc" -eq 1 ] && has "$T/layout.out" "^call loop between objects: harness/sandbox/a -> harness/sandbox/b -> harness/sandbox/a"; then
	ok "control: two objects calling each other are caught"
else not_ok "control: two objects calling each other are caught (status $rc)"; show "$T/layout.out"; fi
