/* test_discover.c - /proc/net/{udp,tcp}{,6} texts to bound sockets, sock_diag on live sockets, and where the harness sends */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/discover.h"
#include "guard.h"

/* Parses text from a copy that ends at an unreadable page. */
static int parse(const char *text, int proto, int family, wc_bound *out, int max)
{
	size_t len = strlen(text);
	const char *p = guard_copy(text, len);
	int n = wc_parse_socket_table(p, len, proto, family, out, max);

	guard_free(p, len);
	return n;
}

static void assert_addr(const wc_bound *b, int family, const char *ip, uint16_t port)
{
	uint8_t want[16] = {0};

	assert_int_equal(b->family, family);
	assert_int_equal(inet_pton(family, ip, want), 1);
	assert_memory_equal(b->addr, want, family == AF_INET ? 4 : 16);
	assert_int_equal(b->port, port);
}

/*
 * /proc/net/udp on x86: addresses are host-order hex words.
 *   0100007F:2EE0  127.0.0.1:12000  uid 1000 inode 45678
 *   00000000:0035  0.0.0.0:53       uid 0    inode 12345
 *   1401A8C0:0000  192.168.1.20:0   (port 0: not bound to a port, skipped)
 */
static const char udp4[] =
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"  123: 0100007F:2EE0 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 45678 2 0000000000000000 0\n"
	"  124: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345 2 0000000000000000 0\n"
	"  125: 1401A8C0:0000 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 99999 2 0000000000000000 0\n";

static void test_udp4(void **state)
{
	wc_bound b[8];
	(void)state;

	memset(b, 0xee, sizeof(b));
	assert_int_equal(parse(udp4, IPPROTO_UDP, AF_INET, b, 8), 2);
	assert_int_equal(b[0].proto, IPPROTO_UDP);
	assert_addr(&b[0], AF_INET, "127.0.0.1", 12000);
	assert_int_equal(b[0].uid, 1000);
	assert_int_equal(b[0].inode, 45678);
	assert_addr(&b[1], AF_INET, "0.0.0.0", 53);
	assert_int_equal(b[1].uid, 0);
	assert_int_equal(b[1].inode, 12345);
	/* at most max, counted as added */
	assert_int_equal(parse(udp4, IPPROTO_UDP, AF_INET, b, 1), 1);
	assert_int_equal(b[0].port, 12000);
	assert_int_equal(parse(udp4, IPPROTO_UDP, AF_INET, b, 0), 0);
}

/*
 * /proc/net/udp6:
 *   00000000000000000000000001000000:2EE0  [::1]:12000        uid 1000 inode 777
 *   00000000000000000000000000000000:1389  [::]:5001          uid 0    inode 778
 *   B80D0120000000000000000005000000:0035  [2001:db8::5]:53   uid 33   inode 779 (no newline at the end)
 */
static const char udp6[] =
	"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"   10: 00000000000000000000000001000000:2EE0 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 777 2 0000000000000000 0\n"
	"   11: 00000000000000000000000000000000:1389 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 778 2 0000000000000000 0\n"
	"   12: B80D0120000000000000000005000000:0035 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000    33        0 779 2 0000000000000000 0";

static void test_udp6(void **state)
{
	wc_bound b[8];
	(void)state;

	assert_int_equal(parse(udp6, IPPROTO_UDP, AF_INET6, b, 8), 3);
	assert_addr(&b[0], AF_INET6, "::1", 12000);
	assert_int_equal(b[0].uid, 1000);
	assert_int_equal(b[0].inode, 777);
	assert_addr(&b[1], AF_INET6, "::", 5001);
	assert_addr(&b[2], AF_INET6, "2001:db8::5", 53);
	assert_int_equal(b[2].uid, 33);
	assert_int_equal(b[2].inode, 779);
}

/*
 * /proc/net/tcp: only LISTEN (0A) rows are bound servers.
 *   00000000:1F90 st 0A  0.0.0.0:8080 LISTEN        inode 22222
 *   0100007F:1F90 st 01  127.0.0.1:8080 ESTABLISHED (skipped)
 *   0100007F:C350 st 06  TIME_WAIT                  (skipped)
 *   0100007F:0016 st 0A  127.0.0.1:22 LISTEN        inode 22223
 */
