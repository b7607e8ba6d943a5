#!/usr/bin/env bash
# Report formats from one run (--format LIST --out DIR): every file is read by a
# real consumer of its format: JUnit XML by xmllint against docs/junit.xsd and by
# junitparser, TAP by Perl's TAP::Parser, JSON and Gradescope's results.json by
# jsonschema against the schemas in docs/, Autolab's last line as JSON, and the
# HTML page in headless Chromium with no network (a screenshot that is not blank,
# no request attempted). Debian packages: libxml2-utils python3-junitparser
# python3-jsonschema python3-pil chromium (perl's TAP::Parser is in perl).
set -u
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's, which sees the python3-* packages
FORMATS=junit,tap,json,gradescope,autolab,html,text

# reports NAME: checks every file of $T/NAME/out against the JSON report there
reports() {
	local name=$1 out=$T/$1/out f
	for f in junit.xml report.tap wirecheck.json results.json autolab.txt report.html report.txt; do
		check "$name: --out wrote $f" test -s "$out/$f"
	done
	check "$name: text also on stdout" bash -c "grep -v '^wirecheck: ' '$out/report.txt' | grep -vxF -f '$T/$name/stdout' | (! grep -q .)"
	check "$name: json matches docs/report-json.schema.json" "$PY" - "$out/wirecheck.json" "$TOP/docs/report-json.schema.json" <<'PYEOF'
import json, sys, jsonschema
doc, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(doc)
t = doc["tally"]
assert t["points"] == sum(s["score"] for s in doc["scenarios"]), "points are the sum of the scores"
assert t["passed"] == sum(s["graded"] and s["outcome"] == "pass" for s in doc["scenarios"])
PYEOF
	check "$name: results.json matches docs/gradescope.schema.json, same score" "$PY" - "$out/results.json" "$TOP/docs/gradescope.schema.json" "$out/wirecheck.json" <<'PYEOF'
import json, sys, jsonschema
doc, schema, run = (json.load(open(p)) for p in sys.argv[1:4])
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(doc)
assert doc["score"] == run["tally"]["points"] and doc["max_score"] == run["tally"]["max_points"]
assert doc["score"] == sum(t["score"] for t in doc["tests"])
assert all(t["max_score"] == 0 for t, s in zip(doc["tests"], run["scenarios"]) if not s["graded"])
PYEOF
	check "$name: junit.xml valid against docs/junit.xsd" bash -c \
		"set -o pipefail; xmllint --noout --schema '$TOP/docs/junit.xsd' '$out/junit.xml' 2>&1 | sed 's/^/# /'"
	check "$name: junitparser reads the counts of the run" "$PY" - "$out/junit.xml" "$out/wirecheck.json" <<'PYEOF'
import json, sys, junitparser
xml, run = junitparser.JUnitXml.fromfile(sys.argv[1]), json.load(open(sys.argv[2]))
cases = [c for s in xml for c in s]
assert len(cases) == len(run["scenarios"])
kinds = {"failure": 0, "error": 0, "skipped": 0}
for c in cases:
    for r in c.result:
        kinds[r._tag] += 1
g = [s for s in run["scenarios"] if s["graded"]]
assert kinds["failure"] == sum(s["outcome"] in ("fail", "warn") for s in g), kinds  # a WARN is a failure element
assert kinds["error"] == sum(s["outcome"] == "error" for s in g), kinds
assert kinds["skipped"] == run["tally"]["info_failed"], kinds
assert sum(s.failures for s in xml) == kinds["failure"] and sum(s.skipped for s in xml) == kinds["skipped"]
PYEOF
	check "$name: TAP::Parser reads the plan, no parse error, the failures" perl -MTAP::Parser -e '
		my ($file, $want) = @ARGV;
		my $p = TAP::Parser->new({source => $file});
		while (my $r = $p->next) { die "unknown line: " . $r->as_string . "\n" if $r->is_unknown }
		die "parse errors: @{[$p->parse_errors]}\n" if $p->parse_errors;
		die "version\n" unless $p->version == 13;
		die "plan\n" unless $p->tests_planned == $p->tests_run;
		die "failed " . scalar($p->failed) . ", wanted $want\n" unless scalar($p->failed) == $want;
	' "$out/report.tap" "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["tally"]["failed"])' "$out/wirecheck.json")"
	check "$name: autolab's last line is the autoresult" "$PY" - "$out/autolab.txt" "$out/wirecheck.json" <<'PYEOF'
import json, sys
last = open(sys.argv[1]).read().rstrip("\n").split("\n")[-1]
ar, run = json.loads(last), json.load(open(sys.argv[2]))
assert set(ar) == {"scores", "scoreboard"}
assert ar["scores"] == {l["lab"]: l["tally"]["points"] for l in run["labs"]}
assert ar["scoreboard"] == [run["tally"]["points"]] + [l["tally"]["points"] for l in run["labs"]]
PYEOF
	check "$name: html fetches nothing (no src/href out, CSP none)" "$PY" - "$out/report.html" <<'PYEOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.csp = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        assert tag not in ("script", "link", "iframe", "object", "embed", "img", "base"), tag
        for k in ("src", "href", "action", "srcset", "poster", "data"):
            if k in a: assert a[k].startswith("#"), (tag, k, a[k])
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"].startswith("default-src 'none'")
        if tag not in ("meta", "br", "polygon", "rect", "line", "path", "!doctype"):
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag: self.stack.pop()
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, ("unbalanced", tag, self.stack[-3:])
        self.stack.pop()
