#!/bin/sh
# run.sh - runs one libFuzzer target in BUILD/run/NAME/ on a copy of its seed corpus
#
# usage: tests/fuzz/run.sh BUILD NAME [libFuzzer options...]
# The committed corpus (tests/fuzz/corpus/NAME/) is copied, never written. The
# log is BUILD/run/NAME/fuzz.log; findings (crash-*, leak-*, oom-*, timeout-*)
# are written beside it. Exits non-zero when the target found something.
set -u
build=$1
name=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$build" && pwd)/$name
dir=$build/run/$name

mkdir -p "$dir/corpus" || exit 1
cp "$here/corpus/$name/"* "$dir/corpus/" || exit 1
# '@payload.txt' in a scenario is read from the working folder
printf 'a payload from a file\n' >"$dir/payload.txt" || exit 1
dict=
[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"

(cd "$dir" && exec "$bin" "$@" $dict -artifact_prefix=./ corpus) >"$dir/fuzz.log" 2>&1
rc=$?
done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$dir/fuzz.log" | tail -n 1)
if [ $rc -ne 0 ]; then
	tail -n 60 "$dir/fuzz.log"
	echo "fuzz: $name: failed (exit $rc), see $dir/fuzz.log and $dir/" \
		"$(ls "$dir" | grep -E '^(crash|leak|oom|timeout|slow-unit)-' | tr '\n' ' ')"
	exit 1
fi
echo "fuzz: $name: $(echo "$done_line" | sed -E 's/^#([0-9]+)[[:space:]]+DONE[[:space:]]+/\1 runs, /; s/[[:space:]]+/ /g')"
