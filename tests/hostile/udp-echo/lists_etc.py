# hostile: a correct echo server that looks at its /etc (issue 18): an account
# other than root, nobody and its own in passwd or group (the host's), an
# account or secret file of the host (shadow, subuid, passwd-, machine-id,
# ssh ...), a mount there that is not read-only, and whether the files
# programs read are there (the arguments: mime.types, alternatives ...).
# What is wrong it appends to every reply, so a leak fails the scenario.
#   --etc DIR   looks at DIR in place of /etc (the test's control: a folder
#               holding the host's files)
#   --wait DIR  writes DIR/started, then waits for DIR/renamed (the test
#               renames a new passwd over the host's meanwhile) before it
#               looks, and writes what it saw to DIR/looked
import os
import sys
import time
from leak_echo import serve

args = sys.argv[1:]
etc, wait = '/etc', None
while args and args[0] in ('--etc', '--wait'):
    if args[0] == '--etc':
        etc = args[1]
    else:
        wait = args[1]
    args = args[2:]
if wait:
    open(os.path.join(wait, 'started'), 'w').close()
    while not os.path.exists(os.path.join(wait, 'renamed')):
        time.sleep(0.01)  # a poll for the test's step, not a wait for the harness
secret = ['shadow', 'gshadow', 'subuid', 'subgid', 'sudoers', 'sudoers.d', 'ssh', 'machine-id', 'hostname']
found = sorted(n for n in os.listdir(etc) if n in secret or n.endswith('-') and n[:-1] in secret + ['passwd', 'group'])
mine = {'root', 'nobody', 'student', 'nogroup'}
for f in ('passwd', 'group'):
    try:
        lines = open(os.path.join(etc, f)).read().split('\n')
    except OSError as e:
        found.append('no %s: %s' % (f, e.strerror))
        continue
    found += ['host account %s in %s' % (l.split(':')[0], f) for l in lines if l and l.split(':')[0] not in mine]
    if f == 'passwd' and not any(l.startswith('student:x:%d:' % os.getuid()) for l in lines):
        found.append('no account of its own uid %d' % os.getuid())
for n in args:
    p = os.path.join(etc, n)
    try:
        if os.path.isdir(p):
            os.listdir(p)
        else:
            open(p, 'rb').read(1)
    except OSError as e:
        found.append('cannot read %s: %s' % (p, e.strerror))
if etc == '/etc':
    for l in open('/proc/self/mountinfo'):
        f = l.split()
        if (f[4] == '/etc' or f[4].startswith('/etc/')) and 'ro' not in f[5].split(','):
            found.append('writable mount ' + f[4])
if wait:
    with open(os.path.join(wait, 'looked'), 'w') as w:
        w.write('%s\n' % (', '.join(found) or 'its own accounts only'))
serve(found)
