# hostile: a correct echo server that notes whom it runs as, then reads files
# of the grading user (issue 18: never the grading user). It writes a file
# uid-UID-PID (holding "UID GID") into the folder of argument 1 (one left
# writable for it: WIRECHECK_WRITABLE), then reads each file named by the
# other arguments (a 0600 file of the grader's that the sandbox shows, as
# ../lab/NAME): what it reads it appends to every reply, so a read that
# succeeds fails the scenario.
import os
import sys
from leak_echo import serve

with open(os.path.join(sys.argv[1], 'uid-%d-%d' % (os.getuid(), os.getpid())), 'w') as f:
    f.write('%d %d\n' % (os.getuid(), os.getgid()))
found = []
for p in sys.argv[2:]:
    try:
        with open(p) as f:
            found.append('%s: %s' % (p, f.read().strip()))
    except OSError:
        pass
serve(found)
