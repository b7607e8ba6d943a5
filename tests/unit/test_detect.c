/* test_detect.c - the name matcher (case, '-', '_', near misses) and the source classifier */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grade/detect.h"

#define TMPDIR_NAME "detect"
#include "tmpdir.h"

static void test_normalise(void **state)
{
	char out[64];
	(void)state;

	wc_name_normalise("Web-Server.py", out, sizeof(out));
	assert_string_equal(out, "webserver");
	wc_name_normalise("udp_client.PY", out, sizeof(out));
	assert_string_equal(out, "udpclient");
	wc_name_normalise("UDP Server.java", out, sizeof(out));
	assert_string_equal(out, "udpserver");
	wc_name_normalise(".hidden", out, sizeof(out));
	assert_string_equal(out, "hidden");
	wc_name_normalise("averyveryverylongname.py", out, 5);
	assert_string_equal(out, "aver"); /* cut to fit, ended */
}

static void test_near(void **state)
{
	(void)state;
	assert_true(wc_name_near("updclient", "udpclient"));  /* two swapped */
	assert_true(wc_name_near("udpsever", "udpserver"));   /* one dropped */
	assert_true(wc_name_near("udpserverr", "udpserver")); /* one added */
	assert_true(wc_name_near("udpservar", "udpserver"));  /* one changed */
	assert_false(wc_name_near("udpserver", "udpserver")); /* the same is no near miss */
	assert_false(wc_name_near("tcpserver", "udpserver")); /* two changed */
	assert_false(wc_name_near("udpclient", "udpserver"));
	assert_false(wc_name_near("pudclient", "udpclient")); /* a rotation, two edits */
}

static void test_match(void **state)
{
	(void)state;
	assert_int_equal(wc_name_match("UDPServer.py", "UDPServer"), WC_MATCH_EXACT);
	assert_int_equal(wc_name_match("udpserver.JAVA", "UDPServer"), WC_MATCH_EXACT);
	assert_int_equal(wc_name_match("tcp-server.py", "TCPServer"), WC_MATCH_NORM);
	assert_int_equal(wc_name_match("Web-Server.py", "webserver"), WC_MATCH_NORM);
	assert_int_equal(wc_name_match("udp_client.py", "UDPClient"), WC_MATCH_NORM);
	assert_int_equal(wc_name_match("TCPServerThreaded.py", "TCPServer"), WC_MATCH_PREFIX);
	assert_int_equal(wc_name_match("UPDClient.py", "UDPClient"), WC_MATCH_NEAR);
	assert_int_equal(wc_name_match("TCPServer.py", "UDPServer"), WC_MATCH_NONE);
	/* short names: no near miss ('sever' is not the DNS server) */
	assert_int_equal(wc_name_match("sever.py", "server"), WC_MATCH_NONE);
	assert_int_equal(wc_name_match("client.py", "server"), WC_MATCH_NONE);
	assert_int_equal(wc_name_match("notes.py", "client"), WC_MATCH_NONE);
}

#define UDP_SERVER "s = socket(AF_INET, SOCK_DGRAM)\ns.bind(('', 12000))\nm, a = s.recvfrom(2048)\ns.sendto(m, a)\n"
#define UDP_CLIENT "s = socket(AF_INET, SOCK_DGRAM)\ns.sendto(b'x', ('127.0.0.1', 12000))\ns.recvfrom(2048)\n"
#define TCP_SERVER "s = socket(AF_INET, SOCK_STREAM)\ns.bind(('', 12000))\ns.listen(1)\nc, a = s.accept()\n"
#define HTTP_CLIENT "s = socket(AF_INET, SOCK_STREAM)\ns.connect(('h', 80))\ns.send(b'GET / HTTP/1.1\\r\\n')\n"
#define HTTP_SERVER TCP_SERVER "c.send(b'HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n')\n"
#define DNS_SERVER UDP_SERVER "flags = 0x8400\nstruct.pack('>HHHHHH', i, flags, 1, n, 0, 0)\n"
#define DNS_CLIENT UDP_CLIENT "q = struct.pack('!HHHHHH', i, 0, 1, 0, 0, 0)\nname = input('Enter Domain Name: ')\n"
#define JAVA_UDP_SERVER "DatagramSocket s = new DatagramSocket(12000);\ns.receive(p);\ns.send(q);\n"
#define JAVA_UDP_CLIENT "DatagramSocket s = new DatagramSocket();\ns.send(p);\ns.receive(q);\n"
#define C_TCP_CLIENT "int s = socket(AF_INET, SOCK_STREAM, 0);\nconnect(s, (struct sockaddr *)&a, sizeof(a));\n"

