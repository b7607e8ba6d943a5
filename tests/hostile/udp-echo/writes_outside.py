# hostile: before serving, tries to write outside its own folder: the paths given
# as arguments (the harness's fixtures), /tmp, /var/tmp, its home's parent, the
# folder around its copy; exits 3 if any write succeeds, else serves correctly.
import os
import sys
from socket import *

marker = "wirecheck-escape-" + str(os.getpid())
targets = [os.path.join(d, marker) for d in sys.argv[1:]]
targets += ["/tmp/" + marker, "/var/tmp/" + marker, "/dev/shm/" + marker, os.path.join("..", marker),
            os.path.join(os.path.dirname(os.getcwd()), "secret.html")]
escaped = []
for t in targets:
    try:
        with open(t, "a") as f:
            f.write("escaped\n")
        # a fresh /tmp of its own is allowed: it dies with the program
        if not t.startswith(("/tmp/", "/dev/shm/")):
            escaped.append(t)
    except OSError as e:
        print("kept out of %s: %s" % (t, e.strerror), file=sys.stderr)
if escaped:
    print("escaped to: " + ", ".join(escaped), file=sys.stderr)
    sys.exit(3)
s = socket(AF_INET, SOCK_DGRAM)
s.bind(('', 12000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(m.upper(), a)
