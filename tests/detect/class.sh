# tests/detect/class.sh - builds a class of repositories shaped as students push them (sourced by it-detect.sh).
# make_class DIR: one folder per repository under DIR.
make_class() {
	local C=$1 S="$TOP/tests/students"
	local U="$S/udp-echo" TC="$S/tcp-echo"
	mkdir -p "$C"
	# put REPO/PATH FILE: a copy of FILE at REPO/PATH
	put() { mkdir -p "$(dirname "$C/$1")"; cp "$2" "$C/$1"; }

	# nested lab folders, as cloned
	put r01-Lab2/Lab2/UDPServer.py "$U/UDPServer.py"
	put r01-Lab2/Lab2/UDPClient.py "$U/UDPClient.py"
	echo "# Lab 2" >"$C/r01-Lab2/README.md"
	put r02-lab2-web/lab2/webserver.py "$S/http/webserver.py"
	put r03-tasks/task1/udp-server.py "$U/UDPServer.py"
	put r03-tasks/task2/tcp_server.py "$TC/TCPServer.py"
	put r04-week/week1/Basic-python-socket/UDPServer.py "$U/UDPServer.py"
	put r04-week/week1/Basic-python-socket/udp_client.py "$U/UDPClient.py"
	# hyphens, cases, a typo
	put r05-hyphen/tcp-server.py "$TC/TCPServer.py"
	put r05-hyphen/tcp-client.py "$TC/TCPClient.py"
	put r06-Web-Server/Web-Server.py "$S/http/webserver.py"
	put r07-typo/UDPServer.py "$U/UDPServer.py"
	put r07-typo/UPDClient.py "$U/UDPClient.py"
	# a .git and a virtual environment holding names that must not be taken
	put r08-git-venv/src/UDPServer.py "$U/UDPServer.py"
	put r08-git-venv/.git/UDPServer.py "$U/UDPServer.py"
	put r08-git-venv/venv/lib/python3/site-packages/UDPClient.py "$U/UDPClient.py"
	echo "home = /usr/bin" >"$C/r08-git-venv/venv/pyvenv.cfg"
	put r08-git-venv/__pycache__/TCPServer.py "$TC/TCPServer.py"
	# a DNS lab beside the repository's own HTTP test client named client.py
	put r09-dns-testclient/server.py "$S/dns/server.py"
	put r09-dns-testclient/webserver.py "$S/http/webserver.py"
	cat >"$C/r09-dns-testclient/client.py" <<'PY'
# client.py - my test client for the web server lab
from socket import *
s = socket(AF_INET, SOCK_STREAM)
s.connect(('127.0.0.1', 6789))
s.send(b'GET /HelloWorld.html HTTP/1.1\r\nHost: localhost\r\n\r\n')
print(s.recv(4096).decode())
s.close()
PY
	# a server.py that speaks HTTP: the web server, not the DNS server
	put r10-server-is-web/server.py "$S/http/webserver.py"
	# Java, no manifest, in a folder: javac runs there
	mkdir -p "$C/r11-java/Lab1"
	cp "$TOP/tests/detect/UDPServer.java" "$C/r11-java/Lab1/UDPServer.java"
	# C whose Makefile fails, beside a Python client that needs no build
	mkdir -p "$C/r12-c-makefail"
	cat >"$C/r12-c-makefail/UDPServer.c" <<'CSRC'
#include <sys/socket.h>
int main(void) { int s = socket(AF_INET, SOCK_DGRAM, 0); bind(s, 0, 0); recvfrom(s, 0, 0, 0, 0, 0); this is not C }
CSRC
	printf 'UDPServer: UDPServer.c\n\tcc -o UDPServer UDPServer.c\n' >"$C/r12-c-makefail/Makefile"
	put r12-c-makefail/UDPClient.py "$U/UDPClient.py"
	# several servers for one lab: iterative, threaded, forked
	put r13-several/TCPServer.py "$TC/TCPServer.py"
	put r13-several/TCPServerThreaded.py "$TC/TCPServerThreaded.py"
	put r13-several/TCPServerForked.py "$TC/TCPServerForked.py"
	put r13-several/TCPClient.py "$TC/TCPClient.py"
	# spaces in the folder and the file names
	put "r14-spaces/Lab 3/UDP Server.py" "$U/UDPServer.py"
	# nothing to grade
	mkdir -p "$C/r15-empty"
	echo "I did not finish" >"$C/r15-empty/README.txt"
	# a manifest naming Java with no build line: javac still runs
	put r16-java-manifest/UDPServer.java "$C/r11-java/Lab1/UDPServer.java"
	printf 'name Chen W\nudp-echo.server java UDPServer\n' >"$C/r16-java-manifest/wirecheck.manifest"
	# hostile: a symbolic link loop, a link out of the tree, a tree deeper than searched
	mkdir -p "$C/r17-hostile/a"
	ln -s .. "$C/r17-hostile/a/loop"
	ln -s /etc "$C/r17-hostile/etc-link"
	ln -s "$U/UDPServer.py" "$C/r17-hostile/UDPServer.py"
	mkdir -p "$C/r17-hostile/1/2/3/4/5/6/7/8"
	cp "$U/UDPServer.py" "$C/r17-hostile/1/2/3/4/5/6/7/8/UDPServer.py"
	put r17-hostile/1/2/3/4/5/UDPClient.py "$U/UDPClient.py"
	# a second udp-echo server deeper, in an old attempt, and a misspelt second one
	put r18-old-attempt/Lab2/UDPServer.py "$U/UDPServer.py"
	put r18-old-attempt/Lab2/old/UDPServer.py "$U/UDPServer.py"
	put r18-old-attempt/Lab2/UDPSever.py "$U/UDPServer.py"
	put r18-old-attempt/Lab2/UDPClient.py "$U/UDPClient.py"
}
