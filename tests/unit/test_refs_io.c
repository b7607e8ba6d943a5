/* test_refs_io.c - the reference programs' I/O pieces: addresses and sockets, signals, accepting, log lines, prompts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "prompt.h"
#include "server.h"
#include "sock.h"
#include "tcpserv.h"

/* ---- what a piece writes on a descriptor (stderr, stdout), caught in a file ---- */

struct catch {
	int fd, saved;
	FILE *f;
};

static void catch_begin(struct catch *c, int fd)
{
	fflush(NULL);
	c->fd = fd;
	c->f = tmpfile();
	assert_non_null(c->f);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->f), fd) >= 0);
}

/* Ends the catch; buf gets what was written (NUL-ended, cut to n - 1 bytes). */
static const char *catch_end(struct catch *c, char *buf, size_t n)
{
	size_t got;

	fflush(NULL);
	dup2(c->saved, c->fd);
	close(c->saved);
	rewind(c->f);
	got = fread(buf, 1, n - 1, c->f);
	buf[got] = 0;
	fclose(c->f);
	return buf;
}

/* Runs fn in a child process (so that signal handlers, limits and namespaces it
 * sets stay there), in a fresh network namespace with only a loopback that is
 * down when netns. fn says what failed on stderr and returns non-zero. Skips
 * the test when no namespace can be made (not root, no user namespaces). */
static void in_child(int (*fn)(void), int netns)
{
	pid_t pid;
	int st;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30); /* a test that waits for what never comes fails, and does not hang */
		if (netns && unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			exit(77);
		exit(fn()); /* exit(), not _exit(): coverage data are written at exit */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		skip();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("the child process failed (status 0x%x); its reasons are above", st);
}

/* In a child: says what failed and counts it. */
static int child_failures;
#define EXPECT(cond)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond);      \
			child_failures++;                                                        \
		}                                                                            \
	} while (0)
#define EXPECT_STR(got, want)                                                                          \
	do {                                                                                               \
		if (strcmp((got), (want))) {                                                                   \
			fprintf(stderr, "%s:%d: got '%s', expected '%s'\n", __FILE__, __LINE__, (got), (want));    \
			child_failures++;                                                                          \
		}                                                                                              \
	} while (0)

/* ---- sock.c ---- */

static void test_parse_port(void **state)
{
	const char *bad[] = {NULL, "", "-1", "+1", "65536", "12a", " 1", "99999999999999999999999"};
	uint16_t p = 9;
	(void)state;

	assert_int_equal(wc_parse_port("0", &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(wc_parse_port("65535", &p), 0);
	assert_int_equal(p, 65535);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		p = 9;
		if (wc_parse_port(bad[i], &p) != -1 || p != 0)
			fail_msg("'%s' taken as port %u", bad[i] ? bad[i] : "(null)", p);
	}
}

static void test_addr_parse_and_format(void **state)
{
	char err[WC_ERRLEN] = "", s[80];
	wc_addr a;
	(void)state;

	assert_int_equal(wc_addr_parse("", 80, &a, err, sizeof(err)), 0);
	wc_addr_str(&a, s, sizeof(s));
	assert_string_equal(s, "0.0.0.0:80");
	assert_int_equal(wc_addr_parse("*", 1, &a, err, sizeof(err)), 0);
	assert_int_equal(a.len, sizeof(struct sockaddr_in));
	assert_int_equal(wc_addr_parse(NULL, 2, &a, err, sizeof(err)), 0);
	assert_int_equal(a.ss.ss_family, AF_INET);
	assert_int_equal(wc_addr_parse("192.0.2.7", 53, &a, err, sizeof(err)), 0);
	wc_addr_str(&a, s, sizeof(s));
	assert_string_equal(s, "192.0.2.7:53");
	assert_int_equal(wc_addr_parse("::1", 53, &a, err, sizeof(err)), 0);
	assert_int_equal(a.len, sizeof(struct sockaddr_in6));
	wc_addr_str(&a, s, sizeof(s));
	assert_string_equal(s, "[::1]:53");
	wc_addr_set_port(&a, 65535);
	assert_int_equal(wc_addr_port(&a), 65535);
	wc_addr_str(&a, s, sizeof(s));
	assert_string_equal(s, "[::1]:65535");
	/* a name, from /etc/hosts: either family, the port set */
	assert_int_equal(wc_addr_parse("localhost", 7, &a, err, sizeof(err)), 0);
	assert_true(a.ss.ss_family == AF_INET || a.ss.ss_family == AF_INET6);
	assert_int_equal(wc_addr_port(&a), 7);
	wc_addr_set_port(&a, 8);
	wc_addr_str(&a, s, sizeof(s));
	assert_true(!strcmp(s, "127.0.0.1:8") || !strcmp(s, "[::1]:8"));
}

/* A name that resolves nowhere: in a namespace without network, at once. */
static int child_unresolvable(void)
{
	char err[WC_ERRLEN] = "";
	wc_addr a;

	EXPECT(wc_addr_parse("no-such-host.invalid", 1, &a, err, sizeof(err)) == -1);
	EXPECT(!strncmp(err, "cannot resolve 'no-such-host.invalid': ", 39));
	return child_failures;
}

static void test_addr_unresolvable(void **state)
{
	(void)state;
	in_child(child_unresolvable, 1);
}

/* A free TCP port on 127.0.0.1: bound, then closed. */
static uint16_t closed_port(void)
{
	char err[WC_ERRLEN];
	wc_addr a;
	int fd;

	assert_int_equal(wc_addr_parse("127.0.0.1", 0, &a, err, sizeof(err)), 0);
	fd = wc_tcp_listen(&a, 1, err, sizeof(err));
	assert_true(fd >= 0);
	a.len = sizeof(a.ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a.ss, &a.len), 0);
	close(fd);
	return wc_addr_port(&a);
}