p = P(); text = open(sys.argv[1], encoding="utf-8").read(); p.feed(text); p.close()
assert p.csp and not p.stack, p.stack
assert "url(" not in text and "@import" not in text
PYEOF
	html_in_chromium "$name" "$out/report.html"
}

# html_in_chromium NAME FILE: a screenshot with every host unresolvable and a
# net log; the page must render (many colours) and ask for nothing: no URL in the
# net log but the file and the browser's own background calls (Google hosts),
# and no load refused by the page's Content-Security-Policy
html_in_chromium() {
	local name=$1 file=$2 png=$T/$1/shot.png log=$T/$1/chromium.log
	if ! command -v chromium >/dev/null; then
		not_ok "$name: chromium renders the page (chromium is not installed)"
		return
	fi
	timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run --user-data-dir="$T/$name/chromium" \
		--host-resolver-rules="MAP * ~NOTFOUND" --enable-logging=stderr --v=0 --log-net-log="$T/$name/net.json" \
		--window-size=1200,2000 --screenshot="$png" "file://$file" >"$log" 2>&1
	check "$name: chromium renders the page, not blank" "$PY" - "$png" <<'PYEOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
assert im.size == (1200, 2000), im.size
colours = im.getcolors(maxcolors=1 << 20)
assert colours and len(colours) > 200, len(colours or [])
PYEOF
	check "$name: chromium attempted no request" "$PY" - "$T/$name/net.json" "$log" <<'PYEOF'
import re, sys
from urllib.parse import urlsplit
own = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
urls = set(re.findall(r'"url":"([^"]*)"', open(sys.argv[1], errors="replace").read()))
asked = [u for u in urls if not u.startswith(("file:", "data:", "about:", "chrome:"))
         and not (urlsplit(u).hostname or "").endswith(own)]
assert not asked, asked
refused = [l for l in open(sys.argv[2], errors="replace") if "Content Security Policy" in l or "Refused to" in l]
assert not refused, refused
PYEOF
}

# 1. The references, a scenario of each lab: all pass.
mkdir -p "$T/ref"
wcrun "$T/ref/stdout" run udp-echo/basic tcp-echo/basic name-echo/basic http/get-hello dns/answer-google.com dns/notimp \
	--format "$FORMATS" --out "$T/ref/out" --captures "$T/cap"
check "references: exit 0" test "$rc" -eq 0 || show "$T/ref/stdout"
reports ref

# 2. A server with faults: Python's http.server (no Connection header, HTML error pages)
mkdir -p "$T/http" "$T/empty"
wcrun "$T/http/stdout" run http/get-hello http/connection-header http/malformed-400 http/version-505 \
	--server "python3 -m http.server 8000" --dir "$T/empty" --format "$FORMATS" --out "$T/http/out" --captures "$T/cap"
check "http.server: exit 1" test "$rc" -eq 1 || show "$T/http/stdout"
reports http
check "http.server: the html marks the header the failure names" \
	grep -q '<tr class="mark"><td>Connection</td><td>(missing: the failure names it)' "$T/http/out/report.html"

# 3. A DNS server that leaves AA 0: the html shows the messages field by field.
mkdir -p "$T/dns"
cp "$TOP/tests/mutants/dns/aa-zero.py" "$T/dns/server.py"
wcrun "$T/dns/stdout" run dns/answer-google.com dns/nxdomain --server "python3 server.py" --dir "$T/dns" \
	--format "$FORMATS" --out "$T/dns/out" --captures "$T/cap"
check "dns mutant: exit 1" test "$rc" -eq 1 || show "$T/dns/stdout"
reports dns
check "dns mutant: the html draws the header bits and the answers" bash -c "
	grep -q 'AA<br>0</td>' '$T/dns/out/report.html' &&
	grep -q 'title=\"answer 1 NAME pointer\">c0</span>' '$T/dns/out/report.html' &&
	grep -q '<td class=\"f-rdata\">RDATA</td><td>192.165.1.1</td>' '$T/dns/out/report.html'"

# 4. One format without --out goes to stdout alone.
rc=0
"$WIRECHECK" run udp-echo/basic --format json --captures "$T/cap" >"$T/one.json" 2>"$T/one.err" || rc=$?
check "--format json alone: exit 0" test "$rc" -eq 0
check "--format json alone: stdout is the JSON report" "$PY" -c \
	'import json,sys; d=json.load(open(sys.argv[1])); assert d["format"] == "wirecheck-report"' "$T/one.json"
wcrun "$T/bad.out" run udp-echo/basic --format junit,pdf --captures "$T/cap"
check "--format with an unknown name: exit 2" test "$rc" -eq 2
no_leftovers && ok "nothing left behind" || not_ok "nothing left behind"
