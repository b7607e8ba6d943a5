#!/usr/bin/env bash
# tests/fresh-root.sh - first contact (issue 13): the README's 'make conform'
# works on a fresh Debian 12, the first time.
#
# Bootstraps a minimal Debian 12 (bookworm) root with mmdebstrap (minbase plus
# git, make and ca-certificates, nothing else) from the Debian mirror this
# machine's apt uses, mounts /proc, /sys and /dev in it, clones the committed
# HEAD of this checkout to /root/src/main inside (/root mode 0700) with a copy
# of ../shared beside it, and runs 'make conform' there ONCE, in a chroot, with
# a clean environment. It passes when that exits 0, prints 'score N/N' with
# N > 0, and installed none of the test-only packages (chromium, the JDK, ...).
# It then clones the checkout again to '/root/my src/main' (a folder with a
# space) and runs 'make conform' there too (FRESH_SPACES=0 leaves that out).
#
# Nothing is cached between runs: every run bootstraps anew, so a missing
# install step cannot hide behind an earlier run. The root lives on a tmpfs
# that is unmounted (with everything mounted under it) when the script ends,
# however it ends.
#
# Needs: root, Debian's package archive. Takes 2 to 5 minutes (README).
# Logs: build/first-contact/{bootstrap,conform,conform-spaces}.log
# Environment:
#   FRESH_MIRRORS  apt lines for the bootstrap, one per line
#                  (default: this machine's bookworm entries in /etc/apt/sources.list*)
#   FRESH_DEST     where the checkout goes inside the root (default /root/src/main)
#   FRESH_SPACES   0: no second run under '/root/my src/main' (default 1)
#   FRESH_TIMEOUT  seconds allowed for one 'make conform' (default 2400)
#   FRESH_KEEP     1: on failure, leave the root mounted for a look (prints how to clean up)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
dest=${FRESH_DEST:-/root/src/main}
spaced='/root/my src/main'
limit=${FRESH_TIMEOUT:-2400}
t0=$(date +%s)

say() { echo "first-contact: $*"; }
die() { say "$*" >&2; exit 2; }
since() { echo "$(($(date +%s) - $1)) s"; }

[ "$(id -u)" = 0 ] || die "needs root (it bootstraps a Debian root and chroots into it): run: sudo make first-contact"
repo=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null) || die "$here is not a git checkout"
sha=$(git -C "$repo" rev-parse HEAD) || die "no commit in $repo"
shared=$(cd "$repo/.." && pwd)/shared
[ -d "$shared" ] || die "no ../shared beside the checkout ($shared): the harness reads LABS.md there"
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
	say "note: $repo has uncommitted changes; this tests the committed HEAD $sha"