/* The address fd is bound to. */
static wc_addr bound_addr(int fd)
{
	wc_addr a;

	memset(&a, 0, sizeof(a));
	a.len = sizeof(a.ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a.ss, &a.len), 0);
	return a;
}

static void test_tcp_connect(void **state)
{
	char err[WC_ERRLEN] = "", want[WC_ERRLEN];
	wc_addr a, b;
	int lfd, fd, afd;
	(void)state;

	assert_int_equal(wc_addr_parse("127.0.0.1", 0, &a, err, sizeof(err)), 0);
	lfd = wc_tcp_listen(&a, 4, err, sizeof(err));
	assert_true(lfd >= 0);
	assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	b = bound_addr(lfd);
	/* blocking, then with a timeout: both connect, the second left non-blocking */
	fd = wc_tcp_connect(&b, err, sizeof(err));
	assert_true(fd >= 0);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	fd = wc_tcp_connect_timeout(&b, 1000, err, sizeof(err));
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(wc_set_nonblock(fd, 0, err, sizeof(err)), 0);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(wc_set_nonblock(fd, 1, err, sizeof(err)), 0);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	afd = accept(lfd, NULL, NULL);
	assert_true(afd >= 0);
	assert_int_equal(wc_write_all(afd, "hello", 5), 0);
	close(afd);
	close(fd);
	close(lfd);

	/* nobody listening: refused, said with the address */
	wc_addr_set_port(&b, closed_port());
	assert_int_equal(wc_tcp_connect(&b, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "connect 127.0.0.1:%u: Connection refused", wc_addr_port(&b));
	assert_string_equal(err, want);
	assert_int_equal(wc_tcp_connect_timeout(&b, 1000, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot connect to 127.0.0.1:%u: Connection refused", wc_addr_port(&b));
	assert_string_equal(err, want);

	assert_int_equal(wc_set_nonblock(-1, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "fcntl O_NONBLOCK: Bad file descriptor");
}

/* A server whose queue of connections is full drops the SYN: no answer. */
static void test_tcp_connect_timeout(void **state)
{
	char err[WC_ERRLEN] = "", want[WC_ERRLEN];
	wc_addr a;
	int lfd, fds[4], n = 0, fd;
	(void)state;

	assert_int_equal(wc_addr_parse("127.0.0.1", 0, &a, err, sizeof(err)), 0);
	lfd = wc_tcp_listen(&a, 0, err, sizeof(err));
	assert_true(lfd >= 0);
	a = bound_addr(lfd);
	/* fill the queue: connections that complete and are never accepted */
	while (n < 4 && (fd = wc_tcp_connect_timeout(&a, 300, err, sizeof(err))) >= 0)
		fds[n++] = fd;
	assert_true(n >= 1 && n < 4);
	snprintf(want, sizeof(want), "cannot connect to 127.0.0.1:%u: no answer within 300 ms", wc_addr_port(&a));
	assert_string_equal(err, want);
	while (n > 0)
		close(fds[--n]);
	close(lfd);
}

/* No route at all (the namespace's loopback is down): refused by connect() itself. */
static int child_unreachable(void)
{
	char err[WC_ERRLEN] = "";
	wc_addr a;

	wc_addr_parse("127.0.0.1", 9, &a, err, sizeof(err));
	EXPECT(wc_tcp_connect_timeout(&a, 1000, err, sizeof(err)) == -1);
	EXPECT_STR(err, "cannot connect to 127.0.0.1:9: Network is unreachable");
	return child_failures;
}

static void test_tcp_connect_unreachable(void **state)
{
	(void)state;
	in_child(child_unreachable, 1);
}

static void test_socket_errors(void **state)
{
	char err[WC_ERRLEN] = "";
	wc_addr a, bogus;
	int fds[2];
	(void)state;

	/* an address of no family the system knows */
	memset(&bogus, 0, sizeof(bogus));
	bogus.ss.ss_family = AF_MAX + 1;
	bogus.len = sizeof(bogus.ss);
	assert_int_equal(wc_udp_socket(&bogus, err, sizeof(err)), -1);
	assert_string_equal(err, "socket: Address family not supported by protocol");
	err[0] = 0;
	assert_int_equal(wc_tcp_connect(&bogus, err, sizeof(err)), -1);
	assert_string_equal(err, "socket: Address family not supported by protocol");
	err[0] = 0;
	assert_int_equal(wc_tcp_connect_timeout(&bogus, 10, err, sizeof(err)), -1);
	assert_string_equal(err, "socket: Address family not supported by protocol");
	/* an address this machine does not have */
	assert_int_equal(wc_addr_parse("192.0.2.1", 5, &a, err, sizeof(err)), 0);
	assert_int_equal(wc_udp_socket(&a, err, sizeof(err)), -1);
	assert_string_equal(err, "bind 192.0.2.1:5: Cannot assign requested address");
	assert_int_equal(wc_tcp_listen(&a, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "bind 192.0.2.1:5: Cannot assign requested address");
	assert_int_equal(wc_tcp_server_socket(&a, err, sizeof(err)), -1);
	assert_string_equal(err, "bind 192.0.2.1:5: Cannot assign requested address");
	/* unbound: an IPv4 socket all the same */
	fds[0] = wc_udp_socket(NULL, err, sizeof(err));
	assert_true(fds[0] >= 0);
	a = bound_addr(fds[0]);
	assert_int_equal(a.ss.ss_family, AF_INET);
	close(fds[0]);
	/* a write to a pipe nobody reads: -1, EPIPE (SIGPIPE ignored here) */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(wc_write_all(fds[1], "abc", 3), 0);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(wc_write_all(fds[1], "abc", 3), -1);
	assert_int_equal(errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(fds[1]);
}

static int have_ipv6(void)
{
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);

	if (fd < 0)
		return 0;
	close(fd);
	return access("/proc/net/if_inet6", R_OK) == 0;
}

/* "::" serves IPv4 too: a UDP datagram and a TCP connection from 127.0.0.1. */
static void test_dual_stack_servers(void **state)
{
	char err[WC_ERRLEN] = "", buf[16], name[80];
	wc_addr any, a, to, from;
	int u, t, c, k;
	(void)state;

	if (!have_ipv6())
		skip();
	assert_int_equal(wc_addr_parse("::", 0, &any, err, sizeof(err)), 0);
	u = wc_udp_server_socket(&any, err, sizeof(err));
	assert_true(u >= 0);
	assert_true(fcntl(u, F_GETFD) & FD_CLOEXEC);
	a = bound_addr(u);
	assert_int_equal(a.ss.ss_family, AF_INET6);
	assert_int_equal(wc_addr_parse("127.0.0.1", wc_addr_port(&a), &to, err, sizeof(err)), 0);
	c = wc_udp_socket(NULL, err, sizeof(err));
	assert_true(c >= 0);
	assert_int_equal(sendto(c, "hi", 2, 0, (struct sockaddr *)&to.ss, to.len), 2);
	memset(&from, 0, sizeof(from));
	from.len = sizeof(from.ss);
	assert_int_equal(recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from.ss, &from.len), 2);
	assert_memory_equal(buf, "hi", 2);
	wc_addr_str(&from, name, sizeof(name));
	assert_true(!strncmp(name, "[::ffff:127.0.0.1]:", 19));
	close(c);
	close(u);

	t = wc_tcp_server_socket(&any, err, sizeof(err));
	assert_true(t >= 0);
	assert_true(fcntl(t, F_GETFL) & O_NONBLOCK);
	assert_int_equal(accept(t, NULL, NULL), -1); /* non-blocking: nobody yet */
	assert_int_equal(errno, EAGAIN);
	a = bound_addr(t);
	wc_addr_set_port(&to, wc_addr_port(&a));
	c = wc_tcp_connect(&to, err, sizeof(err));
	assert_true(c >= 0);
	struct pollfd p = {.fd = t, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 2000), 1);
	k = accept(t, NULL, NULL);
	assert_true(k >= 0);
	close(k);
	close(c);
	close(t);
}

/* ---- log.c ---- */

static void test_log_lines(void **state)
{
	char out[4096], big[2000];
	struct catch c;
	(void)state;

	catch_begin(&c, STDERR_FILENO);
	wc_log_init("prog", 0);
	wc_log("hello %d", 5);
	wc_log_detail("not shown %d", 1);
	wc_log_chunk((const uint8_t *)"ab", 2, "1.2.3.4:5");
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "prog: hello 5\n");
	assert_false(wc_log_verbose());

	catch_begin(&c, STDERR_FILENO);
	wc_log_init("prog", 1);
	wc_log_detail("shown %d", 2);
	wc_log_chunk((const uint8_t *)"a\"b\n", 4, "[::1]:7");
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "prog: shown 2\nprog: 4 bytes from [::1]:7: \"a\\\"b\\n\"\n");
	assert_true(wc_log_verbose());

	/* a long message: cut, the line still whole, 1024 bytes with its '\n' */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	catch_begin(&c, STDERR_FILENO);
	wc_log("%s", big);
	catch_end(&c, out, sizeof(out));
	assert_int_equal(strlen(out), 1023);
	assert_true(!strncmp(out, "prog: xxx", 9));
	assert_int_equal(out[1021], 'x');
	assert_int_equal(out[1022], '\n');
	wc_log_init("?", 0);
}

static void test_errlog_holds_back(void **state)
{
	wc_errlog l = {0};
	struct catch c;
	char out[4096];
	(void)state;

	catch_begin(&c, STDERR_FILENO);
	wc_log_init("srv", 0);
	wc_errlog_say(&l, "accept: %s", "first");
	wc_errlog_say(&l, "accept: %s", "second"); /* within the second: held */
	wc_errlog_say(&l, "accept: %s", "third");
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "srv: accept: first\n");
	assert_int_equal(l.held, 2);

	/* a second later: logged, with the count of those held back */
	l.last.tv_sec -= 1;
	catch_begin(&c, STDERR_FILENO);
	wc_errlog_say(&l, "accept: %s", "fourth");
	wc_errlog_say(&l, "accept: %s", "fifth");
	wc_server_ending(&l);
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "srv: accept: fourth (and 2 earlier errors not shown)\nsrv: 1 more errors not shown\n");
	assert_int_equal(l.held, 1);

	/* under --verbose every one is logged */
	memset(&l, 0, sizeof(l));
	catch_begin(&c, STDERR_FILENO);
	wc_log_init("srv", 1);
	wc_errlog_say(&l, "e%d", 1);
	wc_errlog_say(&l, "e%d", 2);
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "srv: e1\nsrv: e2\n");
	assert_int_equal(l.held, 0);
	wc_log_init("?", 0);
}

