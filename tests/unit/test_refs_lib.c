/* test_refs_lib.c - the reference programs' shared pieces: byte queues, the clock, options, client states */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "clock.h"
#include "tcpserv.h"

static void test_bytes_reserve_moves_to_front(void **state)
{
	wc_bytes b = {0};
	(void)state;

	assert_int_equal(wc_bytes_reserve(&b, 10), 0);
	memcpy(b.p + b.len, "0123456789", 10);
	b.len += 10;
	b.off = 8; /* "01234567" taken */
	assert_int_equal(wc_bytes_used(&b), 2);
	/* no room left at the end for cap - 2 more: the "89" moves to the front */
	assert_int_equal(wc_bytes_reserve(&b, b.cap - 2), 0);
	assert_int_equal(b.off, 0);
	assert_memory_equal(b.p, "89", 2);
	b.off = b.len;
	wc_bytes_trim(&b); /* emptied, small: keeps its storage */
	assert_int_equal(b.off + b.len, 0);
	assert_non_null(b.p);
	assert_int_equal(wc_bytes_reserve(&b, 100000), 0);
	b.len = 100000;
	b.off = b.len;
	wc_bytes_trim(&b); /* emptied, above 64 KiB: gives it back */
	assert_null(b.p);
	assert_int_equal(b.cap, 0);
	wc_bytes_free(&b);
}

static int socket_pair(int sv[2])
{
	int small = 4096;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	return 0;
}

