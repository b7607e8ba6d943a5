#!/usr/bin/env bash
# wirecheck in a chroot whose / is not a mount point (a chroot-based builder:
# sbuild, pbuilder, a debootstrap'd tree): the references grade, and no mount a
# scenario makes reaches the mount the chroot lies in, though that mount is
# shared (as / is on a systemd host). Needs root; real namespaces and a real chroot.
set -u
source "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "chroot: needs root"
	exit 0
fi

# In a mount namespace of the test's own (nothing it mounts outlives it), a
# shared tmpfs holds the chroot's folder; the chroot's / is a plain folder in
# it. /usr and /etc are bound in, /proc, /dev and /sys are mounted, /tmp is the
# chroot's own (part of the tmpfs: the jail's fresh /tmp is mounted on it), and
# the build output and fixtures are bound at /wc.
R=$T/m/root
cat >"$T/chroot.sh" <<EOF
set -eu
mkdir -p "$T/m"
mount -t tmpfs wc-chroot "$T/m"
mount --make-shared "$T/m"
mkdir -p "$R"/{usr,etc,proc,dev,sys,tmp,wc/build/bin,wc/fixtures}
chmod 1777 "$R/tmp"
for l in bin lib lib64 sbin; do ln -s usr/\$l "$R/\$l"; done
mount --rbind /usr "$R/usr"
mount --rbind /etc "$R/etc"
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount --rbind /sys "$R/sys"
mount --bind "$(dirname "$WIRECHECK")" "$R/wc/build/bin"
mount --bind "$TOP/fixtures" "$R/wc/fixtures"
# make coverage and make asan: the folder the programs write their .gcda
# files or sanitizer reports to, at its own path, as on the host
if [ -n "${WIRECHECK_WRITABLE:-}" ]; then
	mkdir -p "$R${WIRECHECK_WRITABLE:-}"
	mount --bind "${WIRECHECK_WRITABLE:-}" "$R${WIRECHECK_WRITABLE:-}"
fi
mountpoint -q "$R" && { echo "the chroot's / is a mount point"; exit 1; }
rc=0
env -u TMPDIR chroot "$R" /wc/build/bin/wirecheck run -j 2 --captures /tmp/cap >"$T/run.out" 2>&1 || rc=\$?
echo "\$rc" >"$T/run.rc"
env -u TMPDIR chroot "$R" /wc/build/bin/wirecheck doctor >"$T/doctor.out" 2>&1 || echo "\$?" >"$T/doctor.rc"
# as make conform runs it: from the checkout, the lab files at the relative 'fixtures'
rc=0
env -u TMPDIR chroot "$R" sh -c 'cd /wc && build/bin/wirecheck run udp-echo -j 2 --captures /tmp/cap2' >"$T/rel.out" 2>&1 || rc=\$?
echo "\$rc" >"$T/rel.rc"
# what a scenario mounted must not have propagated to the chroot's mount
grep -F " $R/tmp" /proc/self/mountinfo >"$T/leaked" || true
ls "$R/tmp" >"$T/tmp-left"
EOF
setup_rc=0
unshare --mount --propagation private bash "$T/chroot.sh" >"$T/setup.out" 2>&1 || setup_rc=$?
check "chroot: set up (/ not a mount point)" test "$setup_rc" -eq 0 || show "$T/setup.out"

rc=$(cat "$T/run.rc" 2>/dev/null || echo none)
max=$(grep -Eo '^score [0-9]+/[0-9]+' "$T/run.out" 2>/dev/null | cut -d/ -f2)
check "chroot: the references grade, exit 0 (got $rc)" test "$rc" = 0
check "chroot: score N/N" has "$T/run.out" "^score ${max:-x}/${max:-y}$"
check "chroot: no ERROR, no FAIL" bash -c "[ -s '$T/run.out' ] && ! grep -Eq '^(ERROR|FAIL) ' '$T/run.out'"
[ "$rc" = 0 ] || grep -E '^(ERROR|FAIL) ' "$T/run.out" | head -5 | sed 's/^/# /'
check "chroot: 'wirecheck doctor' passes in it" bash -c "[ -s '$T/doctor.out' ] && [ ! -e '$T/doctor.rc' ]"
rel=$(cat "$T/rel.rc" 2>/dev/null || echo none)
check "chroot: run from the checkout (relative fixtures), as make conform does: exit 0 (got $rel)" test "$rel" = 0
[ "$rel" = 0 ] || show "$T/rel.out"
[ -e "$T/doctor.rc" ] && show "$T/doctor.out"
check "chroot: no mount propagated out of the sandbox" test ! -s "$T/leaked"
[ -s "$T/leaked" ] && show "$T/leaked"
check "chroot: no private folder left in the chroot's /tmp" bash -c "! grep -q wirecheck- '$T/tmp-left'"
exit 0