/* ---- server.c ---- */

static int child_signals(void)
{
	char err[WC_ERRLEN] = "", out[1024];
	struct timespec ts = {.tv_sec = 5};
	struct catch c;
	sigset_t waitmask;
	wc_errlog l = {0};
	int fds[2];
	pid_t kid;

	EXPECT(wc_server_signals(&waitmask, WC_SIG_CHILD | WC_SIG_PIPE_IGNORE, err, sizeof(err)) == 0);
	/* SIGTERM is held back until the wait, which it then ends */
	raise(SIGTERM);
	EXPECT(wc_stop_signal == 0);
	EXPECT(ppoll(NULL, 0, &ts, &waitmask) == -1 && errno == EINTR);
	EXPECT(wc_stop_signal == SIGTERM);
	/* a child's end wakes the wait and stops nothing */
	wc_stop_signal = 0;
	kid = fork();
	if (kid == 0)
		_exit(0);
	EXPECT(ppoll(NULL, 0, &ts, &waitmask) == -1 && errno == EINTR);
	EXPECT(wc_stop_signal == 0);
	EXPECT(waitpid(kid, NULL, 0) == kid);
	/* SIGPIPE ignored: a write to a pipe nobody reads fails, nothing dies */
	EXPECT(pipe(fds) == 0);
	close(fds[0]);
	EXPECT(write(fds[1], "x", 1) == -1 && errno == EPIPE);
	close(fds[1]);
	/* SIGINT too, then the last lines say which signal */
	raise(SIGINT);
	EXPECT(ppoll(NULL, 0, &ts, &waitmask) == -1 && errno == EINTR);
	EXPECT(wc_stop_signal == SIGINT);
	catch_begin(&c, STDERR_FILENO);
	wc_log_init("srv", 1);
	l.held = 3;
	wc_server_ending(&l);
	catch_end(&c, out, sizeof(out));
	EXPECT_STR(out, "srv: 3 more errors not shown\nsrv: signal 2 (Interrupt), exiting\n");
	return child_failures;
}

