#!/bin/sh
# A name-echo server from standard tools, not written by us: socat forks a
# child per connection and runs its lines through sed, line by line (-u), with
# name-echo.sed: ' Ali' goes before the line end, and a '\r' before the '\n'
# (telnet) is kept after the name, so CRLF lines get CRLF replies, LF lines LF.
exec socat TCP-LISTEN:12000,reuseaddr,fork EXEC:'sed -u -f name-echo.sed'
