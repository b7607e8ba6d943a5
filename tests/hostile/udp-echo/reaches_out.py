# hostile: before serving, tries TCP connections to addresses outside its network
# namespace (public resolvers, 10.0.0.1, and the host:port arguments: the host's
# own); exits 3 if any connects, else serves correctly. The argument
# 'self-listener' adds a listener of its own on 127.0.0.1:5555 to the targets,
# which it can reach: a control that the test can fail.
import sys
from socket import *

targets = [("1.1.1.1", 53), ("8.8.8.8", 53), ("10.0.0.1", 80)]
listener = None
for a in sys.argv[1:]:
    if a == "self-listener":
        listener = socket(AF_INET, SOCK_STREAM)
        listener.bind(("127.0.0.1", 5555))
        listener.listen(1)
        targets.append(("127.0.0.1", 5555))
    else:
        host, port = a.rsplit(":", 1)
        targets.append((host, int(port)))
reached = []
for addr, port in targets:
    c = socket(AF_INET6 if ":" in addr else AF_INET, SOCK_STREAM)
    c.settimeout(1)
    try:
        c.connect((addr, port))
        reached.append("%s:%d" % (addr, port))
    except OSError as e:
        print("kept in: %s:%d: %s" % (addr, port, e.strerror or e), file=sys.stderr)
    finally:
        c.close()
if reached:
    print("reached: " + ", ".join(reached), file=sys.stderr)
    sys.exit(3)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