static void test_server_signals(void **state)
{
	(void)state;
	in_child(child_signals, 0);
}

static int child_server_start(void)
{
	wc_serve_opts o = {.bind = "127.0.0.1", .port = 0, .verbose = 1};
	char err[WC_ERRLEN] = "", out[1024], want[128];
	struct catch c;
	sigset_t waitmask;
	wc_addr a;
	int fd;

	EXPECT(wc_server_start("srv", &o, 0, &a, &waitmask, err, sizeof(err)) == 0);
	fd = wc_udp_server_socket(&a, err, sizeof(err));
	EXPECT(fd >= 0);
	catch_begin(&c, STDERR_FILENO);
	EXPECT(wc_server_listening(fd, err, sizeof(err)) == 0);
	catch_end(&c, out, sizeof(out));
	a = bound_addr(fd);
	snprintf(want, sizeof(want), "srv: listening on 127.0.0.1:%u\n", wc_addr_port(&a));
	EXPECT_STR(out, want);
	EXPECT(wc_server_listening(-1, err, sizeof(err)) == -1);
	EXPECT_STR(err, "getsockname: Bad file descriptor");
	close(fd);
	/* quiet without --verbose */
	wc_log_init("srv", 0);
	EXPECT(wc_server_listening(-1, err, sizeof(err)) == 0);
	/* an address that is no address */
	o.bind = "no-such-host.invalid";
	EXPECT(wc_server_start("srv", &o, 0, &a, &waitmask, err, sizeof(err)) == -1);
	EXPECT(!strncmp(err, "cannot resolve 'no-such-host.invalid'", 37));
	return child_failures;
}

