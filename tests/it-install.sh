#!/usr/bin/env bash
# make install, with DESTDIR and with PREFIX: the installed wirecheck finds its
# references (PREFIX/libexec/wirecheck) and fixtures (PREFIX/share/wirecheck)
# wherever it was put, and grades from any working folder.
set -u
source "$(dirname "$0")/lib.sh"

make -s -C "$TOP" install BUILD="$BUILD" DESTDIR="$T/dest" >"$T/install.out" 2>&1
check "make install DESTDIR: succeeds" test $? -eq 0
make -s -C "$TOP" install BUILD="$BUILD" PREFIX="$T/prefix" >>"$T/install.out" 2>&1
check "make install PREFIX: succeeds" test $? -eq 0
for bin in "$T/dest/usr/local/bin/wirecheck" "$T/prefix/bin/wirecheck"; do
	(cd "$T" && "$bin" run udp-echo/basic tcp-echo/segmented --captures "$T/cap" >"$T/inst.out" 2>&1)
	check "installed $bin: grades from elsewhere" has "$T/inst.out" "^2 passed, 0 failed$"
done
check "installed references and fixtures" test -x "$T/prefix/libexec/wirecheck/tcp-echo-server" -a \
	-f "$T/prefix/share/wirecheck/fixtures/udp-echo/basic.scn"
