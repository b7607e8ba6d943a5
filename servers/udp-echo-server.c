/* udp-echo-server.c - reference server of the udp-echo lab: each datagram comes back uppercased */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "echo.h"
#include "log.h"
#include "server.h"
#include "sock.h"

#define PROG "udp-echo-server"
#define DGRAM_MAX 65536 /* more than any UDP payload, so MSG_TRUNC means a bug */

struct opts {
	wc_serve_opts serve;
	int quit;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--quit] [--verbose]\n"
		"\n"
		"Echoes each UDP datagram back to its sender with ASCII a-z turned into A-Z.\n"
		"\n"
		"  --port N     UDP port to bind, 0 lets the system choose (default %d)\n"
		"  --bind ADDR  address to bind; \"\" is any IPv4 address (default),\n"
		"               \"::\" any IPv6 and IPv4 address\n"
		"  --quit       a datagram \"quit\" ends the server, with no reply\n"
		"  --verbose    log the bound address, each datagram and each error to stderr\n"
		"  -h, --help   show this help\n",
		WC_CLI_PORT);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"quit", no_argument, &o->quit, 1},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->quit = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
	return rc;
}

/* Takes one waiting datagram, if any, and answers it. Returns 1 when it was the
 * --quit datagram, else 0: no datagram can end the server otherwise. */
static int serve_one(int fd, const struct opts *o, wc_errlog *log, uint8_t *buf)
{
	struct iovec iov = {.iov_base = buf, .iov_len = DGRAM_MAX};
	struct msghdr msg;
	wc_addr peer;
	char name[80];
	ssize_t n;
	size_t len;

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
		return 0;
	}
	peer.len = msg.msg_namelen;
	wc_addr_str(&peer, name, sizeof(name));
	len = (size_t)n < DGRAM_MAX ? (size_t)n : DGRAM_MAX;
	wc_log_chunk(buf, len, name);
	if (msg.msg_flags & MSG_TRUNC)
		wc_errlog_say(log, "datagram of %zd bytes from %s cut to %zu", n, name, len);
	if (o->quit && len == 4 && !memcmp(buf, "quit", 4))
		return 1;
	wc_echo_upper(buf, len, buf);
	do
		n = sendto(fd, buf, len, 0, (const struct sockaddr *)&peer.ss, peer.len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		wc_errlog_say(log, "sendto %s: %s", name, strerror(errno));
	return 0;
}

/* Serves until a signal or the --quit datagram. Returns 0, or -1 with the failed
 * call in err. */
static int serve(int fd, const struct opts *o, const sigset_t *waitmask, char *err, size_t errlen)
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
		if (serve_one(fd, o, &log, buf)) {
			wc_log_detail("quit received, exiting");
			break;
		}
	}
	wc_server_ending(&log);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int fd = -1, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_server_start(PROG, &o.serve, 0, &addr, &waitmask, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_server_socket(&addr, err, sizeof(err))) < 0 || wc_server_listening(fd, err, sizeof(err)) < 0 ||
	    serve(fd, &o, &waitmask, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