static void test_server_start(void **state)
{
	(void)state;
	in_child(child_server_start, 1);
}

/* ---- tcpserv.c ---- */

/* Test clients: plain wc_client, or none at all (as when out of memory). */
static int refuse_clients;
static wc_client *t_open(int fd, const wc_addr *peer, void *arg)
{
	wc_client *c;

	(void)arg;
	if (refuse_clients)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c)
		wc_client_init(c, fd, peer);
	return c;
}
static void t_read(wc_client *c, uint8_t *buf)
{
	(void)c;
	(void)buf;
}
static void t_free(wc_client *c)
{
	free(c);
}
static const wc_client_ops t_ops = {.open = t_open, .read = t_read, .free = t_free};

/* Starts a test server on 127.0.0.1, a free port; *to gets its address. */
static int t_start(wc_tcpserv *s, int verbose, wc_addr *to)
{
	wc_serve_opts o = {.bind = "127.0.0.1", .port = 0, .verbose = verbose};
	char err[WC_ERRLEN] = "";

	if (wc_tcpserv_start(s, "srv", &o, WC_SIG_PIPE_IGNORE, &t_ops, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "wc_tcpserv_start: %s\n", err);
		return -1;
	}
	*to = bound_addr(s->fd);
	return 0;
}

/* A client of *to (blocking); -1 on failure. */
static int t_connect(const wc_addr *to)
{
	char err[WC_ERRLEN];

	return wc_tcp_connect(to, err, sizeof(err));
}

