#!/usr/bin/env bash
# The Gradescope autograder (make gradescope, graders/gradescope/): the zip is
# built from this checkout, unpacked into a simulated /autograder layout
# (AUTOGRADER_ROOT), its setup.sh builds wirecheck there as Gradescope's image
# build would (the packages are already installed here, so it installs none),
# and run_autograder grades a submission: results.json matches Gradescope's
# schema (docs/gradescope.schema.json), has the score 'wirecheck grade' gives
# the same folder, names a failed scenario's reason in its test's output, and
# is written also for an empty submission and for an autograder that was not
# built. Then the CI template's script (graders/ci/grade-repo.sh) on the same
# submission.
set -u
OWN_NETNS=1 # run_autograder's host mode: its ports are this test's own (lib.sh)
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3 # Debian's, which sees python3-jsonschema

S=$TOP/tests/students/udp-echo
ZIP=$T/autograder.zip
"$TOP/graders/gradescope/make-zip.sh" "$ZIP" >"$T/zip.out" 2>&1
check "make-zip: writes the zip of this checkout" has "$T/zip.out" "^gradescope: .*autograder.zip \\([0-9]+ KiB; HEAD [0-9a-f]+"

AG=$T/autograder
mkdir -p "$AG/source" "$AG/submission"
(cd "$AG/source" && unzip -q "$ZIP")
check "zip: setup.sh and run_autograder at its top, executable; course.conf; wirecheck/ with its Makefile" \
	test -x "$AG/source/setup.sh" -a -x "$AG/source/run_autograder" -a -r "$AG/source/course.conf" -a -r "$AG/source/wirecheck/Makefile"

# results.json before the build: the autograder was not built
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$T/unbuilt.out" 2>&1
check "not built: results.json still written, score 0, says why" "$PY" - "$AG/results/results.json" "$TOP/docs/gradescope.schema.json" <<'PYEOF'
import json, sys, jsonschema
doc, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
assert doc["score"] == 0, doc
assert "was not built" in doc["output"], doc["output"]
PYEOF

# in a clean environment, as Gradescope's image build runs it: make's
# command-line variables (BUILD, CC, CFLAGS of make asan or make coverage)
# reach this test's environment and would build the zip's wirecheck elsewhere
env -i PATH="$PATH" HOME="$HOME" TMPDIR="$TMPDIR" LANG=C.UTF-8 bash "$AG/source/setup.sh" >"$T/setup.out" 2>&1
src=$?
check "setup.sh: builds wirecheck in the image (status $src)" test "$src" -eq 0 -a -x "$AG/source/wirecheck/build/bin/wirecheck"
[ "$src" -eq 0 ] || tail -20 "$T/setup.out" | sed 's/^/# /'

cp "$S/UDPServer.py" "$S/UDPClient.py" "$AG/submission/"
rm -rf "$AG/results"
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$T/ag.out" 2>&1
agrc=$?
# the same submission, graded by this checkout's wirecheck as a class of one
mkdir -p "$T/class/submission" && cp "$S/UDPServer.py" "$S/UDPClient.py" "$T/class/submission/"
wcrun "$T/grade.out" grade "$T/class" --lab udp-echo --out "$T/grades"
want=$(awk -F, 'NR == 2 { print $4 "/" $5 }' "$T/grades/gradebook.csv")
check "run_autograder: exit 0, results.json valid, score $want as wirecheck grade gives" "$PY" - \
	"$AG/results/results.json" "$TOP/docs/gradescope.schema.json" "$agrc" "$want" <<'PYEOF'
import json, sys, jsonschema
doc, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
assert sys.argv[3] == "0", "run_autograder exited %s" % sys.argv[3]
got = "%d/%d" % (doc["score"], doc["max_score"])
assert got == sys.argv[4] and doc["max_score"] > 0, (got, sys.argv[4])
assert sum(t["score"] for t in doc["tests"]) == doc["score"], "the tests' scores add up to the score"
PYEOF
# the slides' server crashes on bytes that are not UTF-8 (a SHOULD): the reason is its test's output
check "run_autograder: a failed scenario's test says why" "$PY" - "$AG/results/results.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
t = [t for t in doc["tests"] if t["name"].startswith("udp-echo/binary:")]
assert t and t[0]["status"] == "failed" and t[0]["score"] == 0 and t[0]["max_score"] > 0, t
assert "crashed: UnicodeDecodeError" in t[0]["output"], t[0]["output"]
PYEOF
[ "$agrc" -eq 0 ] || show "$T/ag.out"

# an empty submission: every lab point lost, each named, still a valid results.json
rm -rf "$AG/submission" "$AG/results" && mkdir -p "$AG/submission"
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$T/empty.out" 2>&1
check "empty submission: results.json valid, 0 of the lab's points, 'no server found' and 'no client found'" \
	"$PY" - "$AG/results/results.json" "$TOP/docs/gradescope.schema.json" "${want#*/}" <<'PYEOF'
import json, sys, jsonschema
doc, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator(schema).validate(doc)
assert doc["score"] == 0 and str(doc["max_score"]) == sys.argv[3], (doc["score"], doc["max_score"])
names = [t["name"] for t in doc["tests"]]
assert "udp-echo: no server found" in names and "udp-echo: no client found" in names, names
PYEOF

