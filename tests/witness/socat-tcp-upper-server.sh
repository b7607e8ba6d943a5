#!/bin/sh
# A TCP uppercase echo server from standard tools, not written by us: socat
# accepts on TCP port 12000, forks a child per connection and runs its bytes
# through tr, unbuffered (stdbuf -o0), sending tr's output back. It never closes
# a connection by itself: the child ends when the client has closed its side.
exec socat TCP-LISTEN:12000,reuseaddr,fork EXEC:'stdbuf -o0 tr a-z A-Z'