/* Connects to *to (the socket in *fd) and takes that client, with what the
 * server logs in log[0..n); NULL after saying why. */
static wc_client *t_take(wc_tcpserv *s, const wc_addr *to, int *fd, char *log, size_t n)
{
	char err[WC_ERRLEN] = "";
	struct catch c;
	wc_client *cl;

	*fd = t_connect(to);
	EXPECT(*fd >= 0);
	EXPECT(wc_tcpserv_wait(s, err, sizeof(err)) == 1);
	catch_begin(&c, STDERR_FILENO);
	cl = wc_tcpserv_take(s);
	catch_end(&c, log, n);
	EXPECT(cl != NULL);
	return cl;
}

/* Non-zero once fd reads its end (or a reset) within 2 s. */
static int sees_end(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char b[16];

	return poll(&p, 1, 2000) == 1 && recv(fd, b, sizeof(b), 0) <= 0;
}

/* Accepting, a client turned away when out of memory, and the states of a
 * connection the peer resets or fills with input never read. */
static int child_tcpserv_take(void)
{
	char out[4096], want[256], name[80], buf[WC_CHUNK];
	struct linger hard = {.l_onoff = 1, .l_linger = 0};
	struct rlimit rl;
	struct catch c;
	wc_tcpserv s;
	wc_client *cl;
	wc_addr to;
	char err[WC_ERRLEN];
	int fd;

	/* the soft limit of open files is raised to the hard one */
	EXPECT(getrlimit(RLIMIT_NOFILE, &rl) == 0);
	rl.rlim_cur = rl.rlim_max > 512 ? 512 : rl.rlim_max;
	EXPECT(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	catch_begin(&c, STDERR_FILENO);
	if (t_start(&s, 1, &to) < 0)
		return 1;
	catch_end(&c, out, sizeof(out));
	snprintf(want, sizeof(want), "srv: listening on 127.0.0.1:%u\n", wc_addr_port(&to));
	EXPECT_STR(out, want);
	EXPECT(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == rl.rlim_max);

	EXPECT(wc_tcpserv_take(&s) == NULL); /* nobody yet */
	cl = t_take(&s, &to, &fd, out, sizeof(out));
	if (!cl)
		return 1;
	snprintf(name, sizeof(name), "%s", cl->name);
	snprintf(want, sizeof(want), "srv: connection from %s\n", name);
	EXPECT_STR(out, want);
	/* input the server never read is read and dropped before the close */
	EXPECT(write(fd, "unread", 6) == 6);
	usleep(50000);
	wc_client_stopping(cl);
	catch_begin(&c, STDERR_FILENO);
	wc_tcpserv_end(&s, cl, (uint8_t *)buf);
	catch_end(&c, out, sizeof(out));
	snprintf(want, sizeof(want), "srv: 6 bytes from %s: \"unread\"\nsrv: connection from %s closed: server stopping\n",
		 name, name);
	EXPECT_STR(out, want);
	EXPECT(sees_end(fd));
	close(fd);

	/* a peer that resets: the client is dead, and says why */
	cl = t_take(&s, &to, &fd, out, sizeof(out));
	if (!cl)
		return 1;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
	close(fd);
	usleep(50000);
	EXPECT(wc_client_recv(cl, (uint8_t *)buf) == 0);
	EXPECT(cl->dead);
	EXPECT_STR(cl->why, "recv: Connection reset by peer");
	wc_client_stopping(cl); /* dead already: keeps its reason */
	EXPECT_STR(cl->why, "recv: Connection reset by peer");
	catch_begin(&c, STDERR_FILENO);
	wc_tcpserv_end(&s, cl, (uint8_t *)buf);
	catch_end(&c, out, sizeof(out));
	EXPECT(strstr(out, " closed: recv: Connection reset by peer\n") != NULL);

	/* out of memory for a client: logged, closed, the next one taken */
	refuse_clients = 1;
	fd = t_connect(&to);
	EXPECT(wc_tcpserv_wait(&s, err, sizeof(err)) == 1);
	catch_begin(&c, STDERR_FILENO);
	EXPECT(wc_tcpserv_take(&s) == NULL);
	catch_end(&c, out, sizeof(out));
	EXPECT(!strncmp(out, "srv: cannot serve 127.0.0.1:", 28) && strstr(out, ": out of memory\n"));
	EXPECT(sees_end(fd));
	close(fd);
	refuse_clients = 0;
	wc_tcpserv_close(&s);
	EXPECT(s.fd == -1 && s.spare == -1);
	return child_failures;
}

static void test_tcpserv_take(void **state)
{
	(void)state;
	in_child(child_tcpserv_take, 0);
}

/* Sets the limit of open files to the lowest free descriptor: none left. */
static void no_descriptors_left(void)
{
	struct rlimit rl;
	int fd = dup(0);

	close(fd);
	rl.rlim_cur = rl.rlim_max = (rlim_t)fd;
	EXPECT(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	EXPECT(dup(0) == -1 && errno == EMFILE);
}

/* Out of descriptors: the spare one is given up to take the client and close it;
 * without a spare, accepting pauses for a while. */
static int child_tcpserv_emfile(void)
{
	char out[4096], err[WC_ERRLEN];
	struct timespec t0, t1;
	struct catch c;
	wc_tcpserv s;
	wc_addr to;
	int fd1, fd2, rc;

	if (t_start(&s, 0, &to) < 0)
		return 1;
	fd1 = t_connect(&to);
	fd2 = t_connect(&to);
	catch_begin(&c, STDERR_FILENO); /* the catch's file and copy: taken before the limit */
	no_descriptors_left();
	EXPECT(wc_tcpserv_wait(&s, err, sizeof(err)) == 1);
	EXPECT(wc_tcpserv_take(&s) == NULL);
	EXPECT(s.spare >= 0);
	EXPECT(!s.paused);
	/* a second error within the second: held back */
	close(s.spare);
	s.spare = -1;
	no_descriptors_left();
	EXPECT(wc_tcpserv_take(&s) == NULL);
	EXPECT(s.paused);
	EXPECT(s.log.held == 1);
	wc_server_ending(&s.log);
	/* paused: the wait ends when the pause does, and nothing is taken before */
	wc_clock_now(&t0);
	rc = wc_tcpserv_wait(&s, err, sizeof(err));
	wc_clock_now(&t1);
	EXPECT(rc == 0);
	EXPECT(wc_clock_ms_until(&t0, &t1) >= 90);
	EXPECT(wc_tcpserv_wait(&s, err, sizeof(err)) == 1); /* the second client still waits */
	EXPECT(!s.paused);
	catch_end(&c, out, sizeof(out));
	EXPECT_STR(out, "srv: accept: Too many open files; a client was turned away\nsrv: 1 more errors not shown\n");
	EXPECT(sees_end(fd1)); /* turned away */
	close(fd1);
	close(fd2);
	wc_tcpserv_close(&s);
	return child_failures;
}

static void test_tcpserv_emfile(void **state)
{
	(void)state;
	in_child(child_tcpserv_emfile, 0);
}

/* ---- prompt.c ---- */

/* Makes standard input read the file of text. */
static void stdin_from(const char *text)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fputs(text, f);
	fflush(f);
	assert_true(dup2(fileno(f), STDIN_FILENO) >= 0);
	fclose(f);
	lseek(STDIN_FILENO, 0, SEEK_SET);
	clearerr(stdin);
}

static void test_prompt_lines(void **state)
{
	char *line = NULL, prompt[80], out[256], name[101];
	size_t cap = 0;
	struct catch c;
	int saved = dup(STDIN_FILENO), fd;
	(void)state;

	stdin_from("one\r\ntwo\n\nthree");
	catch_begin(&c, STDOUT_FILENO);
	/* the length leaves out the line end: "\r\n" or "\n" */
	assert_int_equal(wc_prompt_line(NULL, &line, &cap), 3);
	assert_memory_equal(line, "one", 3);
	assert_int_equal(wc_prompt_line("> ", &line, &cap), 3);
	assert_memory_equal(line, "two", 3);
	assert_int_equal(wc_prompt_next("cl", "> ", 0, &line, &cap), 0); /* an empty line */
	assert_int_equal(wc_prompt_next("cl", NULL, 0, &line, &cap), 5);
	assert_memory_equal(line, "three", 5);
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "> > ");
	/* the end of input: fine, or not */
	assert_int_equal(wc_prompt_next("cl", NULL, 1, &line, &cap), -1);
	catch_begin(&c, STDERR_FILENO);
	assert_int_equal(wc_prompt_next("cl", NULL, 0, &line, &cap), -2);
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "cl: no input line to send\n");

	/* a read error: standard input is a folder */
	fd = open("/", O_RDONLY | O_DIRECTORY);
	assert_true(dup2(fd, STDIN_FILENO) >= 0);
	close(fd);
	clearerr(stdin);
	catch_begin(&c, STDERR_FILENO);
	assert_int_equal(wc_prompt_next("cl", NULL, 1, &line, &cap), -2);
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "cl: read standard input: Is a directory\n");

	/* the name shapes the prompt, cut to 64 bytes */
	memset(name, 'n', 100);
	name[100] = 0;
	snprintf(out, sizeof(out), "Bea\n%s\n", name);
	stdin_from(out);
	catch_begin(&c, STDOUT_FILENO);
	assert_int_equal(wc_prompt_name(prompt, sizeof(prompt), &line, &cap), 0);
	assert_string_equal(prompt, "Bea> ");
	assert_int_equal(wc_prompt_name(prompt, sizeof(prompt), &line, &cap), 0);
	assert_int_equal(strlen(prompt), 66);
	assert_int_equal(wc_prompt_name(prompt, sizeof(prompt), &line, &cap), -1); /* no name */
	catch_end(&c, out, sizeof(out));
	assert_string_equal(out, "Enter your name: Enter your name: Enter your name: ");
	free(line);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
}

