#!/usr/bin/env bash
# grade-repo.sh [--labs LIST] [--out DIR] [-- GRADE_OPTIONS...] SUBMISSION_DIR
# (WIRECHECK=path picks another wirecheck binary than build/bin/wirecheck)
# One submission graded in CI (graders/github/, graders/gitlab/): the
# wirecheck of this checkout (built first if it is not), the submission as a
# class of one, the text report on standard output, DIR/submission/ with
# report.txt, junit.xml (for GitLab's and GitHub's test reports) and
# results.json, and DIR/gradebook.csv. Exit status: 0 every graded scenario
# passed (a WARN passes), 1 one failed, 2 bad usage, 3 the grader could not
# grade (its own environment: said in words).
set -u
labs=udp-echo out=grades
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--labs) labs=${2:?--labs needs a list}; shift 2 ;;
	--out) out=${2:?--out needs a folder}; shift 2 ;;
	--) shift; while [ $# -gt 1 ]; do extra+=("$1"); shift; done ;;
	-h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "grade-repo.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: grade-repo.sh [--labs LIST] [--out DIR] [-- GRADE_OPTIONS...] SUBMISSION_DIR" >&2; exit 2; }
sub=$(cd "$1" 2>/dev/null && pwd -P) || { echo "grade-repo.sh: no folder '$1'" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd -P)
wirecheck=${WIRECHECK:-$top/build/bin/wirecheck}
if [ ! -x "$wirecheck" ]; then
	make -C "$top" all >&2 || { echo "grade-repo.sh: the build of wirecheck failed (its messages are above)" >&2; exit 3; }
fi
class=$(mktemp -d)
trap 'rm -rf "$class"' EXIT
ln -s "$sub" "$class/submission"
rm -rf "$out"
"$wirecheck" grade "$class" --lab "$labs" --format junit,gradescope --out "$out" "${extra[@]}" >&2
status=$?
[ -s "$out/submission/report.txt" ] || { echo "grade-repo.sh: wirecheck grade ended with status $status and wrote no report" >&2; exit 3; }
cat "$out/submission/report.txt"
# the gradebook's row: submission,student,LAB...,total,max,failed,errors,...
read -r failed errors < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i } NR == 2 { print $col["failed"], $col["errors"] }' "$out/gradebook.csv")
[ "${errors:-1}" -eq 0 ] || { echo "grade-repo.sh: $errors scenario(s) could not be run by the grader (see ERROR above)" >&2; exit 3; }
[ "${failed:-1}" -eq 0 ] || exit 1
exit 0