static unsigned cls(const char *text)
{
	return wc_source_classify(text, strlen(text));
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(cls(UDP_SERVER), WC_SRC_UDP | WC_SRC_SERVER);
	assert_int_equal(cls(UDP_CLIENT), WC_SRC_UDP | WC_SRC_CLIENT);
	assert_int_equal(cls(TCP_SERVER), WC_SRC_TCP | WC_SRC_SERVER);
	assert_int_equal(cls(HTTP_CLIENT), WC_SRC_TCP | WC_SRC_CLIENT | WC_SRC_HTTP);
	assert_int_equal(cls(HTTP_SERVER), WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_HTTP);
	assert_int_equal(cls(DNS_SERVER), WC_SRC_UDP | WC_SRC_SERVER | WC_SRC_DNS);
	assert_int_equal(cls(DNS_CLIENT), WC_SRC_UDP | WC_SRC_CLIENT | WC_SRC_DNS);
	assert_int_equal(cls(JAVA_UDP_SERVER), WC_SRC_UDP | WC_SRC_SERVER);
	assert_int_equal(cls(JAVA_UDP_CLIENT), WC_SRC_UDP | WC_SRC_CLIENT);
	assert_int_equal(cls(C_TCP_CLIENT), WC_SRC_TCP | WC_SRC_CLIENT);
	assert_int_equal(cls("print('hello')\n"), 0);
	/* a thread or a process per client: graded in the concurrent variant when it is a second server */
	assert_int_equal(cls(TCP_SERVER "t = threading.Thread(target=serve, args=(c,))\n"),
			 WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_CONCURRENT);
	assert_int_equal(cls(TCP_SERVER "if os.fork() == 0:\n"), WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_CONCURRENT);
	assert_int_equal(cls("ServerSocket s = new ServerSocket(12000);\nnew Thread(new Handler(c)).start();\n"),
			 WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_CONCURRENT);
	assert_int_equal(cls(TCP_SERVER "pid_t p = fork();\n"), WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_CONCURRENT);
}

static void test_fits(void **state)
{
	char why[128];
	(void)state;

	assert_int_equal(wc_source_fits(cls(UDP_SERVER), "udp-echo", 1, why, sizeof(why)), 1);
	assert_int_equal(wc_source_fits(cls(UDP_SERVER), "udp-echo", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "a UDP server");
	assert_int_equal(wc_source_fits(cls(TCP_SERVER), "udp-echo", 1, why, sizeof(why)), -1);
	assert_int_equal(wc_source_fits(cls(TCP_SERVER), "tcp-echo", 1, why, sizeof(why)), 1);
	/* the repository's HTTP test client is not the DNS client */
	assert_int_equal(wc_source_fits(cls(HTTP_CLIENT), "dns", 0, why, sizeof(why)), -1);
	assert_string_equal(why, "an HTTP client");
	/* a server.py speaking HTTP is the web server, not the DNS server */
	assert_int_equal(wc_source_fits(cls(HTTP_SERVER), "dns", 1, why, sizeof(why)), -1);
	assert_int_equal(wc_source_fits(cls(HTTP_SERVER), "http", 1, why, sizeof(why)), 1);
	assert_int_equal(wc_source_fits(cls(DNS_SERVER), "dns", 1, why, sizeof(why)), 1);
	assert_int_equal(wc_source_fits(cls(DNS_SERVER), "udp-echo", 1, why, sizeof(why)), -1);
	assert_int_equal(wc_source_fits(cls(DNS_CLIENT), "dns", 0, why, sizeof(why)), 1);
	/* a UDP echo server named server.py: not confirmed as the DNS server, not refused either */
	assert_int_equal(wc_source_fits(cls(UDP_SERVER), "dns", 1, why, sizeof(why)), 0);
	/* no socket code: nothing said either way */
	assert_int_equal(wc_source_fits(0, "udp-echo", 1, why, sizeof(why)), 0);
	assert_string_equal(why, "no socket code");
}

static void test_quote(void **state)
{
	char out[64];
	(void)state;

	wc_sh_quote("Lab2/UDPServer.py", out, sizeof(out));
	assert_string_equal(out, "Lab2/UDPServer.py");
	wc_sh_quote("Lab 3", out, sizeof(out));
	assert_string_equal(out, "'Lab 3'");
	wc_sh_quote("it's", out, sizeof(out));
	assert_string_equal(out, "'it'\\''s'");
	wc_sh_quote("a;rm -rf x", out, 8); /* cut to fit, still quoted whole */
	assert_string_equal(out, "'a;'");
}

/* The tree search: skipped folders, no links followed, a loop and depth do not hang it. */
static void test_tree(void **state)
{
	wc_tree t;
	char p[256];
	(void)state;

	mkdir(strcat(strcpy(p, dir), "/Lab2"), 0755);
	put("Lab2/UDPServer.py", UDP_SERVER);
	mkdir(strcat(strcpy(p, dir), "/.git"), 0755);
	put(".git/UDPClient.py", UDP_CLIENT);
	mkdir(strcat(strcpy(p, dir), "/env"), 0755);
	put("env/pyvenv.cfg", "home = /usr\n");
	put("env/TCPServer.py", TCP_SERVER);
	mkdir(strcat(strcpy(p, dir), "/build"), 0755);
	put("build/TCPClient.c", C_TCP_CLIENT);
	put("notes.txt", "");
	assert_int_equal(symlink("..", strcat(strcpy(p, dir), "/Lab2/loop")), 0);
	assert_int_equal(symlink("/etc", strcat(strcpy(p, dir), "/etc")), 0);
	assert_int_equal(wc_tree_scan(dir, &t), 0);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.files[0].path, "Lab2/UDPServer.py");
	assert_int_equal(t.files[0].depth, 1);
	assert_int_equal(t.files[0].lang, 'p');
	assert_int_equal(t.files[0].src, WC_SRC_UDP | WC_SRC_SERVER);
	assert_false(t.truncated);
	wc_tree_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_near),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_quote),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
