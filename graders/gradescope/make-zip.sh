#!/usr/bin/env bash
# make-zip.sh OUT.zip [COURSE_CONF]: Gradescope's autograder zip (make gradescope).
# Holds setup.sh, run_autograder, the course's course.conf (and the rubric it
# names, from beside it) at the top, and wirecheck/: this checkout's files as
# they are (git's tracked and untracked files, not the ignored ones: no build
# output, captures or reports).
set -euo pipefail
out=${1:?usage: make-zip.sh OUT.zip [COURSE_CONF]}
here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
conf=${2:-$here/course.conf}
[ -r "$conf" ] || { echo "make-zip.sh: cannot read the course file '$conf'" >&2; exit 2; }
git -C "$top" rev-parse --verify -q HEAD >/dev/null ||
	{ echo "make-zip.sh: $top is not a git checkout: git names the files the zip takes" >&2; exit 2; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/wirecheck"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -x -C "$stage/wirecheck"
cp "$here/setup.sh" "$here/run_autograder" "$stage/"
cp "$conf" "$stage/course.conf"
rubric=$(. "$conf"; echo "${RUBRIC:-}")
if [ -n "$rubric" ]; then
	[ -r "$(dirname "$conf")/$rubric" ] || { echo "make-zip.sh: $conf names RUBRIC=$rubric, not found beside it" >&2; exit 2; }
	cp "$(dirname "$conf")/$rubric" "$stage/$rubric"
fi
chmod 755 "$stage/setup.sh" "$stage/run_autograder"
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd -P)/$(basename "$out")
rm -f "$out"
(cd "$stage" && zip -q -r -X "$out" setup.sh run_autograder course.conf ${rubric:+"$rubric"} wirecheck)
changed=$(git -C "$top" status --porcelain | grep -c . || true)
echo "gradescope: $out ($(du -k "$out" | cut -f1) KiB; HEAD $(git -C "$top" rev-parse --short HEAD)$([ "$changed" -gt 0 ] && echo ", and $changed changed or new file(s)"))"
