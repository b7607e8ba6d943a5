#!/bin/sh
# An uppercase echo server from standard tools, not written by us: socat takes
# each datagram on UDP port 12000, runs it through tr and sends tr's output back.
exec socat UDP-RECVFROM:12000,fork EXEC:'tr a-z A-Z'
