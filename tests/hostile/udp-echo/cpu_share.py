# hostile: a correct echo server that looks at its share of the CPU (issue 18:
# 8 spinners made another job from the same session 3.8x slower, and the
# programs ran at the grader's priority). Its session is not the grader's:
# its autogroup (/proc/self/autogroup, the scheduler's group of a session:
# its processes weigh as one beside the grader's) is not argument 1 (the
# grader's, read by the test); and its CPU time is limited (RLIMIT_CPU).
# What is wrong it appends to every reply, so a program at the grader's
# share fails the scenario.
#   --print  prints what is wrong and exits (the test's control, run outside
#            the sandbox, in the grader's session)
import resource
import sys
from leak_echo import serve

args = sys.argv[1:]
show = args[:1] == ['--print']
grader = args[-1]
found = []
try:
    mine = open('/proc/self/autogroup').read().split()[0]
    if mine == grader:
        found.append("the grader's autogroup " + mine)
except OSError as e:
    found.append('no autogroup: ' + e.strerror)
if resource.getrlimit(resource.RLIMIT_CPU)[1] == resource.RLIM_INFINITY:
    found.append('no CPU time limit')
if show:
    print(', '.join(found) or 'a share of its own')
else:
    serve(found)
