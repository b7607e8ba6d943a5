/* dns-server.c - reference server of the dns lab: authoritative answers for the lab's table (RFC 1035, UDP) */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "cursor.h"
#include "dns.h"
#include "hexdump.h"
#include "log.h"
#include "server.h"
#include "sock.h"

#define PROG "dns-server"
#define DGRAM_MAX 65536 /* more than any UDP payload, so MSG_TRUNC means a bug */
#define ANSWER_MAX 512  /* RFC 1035 2.3.4: UDP messages; the lab's answers are far smaller */

struct opts {
	wc_serve_opts serve;
	const char *table;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--table FILE] [--verbose]\n"
		"\n"
		"Answers DNS queries (RFC 1035) over UDP with authority, for type A class IN\n"
		"names of a table; prints each request and response as hex, 16 bytes a line.\n"
		"\n"
		"  --port N      UDP port to bind, 0 lets the system choose (default %d)\n"
		"  --bind ADDR   address to bind; \"\" is any IPv4 address (default),\n"
		"                \"::\" any IPv6 and IPv4 address\n"
		"  --table FILE  the names, TTLs and addresses (format: fixtures/dns/table);\n"
		"                default: the lab's table (google.com, youtube.com, ...)\n"
		"  --verbose     log the bound address, each datagram and each error to stderr\n"
		"  -h, --help    show this help\n",
		WC_CLI_PORT);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"table", required_argument, NULL, 'T'},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->table = NULL;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1) {
		if (c == 'T')
			o->table = optarg;
		else
			rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
	}
	return rc;
}

/* Prints "Request:" and the request's hex lines, then "Response:" and the
 * response's when there is one, and flushes: the bytes exactly as they go on
 * the wire. */
static void print_exchange(const uint8_t *req, size_t reqlen, const uint8_t *resp, size_t resplen, wc_errlog *log)
{
	wc_buf b;

	wc_buf_init(&b, 0);
	wc_buf_str(&b, "Request:\n");
	wc_hex_lines(&b, req, reqlen);
	if (resp) {
		wc_buf_str(&b, "Response:\n");
		wc_hex_lines(&b, resp, resplen);
	}
	if (wc_buf_failed(&b))
		/* LCOV_EXCL_START: allocation failure */
		wc_errlog_say(log, "cannot print a datagram of %zu bytes: out of memory", reqlen);
		/* LCOV_EXCL_STOP */
	else if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) == EOF)
		wc_errlog_say(log, "write standard output: %s", strerror(errno));
	wc_buf_free(&b);
}

/* Takes one waiting datagram, if any, prints it and answers it. No datagram,
 * however malformed, ends the server. */
static void serve_one(int fd, const wc_dns_table *t, wc_errlog *log, uint8_t *buf)
{
	struct iovec iov = {.iov_base = buf, .iov_len = DGRAM_MAX};
	uint8_t answer[ANSWER_MAX];
	struct msghdr msg;
	wc_addr peer;
	char name[80];
	ssize_t n;
	size_t len;
	int alen;

	memset(&msg, 0, sizeof(msg));
	memset(&peer, 0, sizeof(peer));
	msg.msg_name = &peer.ss;
	msg.msg_namelen = sizeof(peer.ss);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	do
		n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			wc_errlog_say(log, "recvmsg: %s", strerror(errno));
		return;
	}
	peer.len = msg.msg_namelen;
	wc_addr_str(&peer, name, sizeof(name));
	len = (size_t)n < DGRAM_MAX ? (size_t)n : DGRAM_MAX;
	wc_log_chunk(buf, len, name);
	if (msg.msg_flags & MSG_TRUNC)
		wc_errlog_say(log, "datagram of %zd bytes from %s cut to %zu", n, name, len);
	alen = wc_dns_answer(t, buf, len, answer, sizeof(answer));
	if (alen < 0) {
		wc_errlog_say(log, "answer to %s does not fit in %zu bytes", name, sizeof(answer));
		alen = 0;
	}
	print_exchange(buf, len, alen ? answer : NULL, (size_t)alen, log);
	if (!alen)
		return;
	do
		n = sendto(fd, answer, (size_t)alen, 0, (const struct sockaddr *)&peer.ss, peer.len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		wc_errlog_say(log, "sendto %s: %s", name, strerror(errno));
}

/* Serves until a signal. Returns 0, or -1 with the failed call in err. */
static int serve(int fd, const wc_dns_table *t, const sigset_t *waitmask, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint8_t *buf = malloc(DGRAM_MAX);
	wc_errlog log = {0};
	int rc = 0;

	if (!buf) {
		/* LCOV_EXCL_START: allocation failure */
		snprintf(err, errlen, "malloc: %s", strerror(errno));
		return -1;
		/* LCOV_EXCL_STOP */
	}
	while (!wc_stop_signal) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "ppoll: %s", strerror(errno));
			rc = -1;
			break;
		}
		serve_one(fd, t, &log, buf);
	}
	wc_server_ending(&log);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	static wc_dns_table table;
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int fd = -1, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (o.table) {
		if (wc_dns_table_load(o.table, &table, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 1;
		}
	} else {
		wc_dns_table_labs(&table);
	}
	/* a reader of standard output that goes away must not stop the serving */
	if (wc_server_start(PROG, &o.serve, WC_SIG_PIPE_IGNORE, &addr, &waitmask, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_server_socket(&addr, err, sizeof(err))) < 0 || wc_server_listening(fd, err, sizeof(err)) < 0 ||
	    serve(fd, &table, &waitmask, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