static void test_bytes_send_partial(void **state)
{
	wc_bytes q = {0};
	uint8_t buf[4096];
	size_t queued = 1 << 20, got = 0;
	ssize_t n;
	int sv[2];
	(void)state;

	assert_int_equal(socket_pair(sv), 0);
	assert_int_equal(wc_bytes_reserve(&q, queued), 0);
	for (size_t i = 0; i < queued; i++)
		q.p[i] = (uint8_t)i;
	q.len = queued;
	/* the socket takes part of it: the rest stays queued, no error, no block */
	assert_int_equal(wc_bytes_send(&q, sv[0]), 0);
	assert_true(q.off > 0 && q.off < queued);
	while (got < queued) {
		while ((n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			for (ssize_t i = 0; i < n; i++)
				if (buf[i] != (uint8_t)(got + (size_t)i))
					fail_msg("byte %zu: expected 0x%02x, got 0x%02x", got + (size_t)i,
						 (uint8_t)(got + (size_t)i), buf[i]);
			got += (size_t)n;
		}
		assert_int_equal(wc_bytes_send(&q, sv[0]), 0);
	}
	assert_int_equal(wc_bytes_used(&q), 0);
	close(sv[1]);
	/* the peer is gone: the errno, and the queue kept */
	q.off = 0;
	q.len = 10;
	assert_int_equal(wc_bytes_send(&q, sv[0]), EPIPE);
	assert_int_equal(wc_bytes_used(&q), 10);
	close(sv[0]);
	wc_bytes_free(&q);
}

static void test_bytes_exchange(void **state)
{
	wc_bytes in = {0};
	char err[WC_ERRLEN] = "", buf[8];
	size_t sent = 0;
	int sv[2];
	(void)state;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(write(sv[1], "pong", 4), 4);
	while (sent < 4 || wc_bytes_used(&in) < 4)
		assert_int_equal(wc_bytes_exchange(sv[0], "ping", 4, &sent, 1000, &in, "it", err, sizeof(err)), WC_X_OK);
	assert_memory_equal(in.p + in.off, "pong", 4);
	/* nothing more within the timeout */
	assert_int_equal(wc_bytes_exchange(sv[0], "ping", 4, &sent, 10, &in, "it", err, sizeof(err)), WC_X_TIMEOUT);
	assert_int_equal(read(sv[1], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "ping", 4);
	close(sv[1]);
	assert_int_equal(wc_bytes_exchange(sv[0], "ping", 4, &sent, 1000, &in, "it", err, sizeof(err)), WC_X_CLOSED);
	close(sv[0]);
	wc_bytes_free(&in);
}

/* The peer resets, or will read nothing more: the failed call, said. */
static void test_bytes_exchange_errors(void **state)
{
	struct linger hard = {.l_onoff = 1, .l_linger = 0};
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	wc_bytes in = {0};
	char err[WC_ERRLEN] = "";
	size_t sent = 0;
	int l, c, k, sv[2];
	(void)state;

	l = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	k = accept(l, NULL, NULL);
	assert_true(k >= 0);
	setsockopt(k, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
	close(k); /* a reset */
	assert_int_equal(wc_bytes_exchange(c, "x", 0, &sent, 1000, &in, "it", err, sizeof(err)), WC_X_ERROR);
	assert_string_equal(err, "recv: Connection reset by peer");
	close(c);
	close(l);

	/* the peer shut its reading side: the send fails */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(shutdown(sv[1], SHUT_RD), 0);
	assert_int_equal(wc_bytes_exchange(sv[0], "ping", 4, &sent, 1000, &in, "it", err, sizeof(err)), WC_X_ERROR);
	assert_string_equal(err, "send: Broken pipe");
	assert_int_equal(sent, 0);
	close(sv[0]);
	close(sv[1]);
	wc_bytes_free(&in);
}

static void test_clock_ms_until(void **state)
{
	struct timespec now = {.tv_sec = 100, .tv_nsec = 999999999}, t = now;
	(void)state;

	wc_clock_add_ms(&t, 1);
	assert_int_equal(t.tv_sec, 101);
	assert_int_equal(t.tv_nsec, 999999);
	assert_int_equal(wc_clock_ms_until(&now, &t), 1);
	assert_int_equal(wc_clock_ms_until(&t, &now), 0); /* passed */
	t = now;
	t.tv_nsec -= 999998; /* 0.999998 ms ago */
	assert_int_equal(wc_clock_ms_until(&t, &now), 1); /* rounded up */
	t.tv_sec += 10000000; /* far away: capped */
	assert_int_equal(wc_clock_ms_until(&now, &t), INT_MAX);
	wc_clock_ms_to_ts(1500, &t);
	assert_int_equal(t.tv_sec, 1);
	assert_int_equal(t.tv_nsec, 500000000);
	wc_clock_now(&now);
	wc_clock_now(&t);
	assert_int_equal(wc_clock_ms_until(&t, &now), 0); /* monotonic: never back */
}

/* Runs a client's options through wc_cli_getopt() and wc_cli_connect_opt(), as
 * a parse_opts() does. Returns its value. */
static int connect_args(wc_connect_opts *o, int *flag, int argc, char **argv)
{
	const struct option longopts[] = {
		{"flag", no_argument, flag, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	optind = 0;
	*flag = 0;
	wc_cli_connect_init(o);
	while (!rc && (c = wc_cli_getopt("t", argc, argv, longopts)) != -1)
		rc = wc_cli_connect_opt("t", c, optarg, o, NULL);
	return rc;
}

static void test_cli_connect_opts(void **state)
{
	char *good[] = {"t", "--server", "::1", "--port=7", "--timeout", "15", "--flag", NULL};
	char *bad_ms[] = {"t", "--timeout", "-1", NULL};
	char *blank_ms[] = {"t", "--timeout", " 15", NULL};
	char *operand[] = {"t", "--port", "7", "x", NULL};
	wc_connect_opts o;
	int flag;
	(void)state;

	assert_int_equal(connect_args(&o, &flag, 7, good), 0);
	assert_string_equal(o.server, "::1");
	assert_int_equal(o.port, 7);
	assert_int_equal(o.timeout_ms, 15);
	assert_int_equal(flag, 1);
	assert_int_equal(connect_args(&o, &flag, 3, bad_ms), 2);
	assert_int_equal(o.timeout_ms, WC_CLI_TIMEOUT_MS);
	assert_int_equal(connect_args(&o, &flag, 3, blank_ms), 2); /* digits only */
	assert_int_equal(o.timeout_ms, WC_CLI_TIMEOUT_MS);
	assert_int_equal(connect_args(&o, &flag, 4, operand), 2);
}

static void test_client_states(void **state)
{
	wc_client c;
	wc_addr peer;
	char err[WC_ERRLEN];
	(void)state;

	memset(&c, 0, sizeof(c));
	assert_int_equal(wc_addr_parse("127.0.0.1", 5, &peer, err, sizeof(err)), 0);
	wc_client_init(&c, -1, &peer);
	assert_string_equal(c.name, "127.0.0.1:5");
	assert_int_equal(wc_client_events(&c), POLLIN);
	c.out.len = 1; /* something to send */
	assert_int_equal(wc_client_events(&c), POLLIN | POLLOUT);
	c.out.len = 300 * 1024; /* too much unsent: stop reading */
	assert_int_equal(wc_client_events(&c), POLLOUT);
	wc_client_finish(&c, "first reason");
	wc_client_finish(&c, "second reason");
	assert_string_equal(c.why, "first reason");
	assert_int_equal(wc_client_events(&c), POLLIN | POLLOUT); /* input dropped while closing */
	assert_false(wc_client_over(&c));
	c.out.len = 0;
	assert_true(wc_client_over(&c));
	wc_client_fail(&c, "send", EPIPE);
	assert_string_equal(c.why, "send: Broken pipe");
	assert_int_equal(wc_client_events(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_reserve_moves_to_front),
		cmocka_unit_test(test_bytes_send_partial),
		cmocka_unit_test(test_bytes_exchange),
		cmocka_unit_test(test_bytes_exchange_errors),
		cmocka_unit_test(test_clock_ms_until),
		cmocka_unit_test(test_cli_connect_opts),
		cmocka_unit_test(test_client_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
