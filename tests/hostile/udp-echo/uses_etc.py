# Not hostile: a student's UDP echo server that uses what a normal program
# finds in /etc, the control that the program's own /etc (issue 18: "only what
# programs need") has what they need. As students write it: it looks names up
# at the start and crashes when one is missing, so a missing file fails the
# scenario with the error in the report.
#   localhost  gethostbyname, getaddrinfo (/etc/hosts, nsswitch.conf)
#   http/tcp   getservbyname (/etc/services)
#   udp        getprotobyname (/etc/protocols)
#   whoami     pwd.getpwuid(os.getuid()), grp.getgrgid (its own passwd and
#              group: an account for its uid, whatever uid it runs as)
#   time       TZ set to a zone other than UTC (README "Grading a submission")
#   locale     LANG=C.UTF-8, a UTF-8 locale that loads
import grp
import locale
import os
import pwd
import time
from socket import *

serverName = gethostbyname('localhost')
addrs = getaddrinfo('localhost', 12000, AF_INET, SOCK_DGRAM)
httpPort = getservbyname('http', 'tcp')
udpProto = getprotobyname('udp')
me = pwd.getpwuid(os.getuid())
myGroup = grp.getgrgid(os.getgid())
zone = time.strftime('%z')
loc = locale.setlocale(locale.LC_ALL, '')
print('localhost is', serverName, 'http is port', httpPort, 'udp is protocol', udpProto,
      'I am', me.pw_name, me.pw_uid, myGroup.gr_name, 'zone', zone, 'locale', loc, '\u00e9t\u00e9')
if serverName != '127.0.0.1' or addrs[0][4][0] != '127.0.0.1':
    raise RuntimeError('localhost is ' + serverName)
if httpPort != 80 or udpProto != 17:
    raise RuntimeError('http is %d, udp is %d' % (httpPort, udpProto))
if me.pw_uid != os.getuid() or myGroup.gr_gid != os.getgid():
    raise RuntimeError('my account is not mine')
if zone == '+0000':
    raise RuntimeError('the zone is UTC')
if 'UTF-8' not in loc.upper().replace('UTF8', 'UTF-8'):
    raise RuntimeError('the locale is ' + loc)

serverSocket = socket(AF_INET, SOCK_DGRAM)
serverSocket.bind(('', 12000))
print('The server is ready to receive')
while True:
    message, clientAddress = serverSocket.recvfrom(2048)
    serverSocket.sendto(message.decode().upper().encode(), clientAddress)