static const char tcp4[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	"   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 22222 1 0000000000000000 100 0 0 10 0\n"
	"   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 33333 1 0000000000000000 20 4 30 10 -1\n"
	"   2: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00001680 00000000     0        0 0 3 0000000000000000\n"
	"   3: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 22223 1 0000000000000000 100 0 0 10 0\n";

/*
 * /proc/net/tcp6:
 *   [::]:443 LISTEN inode 5; [::1]:443 <- [::1]:40000 ESTABLISHED (skipped)
 */
static const char tcp6[] =
	"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	"   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5 1 0000000000000000 100 0 0 10 0\n"
	"   1: 00000000000000000000000001000000:01BB 00000000000000000000000001000000:9C40 01 00000000:00000000 00:00000000 00000000     0        0 6 1 0000000000000000 20 4 30 10 -1\n";

static void test_tcp_listen_only(void **state)
{
	wc_bound b[8];
	(void)state;

	assert_int_equal(parse(tcp4, IPPROTO_TCP, AF_INET, b, 8), 2);
	assert_int_equal(b[0].proto, IPPROTO_TCP);
	assert_addr(&b[0], AF_INET, "0.0.0.0", 8080);
	assert_int_equal(b[0].inode, 22222);
	assert_addr(&b[1], AF_INET, "127.0.0.1", 22);
	assert_int_equal(b[1].inode, 22223);

	assert_int_equal(parse(tcp6, IPPROTO_TCP, AF_INET6, b, 8), 1);
	assert_addr(&b[0], AF_INET6, "::", 443);
	assert_int_equal(b[0].inode, 5);

	/* read as UDP, the state does not matter, but a connected socket (a
	 * remote port) takes one peer's datagrams only: no server's */
	assert_int_equal(parse(tcp4, IPPROTO_UDP, AF_INET, b, 8), 2);
	assert_addr(&b[0], AF_INET, "0.0.0.0", 8080);
	assert_addr(&b[1], AF_INET, "127.0.0.1", 22);
}

static void test_not_a_table(void **state)
{
	wc_bound b[4];
	(void)state;

	/* rows without the header line */
	assert_int_equal(parse(strchr(udp4, '\n') + 1, IPPROTO_UDP, AF_INET, b, 4), -1);
	assert_int_equal(parse("hello\n", IPPROTO_UDP, AF_INET, b, 4), -1);
	assert_int_equal(parse("\n", IPPROTO_UDP, AF_INET, b, 4), -1);
	/* a header alone is an empty table */
	assert_int_equal(parse("  sl  local_address rem_address   st\n", IPPROTO_UDP, AF_INET, b, 4), 0);
	assert_int_equal(parse("  sl  local_address rem_address   st", IPPROTO_UDP, AF_INET, b, 4), 0);
}

/* Rows cut short or garbled are skipped; the good row among them is found. */
static const char garbled[] =
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"\n"
	"  1: 0100007F:2EE0 00000000:0000 07\n"                                                   /* too few fields */
	"  2: 0100007G:2EE0 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2\n"     /* G is not hex */
	"  3: 0100007F-2EE0 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2\n"     /* no ':' */
	"  4: 100007F:2EE0 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2\n"      /* 7 digits */
	"  5: 0100007F:2EE 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 1 2\n"      /* 3-digit port */
	"  6: 00000000000000000000000001000000:2EE0 00000000:0000 07 0:0 0:0 0 0 0 1 2\n"          /* IPv6 in a v4 table */
	"  7: 0100007F:2EE0 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000 0 0 1 2\n"     /* bad state */
	"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n"
	"  8: 0100007F:3039 00000000:0000 07 00000000:00000000 00:00000000 00000000 42 0 4242 2\n" /* good: :12345 */
	"  9: 0100007F:2EE0 00000000:0000 07 00000000:00000000 00:00000000 0000";                  /* cut at the end */

static void test_garbled_rows(void **state)
{
	wc_bound b[8];
	size_t len = strlen(garbled);
	(void)state;

	assert_int_equal(parse(garbled, IPPROTO_UDP, AF_INET, b, 8), 1);
	assert_addr(&b[0], AF_INET, "127.0.0.1", 12345);
	assert_int_equal(b[0].uid, 42);
	assert_int_equal(b[0].inode, 4242);
	/* every cut of the text: no crash, never more than the one good row */
	for (size_t n = 0; n <= len; n++) {
		char *p = guard_copy(garbled, n);
		int got = wc_parse_socket_table(p, n, IPPROTO_UDP, AF_INET, b, 8);
		guard_free(p, n);
		assert_true(got >= -1 && got <= 1);
	}
}

static void test_bound_target(void **state)
{
	wc_bound b;
	wc_addr to;
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&to.ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&to.ss;
	uint8_t loop6[16] = {0};
	(void)state;

	/* 0.0.0.0:12000 -> 127.0.0.1:12000 */
	memset(&b, 0, sizeof(b));
	b.family = AF_INET;
	b.port = 12000;
	wc_bound_target(&b, &to);
	assert_int_equal(in4->sin_family, AF_INET);
	assert_int_equal(to.len, sizeof(struct sockaddr_in));
	assert_int_equal(ntohl(in4->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(ntohs(in4->sin_port), 12000);

	/* 192.168.1.20:53 stays */
	inet_pton(AF_INET, "192.168.1.20", b.addr);
	b.port = 53;
	wc_bound_target(&b, &to);
	assert_int_equal(in4->sin_family, AF_INET);
	assert_memory_equal(&in4->sin_addr, b.addr, 4);
	assert_int_equal(ntohs(in4->sin_port), 53);

	/* [::]:5001 -> [::1]:5001, which a socket bound IPV6_V6ONLY hears too */
	memset(&b, 0, sizeof(b));
	b.family = AF_INET6;
	b.port = 5001;
	wc_bound_target(&b, &to);
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(to.len, sizeof(struct sockaddr_in6));
	assert_memory_equal(&in6->sin6_addr, &in6addr_loopback, 16);
	assert_int_equal(ntohs(in6->sin6_port), 5001);

	/* [::1]:5002 stays IPv6 */
	loop6[15] = 1;
	memcpy(b.addr, loop6, 16);
	b.port = 5002;
	wc_bound_target(&b, &to);
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(to.len, sizeof(struct sockaddr_in6));
	assert_memory_equal(&in6->sin6_addr, loop6, 16);
	assert_int_equal(ntohs(in6->sin6_port), 5002);
}

static void test_bound_str(void **state)
{
	wc_bound b;
	char s[96];
	(void)state;

	memset(&b, 0, sizeof(b));
	b.proto = IPPROTO_UDP;
	b.family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", b.addr);
	b.port = 12000;
	wc_bound_str(&b, s, sizeof(s));
	assert_string_equal(s, "udp 127.0.0.1:12000");
	memset(b.addr, 0, 16);
	b.proto = IPPROTO_TCP;
	b.family = AF_INET6;
	b.port = 80;
	wc_bound_str(&b, s, sizeof(s));
	assert_string_equal(s, "tcp [::]:80");
}

/* ---- live sockets of this process's namespace (sock_diag) ---- */

static int live_socket(int family, int type, const char *ip, int listening, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		assert_int_equal(inet_pton(AF_INET, ip, &((struct sockaddr_in *)&ss)->sin_addr), 1);
	else
		assert_int_equal(inet_pton(AF_INET6, ip, &((struct sockaddr_in6 *)&ss)->sin6_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
	if (listening)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static const wc_bound *find_port(const wc_bound *b, int n, uint16_t port)
{
	for (int i = 0; i < n; i++)
		if (b[i].port == port)
			return &b[i];
	return NULL;
}

static unsigned long inode_of(int fd)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

/* A listening TCP socket and a bound UDP one are found, with their address,
 * owner and inode; a TCP socket that only connects is not; the namespace of a
 * pid (our own here, entered by setns when allowed) gives the same. */
static void test_discover_live(void **state)
{
	wc_bound b[256];
	uint16_t lport, uport, cport;
	int lfd, ufd, cfd, n;
	const wc_bound *f;
	struct sockaddr_in to = {.sin_family = AF_INET};

	(void)state;
	lfd = live_socket(AF_INET, SOCK_STREAM, "127.0.0.1", 1, &lport);
	ufd = live_socket(AF_INET6, SOCK_DGRAM, "::1", 0, &uport);
	cfd = live_socket(AF_INET, SOCK_STREAM, "127.0.0.1", 0, &cport);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(lport);
	assert_int_equal(connect(cfd, (struct sockaddr *)&to, sizeof(to)), 0);

	for (int k = 0; k < 2; k++) {
		pid_t pid = k ? getpid() : 0;
		n = wc_discover(IPPROTO_TCP, pid, b, 256);
		f = find_port(b, n, lport);
		assert_non_null(f);
		assert_addr(f, AF_INET, "127.0.0.1", lport);
		assert_int_equal(f->proto, IPPROTO_TCP);
		assert_int_equal(f->uid, getuid());
		assert_int_equal(f->inode, inode_of(lfd));
		assert_null(find_port(b, n, cport)); /* connected, not listening */
		n = wc_discover(IPPROTO_UDP, pid, b, 256);
		f = find_port(b, n, uport);
		assert_non_null(f);
		assert_addr(f, AF_INET6, "::1", uport);
		assert_int_equal(f->proto, IPPROTO_UDP);
		assert_int_equal(f->inode, inode_of(ufd));
		assert_null(find_port(b, n, lport)); /* TCP, not UDP */
	}
	/* max is kept */
	assert_true(wc_discover(IPPROTO_TCP, 0, b, 1) <= 1);
	close(cfd);
	close(ufd);
	close(lfd);
}

/* What the server's end has not read: the bytes the client sent, less what the
 * server read; over IPv4, IPv6, and IPv4 to a dual-stack [::] listener. */
static void unread_case(int lfamily, const char *lip, int cfamily, const char *cip)
{
	struct sockaddr_storage server, client;
	socklen_t sl = sizeof(server), cl = sizeof(client);
	uint16_t lport, cport;
	int lfd = live_socket(lfamily, SOCK_STREAM, lip, 1, &lport);
	int cfd = socket(cfamily, SOCK_STREAM | SOCK_CLOEXEC, 0), afd;
	char buf[8];

	assert_true(cfd >= 0);
	memset(&server, 0, sizeof(server));
	server.ss_family = (sa_family_t)cfamily;
	if (cfamily == AF_INET) {
		inet_pton(AF_INET, cip, &((struct sockaddr_in *)&server)->sin_addr);
		((struct sockaddr_in *)&server)->sin_port = htons(lport);
		sl = sizeof(struct sockaddr_in);
	} else {
		inet_pton(AF_INET6, cip, &((struct sockaddr_in6 *)&server)->sin6_addr);
		((struct sockaddr_in6 *)&server)->sin6_port = htons(lport);
		sl = sizeof(struct sockaddr_in6);
	}
	assert_int_equal(connect(cfd, (struct sockaddr *)&server, sl), 0);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	sl = sizeof(server);
	assert_int_equal(getpeername(cfd, (struct sockaddr *)&server, &sl), 0);
	assert_int_equal(getsockname(cfd, (struct sockaddr *)&client, &cl), 0);
	(void)cport;

	assert_int_equal(wc_tcp_unread(0, &server, &client), 0);
	assert_int_equal(send(cfd, "hello", 5, 0), 5); /* loopback: queued before send returns */
	assert_int_equal(wc_tcp_unread(0, &server, &client), 5);
	assert_int_equal(wc_tcp_unread(getpid(), &server, &client), 5);
	assert_int_equal(recv(afd, buf, 2, 0), 2);
	assert_int_equal(wc_tcp_unread(0, &server, &client), 3);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), 3);
	assert_int_equal(wc_tcp_unread(0, &server, &client), 0);
	/* the client's own end is another socket: what it has not read */
	assert_int_equal(send(afd, "ab", 2, 0), 2);
	assert_int_equal(wc_tcp_unread(0, &client, &server), 2);
	close(afd);
	close(cfd);
	close(lfd);
	/* gone: no such socket (a closed connection's TIME_WAIT has no queue) */
	assert_true(wc_tcp_unread(0, &server, &client) <= 0);
}

static void test_unread_live(void **state)
{
	struct sockaddr_storage a, b;

	(void)state;
	unread_case(AF_INET, "127.0.0.1", AF_INET, "127.0.0.1");
	unread_case(AF_INET6, "::1", AF_INET6, "::1");
	unread_case(AF_INET6, "::", AF_INET, "127.0.0.1");
	/* no connection on these ends; families that differ */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.ss_family = b.ss_family = AF_INET;
	((struct sockaddr_in *)&a)->sin_addr.s_addr = ((struct sockaddr_in *)&b)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	((struct sockaddr_in *)&a)->sin_port = htons(1);
	((struct sockaddr_in *)&b)->sin_port = htons(2);
	assert_int_equal(wc_tcp_unread(0, &a, &b), -1);
	b.ss_family = AF_INET6;
	assert_int_equal(wc_tcp_unread(0, &a, &b), -1);
}

/* The server's end of a connection as sock_diag shows it: open, with bytes
 * unread, closed by the server (its FIN sent: FIN_WAIT1 until the client's
 * kernel acknowledges it, then FIN_WAIT2), and gone after a close with bytes
 * unread (a reset). */
static void test_tcp_end_live(void **state)
{
	struct sockaddr_storage server, client;
	socklen_t sl = sizeof(server), cl = sizeof(client);
	uint16_t lport;
	int lfd = live_socket(AF_INET, SOCK_STREAM, "127.0.0.1", 1, &lport);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(lport),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	wc_tcp_end end;
	char buf[8];

	(void)state;
	for (int round = 0; round < 2; round++) {
		int cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), afd;

		assert_true(cfd >= 0);
		assert_int_equal(connect(cfd, (struct sockaddr *)&to, sizeof(to)), 0);
		afd = accept(lfd, NULL, NULL);
		assert_true(afd >= 0);
		sl = sizeof(server);
		cl = sizeof(client);
		assert_int_equal(getpeername(cfd, (struct sockaddr *)&server, &sl), 0);
		assert_int_equal(getsockname(cfd, (struct sockaddr *)&client, &cl), 0);
		assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 1);
		assert_int_equal(end.state, TCP_ESTABLISHED);
		assert_int_equal(end.rqueue, 0);
		assert_int_equal(end.wqueue, 0);
		assert_int_equal(send(cfd, "hey", 3, 0), 3);
		assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 1);
		assert_int_equal(end.rqueue, 3);
		assert_int_equal(end.notsent, 0);
		if (round == 0) {
			int on = 1, off = 0;
			wc_tcp_pending pend;

			assert_int_equal(recv(afd, buf, sizeof(buf), 0), 3);
			/* held back (corked, as Nagle's algorithm holds a small write):
			 * written, not sent, on both the connection's and the port's count */
			assert_int_equal(setsockopt(afd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on)), 0);
			assert_int_equal(send(afd, "abc", 3, 0), 3);
			assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 1);
			assert_int_equal(end.notsent, 3);
			assert_int_equal(end.wqueue, 3);
			assert_int_equal(wc_tcp_port_pending(lport, &pend), 0);
			assert_int_equal(pend.unsent, 3);
			assert_true(pend.unacked >= 3);
			assert_int_equal(setsockopt(afd, IPPROTO_TCP, TCP_CORK, &off, sizeof(off)), 0);
			assert_int_equal(recv(cfd, buf, sizeof(buf), 0), 3); /* uncorked: sent */
			assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 1);
			assert_int_equal(end.notsent, 0);
			assert_int_equal(wc_tcp_port_pending(lport, &pend), 0);
			assert_int_equal(pend.unsent, 0);
			close(afd);
			assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 1);
			assert_true(end.state == TCP_FIN_WAIT1 || end.state == TCP_FIN_WAIT2);
			assert_int_equal(recv(cfd, buf, sizeof(buf), 0), 0); /* the FIN is in */
		} else {
			close(afd); /* unread: a reset, and the socket is gone */
			assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), 0);
			assert_int_equal(recv(cfd, buf, sizeof(buf), 0), -1);
			assert_int_equal(errno, ECONNRESET);
		}
		close(cfd);
	}
	close(lfd);
	/* families that differ: not asked */
	client.ss_family = AF_INET6;
	assert_int_equal(wc_tcp_end_of(0, &server, &client, &end), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp4),
		cmocka_unit_test(test_udp6),
		cmocka_unit_test(test_tcp_listen_only),
		cmocka_unit_test(test_not_a_table),
		cmocka_unit_test(test_garbled_rows),
		cmocka_unit_test(test_bound_target),
		cmocka_unit_test(test_bound_str),
		cmocka_unit_test(test_discover_live),
		cmocka_unit_test(test_unread_live),
		cmocka_unit_test(test_tcp_end_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
