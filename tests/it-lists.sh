#!/usr/bin/env bash
# Every option that takes a list takes a comma list and may be repeated
# (issue 17): --lab, the LAB arguments, --variant, --format; a bad item is
# named alone, with exit status 2.
set -u
source "$(dirname "$0")/lib.sh"

labs() { grep -E '^[a-z-]+ - ' "$1" | cut -d' ' -f1 | tr '\n' ' '; }

wcrun "$T/comma.out" list --lab http,dns
check "list --lab http,dns: exit 0" test "$rc" -eq 0
check "list --lab http,dns: the two labs, no other" test "$(labs "$T/comma.out")" = "http dns "
wcrun "$T/repeat.out" list --lab http --lab dns
check "list --lab http --lab dns: the same as the comma list" diff "$T/comma.out" "$T/repeat.out"
wcrun "$T/args.out" list http,dns
check "list http,dns: the same as --lab http,dns" diff "$T/comma.out" "$T/args.out"

wcrun "$T/badlab.out" list --lab http,nope
check "--lab http,nope: exit 2, the bad item named" \
	bash -c "[ $rc -eq 2 ] && grep -q \"unknown lab 'nope' in --lab 'http,nope'\" '$T/badlab.out'"
wcrun "$T/badarg.out" run udp-echo,nope
check "run udp-echo,nope: exit 2, the bad item named" \
	bash -c "[ $rc -eq 2 ] && grep -q \"unknown lab 'nope' (see\" '$T/badarg.out'"
wcrun "$T/empty.out" list --lab 'http,,dns'
check "--lab 'http,,dns': exit 2, the empty item said" \
	bash -c "[ $rc -eq 2 ] && grep -q \"no empty item, not 'http,,dns'\" '$T/empty.out'"
wcrun "$T/badvar.out" run udp-echo --variant plain,nope --server true
check "--variant plain,nope: exit 2, the bad item named" \
	bash -c "[ $rc -eq 2 ] && grep -q \"unknown variant 'nope'\" '$T/badvar.out'"
wcrun "$T/badfmt.out" run --format json --format junit,pdf
check "--format junit,pdf: exit 2, the bad item named" \
	bash -c "[ $rc -eq 2 ] && grep -q \"unknown format 'pdf' in --format 'junit,pdf'\" '$T/badfmt.out'"

# run: LAB/SCENARIO items in one argument, --format repeated
wcrun "$T/run.out" run udp-echo/basic,udp-echo/mixed-case --format json --format junit,text --out "$T/rep" \
	--captures "$T/cap"
check "run udp-echo/basic,udp-echo/mixed-case: exit 0" test "$rc" -eq 0
check "run A,B: both scenarios, and only they" \
	test "$(grep -cE '^PASS +udp-echo/(basic|mixed-case) ' "$T/run.out")/$(grep -c '^PASS ' "$T/run.out")" = "2/2"
check "--format json --format junit,text: the three files" \
	test -s "$T/rep/wirecheck.json" -a -s "$T/rep/junit.xml" -a -s "$T/rep/report.txt"

# grade: --lab a,b and --lab a --lab b give the same columns
mkdir -p "$T/subs/empty"
wcrun "$T/g1.out" grade "$T/subs" --lab udp-echo,tcp-echo --out "$T/g1"
check "grade --lab udp-echo,tcp-echo: exit 0" test "$rc" -eq 0
check "grade --lab udp-echo,tcp-echo: a column for each" \
	bash -c "head -1 '$T/g1/gradebook.csv' | grep -q '^submission,student,udp-echo,tcp-echo,total,max'"
wcrun "$T/g2.out" grade "$T/subs" --lab udp-echo --lab tcp-echo --out "$T/g2"
check "grade --lab udp-echo --lab tcp-echo: the same gradebook" diff "$T/g1/gradebook.csv" "$T/g2/gradebook.csv"

wcrun "$T/help.out" help
check "help: says lists take commas and repeat" has "$T/help.out" "comma list and may be repeated"
check "help: --lab LAB,... for run and list" has "$T/help.out" "wirecheck run \[LAB\[/SCENARIO\],\.\.\.\] \[--lab LAB,\.\.\.\]"

check "nothing left behind" no_leftovers