# the CI templates' script (graders/github/, graders/gitlab/) on the same
# submission: the text report, junit.xml and results.json, exit 0 (its
# failures are SHOULDs); a submission with a failing MUST exits 1
cp "$S/UDPServer.py" "$S/UDPClient.py" "$AG/submission/"
WIRECHECK=$WIRECHECK "$TOP/graders/ci/grade-repo.sh" --labs udp-echo --out "$T/ci" "$AG/submission" >"$T/ci.out" 2>"$T/ci.err"
circ=$?
check "grade-repo.sh: exit 0, the report on standard output, junit.xml and results.json written" \
	bash -c "[ $circ -eq 0 ] && grep -q '^score $want\$' '$T/ci.out' && xmllint --noout '$T/ci/submission/junit.xml' && test -s '$T/ci/submission/results.json'"
[ "$circ" -eq 0 ] || { show "$T/ci.out"; show "$T/ci.err"; }
mkdir -p "$T/lower" && cp "$TOP/tests/mutants/udp-echo/lower.py" "$T/lower/UDPServer.py"
WIRECHECK=$WIRECHECK "$TOP/graders/ci/grade-repo.sh" --labs udp-echo --out "$T/ci-lower" "$T/lower" >"$T/ci-lower.out" 2>&1
check "grade-repo.sh: a server that fails a MUST: exit 1" test $? -eq 1
WIRECHECK=$WIRECHECK "$TOP/graders/ci/grade-repo.sh" --labs udp-echo "$T/no-such-folder" >"$T/ci-bad.out" 2>&1
check "grade-repo.sh: a missing folder: exit 2, said" bash -c "[ $? -eq 2 ] && grep -q \"no folder\" '$T/ci-bad.out'"

# Where Gradescope runs it: Docker's default capabilities and seccomp profile
# (tests/nons.c). run_autograder grades in host mode: the server and client
# scenarios (the client through host mode's LD_PRELOAD shim) get the verdicts
# they got above, only two-host ones are left out of the maximum (said in the
# output), and results.json is still valid; then the GitLab job's command (a
# plain Docker image) the same way.
NONS=$(realpath "${NONS:-$BUILD/tests/nons}")
if [ "$(id -u)" = 0 ]; then
	rm -rf "$AG/submission" "$AG/results" && mkdir -p "$AG/submission"
	cp "$S/UDPServer.py" "$S/UDPClient.py" "$AG/submission/"
	AUTOGRADER_ROOT=$AG "$NONS" "$AG/source/run_autograder" >"$T/ag-host.out" 2>&1
	hrc=$?
	cp "$AG/results/results.json" "$T/host-results.json" 2>/dev/null
	# the namespace-mode results of the same submission, from the run above
	rm -rf "$AG/results"
	AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$T/ag-ns.out" 2>&1
	check "under Docker's limits: run_autograder exits 0, in host mode, said once" \
		bash -c "[ $hrc -eq 0 ] && [ \$(grep -c 'host mode' '$T/ag-host.out') -ge 1 ] && [ \$(grep -c '^wirecheck: cannot make namespaces here' '$T/ag-host.out') -eq 1 ]"
	check "under Docker's limits: results.json valid; each server and client scenario as in namespace mode; only two-host ones left out" \
		"$PY" - "$T/host-results.json" "$AG/results/results.json" "$TOP/docs/gradescope.schema.json" <<'PYEOF'
import json, sys, jsonschema
host, ns, schema = (json.load(open(p)) for p in sys.argv[1:4])
jsonschema.Draft202012Validator(schema).validate(host)
ht = {t["name"]: (t["status"], t["score"], t["max_score"]) for t in host["tests"]}
nt = {t["name"]: (t["status"], t["score"], t["max_score"]) for t in ns["tests"]}
assert ht and set(ht) < set(nt), (sorted(ht), sorted(nt))
for name, v in ht.items():
    assert v == nt[name], (name, v, nt[name])
left = sorted(set(nt) - set(ht))
assert all("two-hosts" in n for n in left), left
clients = [n for n in ht if "client-" in n]
assert clients, "no client test in host mode's results: %s" % sorted(ht)
assert host["max_score"] == sum(v[2] for v in ht.values()), host["max_score"]
PYEOF
	[ "$hrc" -eq 0 ] || show "$T/ag-host.out"
	WIRECHECK=$WIRECHECK "$NONS" "$TOP/graders/ci/grade-repo.sh" --labs udp-echo --out "$T/ci-host" "$AG/submission" \
		>"$T/ci-host.out" 2>"$T/ci-host.err"
	check "under Docker's limits: the GitLab job's grade-repo.sh grades in host mode, exit 0" \
		bash -c "[ $? -eq 0 ] && grep -q 'host mode' '$T/ci-host.err' && xmllint --noout '$T/ci-host/submission/junit.xml'"
else
	echo "# not run: under Docker's limits needs root (tests/nons drops root's capabilities to Docker's)"
fi