static int child_prompt_flush(void)
{
	char out[256];
	struct catch c;

	EXPECT(wc_prompt_flush("cl") == 0);
	fflush(stdout);
	EXPECT(dup2(open("/dev/full", O_WRONLY), STDOUT_FILENO) >= 0);
	catch_begin(&c, STDERR_FILENO); /* flushes all: before the reply is written */
	fputs("reply", stdout);
	EXPECT(wc_prompt_flush("cl") == -1);
	catch_end(&c, out, sizeof(out));
	EXPECT_STR(out, "cl: write standard output: No space left on device\n");
	return child_failures;
}

static void test_prompt_flush(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) < 0)
		skip();
	in_child(child_prompt_flush, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_port),
		cmocka_unit_test(test_addr_parse_and_format),
		cmocka_unit_test(test_addr_unresolvable),
		cmocka_unit_test(test_tcp_connect),
		cmocka_unit_test(test_tcp_connect_timeout),
		cmocka_unit_test(test_tcp_connect_unreachable),
		cmocka_unit_test(test_socket_errors),
		cmocka_unit_test(test_dual_stack_servers),
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_errlog_holds_back),
		cmocka_unit_test(test_server_signals),
		cmocka_unit_test(test_server_start),
		cmocka_unit_test(test_tcpserv_take),
		cmocka_unit_test(test_tcpserv_emfile),
		cmocka_unit_test(test_prompt_lines),
		cmocka_unit_test(test_prompt_flush),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
