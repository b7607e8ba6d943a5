#!/usr/bin/env bash
# tests/sanitizer-selftest.sh BUILD - shows that make asan's report check can
# fail: a program with a heap overflow (tests/sanitizer/overflow.c, built with
# the sanitizers) stands in for the UDP reference server, and wirecheck runs it
# with make asan's options. Its report must land in the report folder, through
# the sandbox (fixed environment, read-only filesystem), and
# tests/sanitizer-reports.sh must fail on it and pass on an empty folder.
set -u
build=${1:?usage: sanitizer-selftest.sh BUILD}
cd "$(dirname "$0")/.."
t=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$t"' EXIT
fail() { echo "sanitizer self-test: $*" >&2; exit 1; }

mkdir -p "$t/bin" "$t/reports" "$t/empty"
chmod 1777 "$t/reports"
cp -p "$build"/bin/* "$t/bin/"
${CC:-clang} ${CFLAGS:-} ${LDFLAGS:-} -o "$t/bin/udp-echo-server" tests/sanitizer/overflow.c ||
	fail "cannot build tests/sanitizer/overflow.c"
chmod 755 "$t" "$t/bin"
ASAN_OPTIONS=log_path=$t/reports/asan:detect_leaks=1 WIRECHECK_WRITABLE=$t/reports \
	"$t/bin/wirecheck" run udp-echo/basic --fixtures "$PWD/fixtures" --captures "$t/captures" > "$t/run.txt" 2>&1
grep -q '^FAIL\|^ERROR' "$t/run.txt" || fail "the run did not fail with a crashing server: $(cat "$t/run.txt")"
ls "$t"/reports/asan.* > /dev/null 2>&1 || fail "no ASan report reached $t/reports"
grep -q 'heap-buffer-overflow' "$t"/reports/asan.* || fail "the report does not name the overflow"
tests/sanitizer-reports.sh "$t/reports" > /dev/null && fail "sanitizer-reports.sh passed a folder with a report"
tests/sanitizer-reports.sh "$t/empty" > /dev/null || fail "sanitizer-reports.sh failed an empty folder"
echo "sanitizer self-test: a reference program's ASan report reaches the report folder, and fails the check"
