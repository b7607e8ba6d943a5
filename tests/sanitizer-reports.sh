#!/usr/bin/env bash
# tests/sanitizer-reports.sh DIR - make asan's last step: the sanitizers of
# every process of the run wrote their reports to files in DIR (log_path); any
# such file fails, and its first lines are shown.
set -u
dir=${1:?usage: sanitizer-reports.sh DIR}
[ -d "$dir" ] || { echo "sanitizers: no folder $dir" >&2; exit 2; }
shopt -s nullglob
files=("$dir"/*)
if [ ${#files[@]} -eq 0 ]; then
	echo "sanitizers: no report (ASan, LeakSanitizer, UBSan)"
	exit 0
fi
for f in "${files[@]}"; do
	echo "== $f"
	head -n 40 "$f"
done
echo "sanitizers: ${#files[@]} report(s) in $dir"
exit 1