logs=$repo/build/first-contact
mkdir -p "$logs" || die "cannot make $logs"
rm -f "$logs"/*.log

if ! command -v mmdebstrap >/dev/null; then
	say "installing mmdebstrap"
	{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap; } \
		>"$logs/mmdebstrap-install.log" 2>&1 ||
		{ tail -n 20 "$logs/mmdebstrap-install.log"; die "could not install mmdebstrap (above); run: apt-get install mmdebstrap"; }
fi

# The bootstrap's sources: this machine's Debian mirror for bookworm,
# bookworm-updates and bookworm-security (only Debian's archive is reachable).
if [ -n "${FRESH_MIRRORS:-}" ]; then
	mirrors=$FRESH_MIRRORS
else
	mirrors=$(python3 - /etc/apt/sources.list /etc/apt/sources.list.d/* <<'PYEOF'
import re, sys
want = ("bookworm", "bookworm-updates", "bookworm-security")
seen = []
def add(uri, suite):
    if suite in want and (uri.rstrip("/"), suite) not in seen:
        seen.append((uri.rstrip("/"), suite))
for path in sys.argv[1:]:
    try:
        text = open(path).read()
    except OSError:
        continue
    if path.endswith("sources.list") or path.endswith(".list"):
        for line in text.splitlines():
            w = re.sub(r"\[[^]]*\]", " ", line.split("#")[0]).split()
            if len(w) >= 3 and w[0] == "deb":
                add(w[1], w[2])
    elif path.endswith(".sources"):
        for stanza in text.split("\n\n"):
            f = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith((" ", "#")):
                    k, v = line.split(":", 1)
                    f[k.strip().lower()] = v.split()
            if "deb" in f.get("types", []):
                for uri in f.get("uris", []):
                    for suite in f.get("suites", []):
                        add(uri, suite)
for uri, suite in seen:
    print("deb %s %s main" % (uri, suite))
PYEOF
	)
fi
grep -q ' bookworm main$' <<<"$mirrors" ||
	die "no Debian bookworm mirror in /etc/apt/sources.list*; set FRESH_MIRRORS='deb http://MIRROR/debian bookworm main'"
mapfile -t mirror_args <<<"$mirrors"

work=$(mktemp -d /var/tmp/wirecheck-fresh.XXXXXX) || die "mktemp failed"
root=$work/root
mounted=0
child=

# run_bg LOG COMMAND...: runs it in the background, its output to LOG, and
# waits, so that a signal is handled at once (bash runs a trap only when the
# foreground command ends)
run_bg() {
	local rc log=$1
	shift
	"$@" >"$log" 2>&1 &
	child=$!
	wait "$child"
	rc=$?
	child=
	return "$rc"
}

# Ends whatever still runs in the root, unmounts everything under $work (the
# tmpfs and all mounted under it, made slaves so nothing propagates back to
# the host's /dev or /sys), and removes the empty folder.
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	if [ "$rc" -ne 0 ] && [ "${FRESH_KEEP:-0}" = 1 ] && [ "$mounted" = 1 ]; then
		say "kept $root; clean up with: umount -R '$work' && rmdir '$work'"
		exit "$rc"
	fi
	# the command in flight (mmdebstrap cleans up after itself on TERM), then
	# whatever still runs in the root
	[ -n "$child" ] && kill -TERM "$child" 2>/dev/null
	for pid in $(find /proc -mindepth 2 -maxdepth 2 -path '/proc/[0-9]*/root' \( -lname "$root" -o -lname "$root/*" \) 2>/dev/null); do
		pid=${pid#/proc/}
		kill -KILL "${pid%/root}" 2>/dev/null
	done
	[ -n "$child" ] && wait "$child" 2>/dev/null
	if [ "$mounted" = 1 ]; then
		umount -R "$work" 2>/dev/null || umount -R -l "$work" ||
			say "could not unmount $work: see 'findmnt -R $work'"
	fi
	if grep -qF " $work" /proc/self/mountinfo; then
		say "left mounts under $work (findmnt -R $work); not removing it"
		[ "$rc" -eq 0 ] && rc=1
	else
		rm -rf --one-file-system "$work"
	fi
	say "took $(since "$t0") in all"
	exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM HUP

mount -t tmpfs -o size=8g,mode=0755 wirecheck-fresh "$work" || die "cannot mount a tmpfs on $work"
mounted=1
mkdir "$root"

say "bootstrapping Debian 12 (minbase, git, make, ca-certificates) from: $(echo $mirrors)"
t=$(date +%s)
if ! run_bg "$logs/bootstrap.log" \
	mmdebstrap --variant=minbase --include=git,make,ca-certificates bookworm "$root" "${mirror_args[@]}"; then
	tail -n 60 "$logs/bootstrap.log"
	say "the bootstrap failed (above; $logs/bootstrap.log)"
	exit 2
fi
say "bootstrapped in $(since "$t")"

mount -t proc proc "$root/proc" &&
	mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys" &&
	mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" &&
	mount -t tmpfs -o mode=0755 run "$root/run" ||
	die "cannot mount /proc, /sys, /dev, /run in $root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null

# clone DEST: the committed HEAD at DEST inside the root, ../shared beside it
clone() {
	local d=$root$1
	mkdir -p "$(dirname "$d")" &&
		git clone -q --no-hardlinks "$repo" "$d" &&
		git -C "$d" checkout -q --detach "$sha" &&
		cp -R "$shared" "$(dirname "$d")/shared" && chmod -R a-w "$(dirname "$d")/shared" ||
		die "cannot clone $repo to $d"
}
# conform DEST: 'make conform' in DEST inside the root, as a fresh login would
conform() {
	exec timeout -k 30 "$limit" chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c 'cd "$1" && make conform' bash "$1" </dev/null
}
# verdict DEST LOG RC: 0 when the run passed; else prints what it saw
verdict() {
	local d=$1 log=$2 rc=$3 score bad=""
	score=$(grep -E '^score [0-9]+/[0-9]+$' "$log" | tail -n 1)
	[ "$rc" -eq 0 ] || bad="exit status $rc"
	[ "$rc" -eq 124 ] && bad="$bad (over FRESH_TIMEOUT=${limit}s)"
	if [ -z "$score" ]; then
		bad="${bad:+$bad; }no 'score N/N' line"
	else
		local s=${score#score }
		{ [ "${s#*/}" -gt 0 ] && [ "${s%/*}" = "${s#*/}" ]; } || bad="${bad:+$bad; }'$score' is not N/N with N > 0"
	fi
	if [ -x "$root$d/build/bin/wirecheck" ]; then
		say "$d: built on the first run: $(ls "$root$d/build/bin" | wc -l) programs in build/bin"
	else
		bad="${bad:+$bad; }build/bin/wirecheck was not built"
	fi
	[ -z "$bad" ] && return 0
	echo "---- last 60 lines of $log"
	tail -n 60 "$log"
	echo "----"
	say "$d: make conform: $bad"
	return 1
}

pass=0 fail=0
clone "$dest"
[ "$(stat -c %a "$root/root")" = 700 ] || chmod 700 "$root/root"
say "make conform in $dest (/root is $(stat -c %a "$root/root"), ../shared beside it), once"
t=$(date +%s)
run_bg "$logs/conform.log" conform "$dest"
rc=$?
say "make conform took $(since "$t"), exit $rc; $(grep -m1 -E '^Need to get' "$logs/conform.log" || echo 'downloaded nothing')"
if verdict "$dest" "$logs/conform.log" "$rc"; then
	say "ok: $(grep -E '^score ' "$logs/conform.log" | tail -n 1)"
	pass=$((pass + 1))
else
	fail=$((fail + 1))
fi

# make conform installs the build list only: nothing the tests alone need
extra=$(chroot "$root" dpkg-query -W -f='${Package} ${Status}\n' chromium openjdk-17-jdk-headless tshark \
	valgrind linux-perf clang lcov libcmocka-dev 2>/dev/null | awk '/ installed$/ {print $1}' | tr '\n' ' ')
if [ -z "$extra" ]; then
	say "ok: make conform installed no test, coverage, fuzz or bench package"
	pass=$((pass + 1))
else
	say "make conform installed packages only other targets need: $extra"
	fail=$((fail + 1))
fi

if [ "${FRESH_SPACES:-1}" = 1 ] && [ "$dest" != "$spaced" ]; then
	clone "$spaced"
	say "make conform in '$spaced' (a folder with a space)"
	t=$(date +%s)
	run_bg "$logs/conform-spaces.log" conform "$spaced"
	rc=$?
	say "make conform took $(since "$t"), exit $rc"
	if verdict "$spaced" "$logs/conform-spaces.log" "$rc"; then
		say "ok: '$spaced': $(grep -E '^score ' "$logs/conform-spaces.log" | tail -n 1)"
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
fi

echo "first-contact: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
