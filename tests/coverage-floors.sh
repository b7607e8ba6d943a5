#!/usr/bin/env bash
# tests/coverage-floors.sh INFO_FILE: the line coverage of lib/, servers/,
# clients/ and harness/ in an lcov tracefile, one line each; fails (status 1)
# when lib/ or servers/ is below its floor of 90% of lines:
#   lib/: 88.1% of lines, below the 90% floor
# Reads the tracefile's SF (source file) and DA (line, count) records, which
# lines excluded with LCOV_EXCL_* do not have. Status 2 for a tracefile that
# cannot be read.
set -u
info=${1:-}
[ -n "$info" ] && [ -r "$info" ] || { echo "usage: $0 INFO_FILE (a readable lcov tracefile)" >&2; exit 2; }

top=$(cd "$(dirname "$0")/.." && pwd -P)

# a file counts for the folder of the tree it is in: TOP/lib/x.c for lib/.
# Lines are counted from the DA (line, count) records, each line of a file once
# (hit when any record of it has a count above 0): not every lcov writes LF/LH.
awk -v top="$top/" -v floors="lib servers" -v floor=90 '
	function tenth(p) { return sprintf("%.1f", int(p * 10) / 10) }
	/^SF:/ {
		dir = ""
		f = substr($0, 4)
		if (substr(f, 1, length(top)) == top) {
			split(substr(f, length(top) + 1), parts, "/")
			if (parts[1] ~ /^(lib|servers|clients|harness)$/)
				dir = parts[1]
		}
	}
	/^DA:/ && dir != "" {
		split(substr($0, 4), da, ",")
		key = f SUBSEP da[1]
		if (!(key in line)) { line[key] = 0; found[dir]++ }
		if (da[2] + 0 > 0 && !line[key]) { line[key] = 1; hit[dir]++ }
	}
	END {
		split("lib servers clients harness", dirs, " ")
		for (i = 1; i <= 4; i++) {
			d = dirs[i]
			if (!found[d]) { printf "%s/: no lines\n", d; continue }
			printf "%s/: %s%% of lines (%d of %d)\n", d, tenth(100 * hit[d] / found[d]), hit[d], found[d]
		}
		bad = 0
		n = split(floors, fl, " ")
		for (i = 1; i <= n; i++) {
			d = fl[i]
			if (!found[d] || 100 * hit[d] < floor * found[d]) {
				printf "%s/: %s%% of lines, below the %d%% floor\n", d, tenth(found[d] ? 100 * hit[d] / found[d] : 0), floor
				bad = 1
			}
		}
		exit bad
	}' "$info"
