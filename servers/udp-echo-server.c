/* udp-echo-server.c - reference server of the udp-echo lab: each datagram comes back uppercased */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cursor.h"
#include "cli.h"
#include "echo.h"
#include "hexdump.h"
#include "sock.h"

#define PROG "udp-echo-server"
#define DEFAULT_PORT 12000
#define DGRAM_MAX 65536 /* more than any UDP payload, so MSG_TRUNC means a bug */
#define QUOTE_MAX 64    /* bytes of a datagram shown in a --verbose line */

/* The signal that asked us to stop, 0 while serving. */
static volatile sig_atomic_t stop_signal;

struct opts {
	const char *bind;
	uint16_t port;
	int quit;
	int verbose;
};

/* Errors of single datagrams: every one logged with --verbose, otherwise at
 * most one a second, with the count of those held back since the last one. */
struct errlog {
	int verbose;
	int logged;
	struct timespec last;
	unsigned long held;
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
		DEFAULT_PORT);
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void vlog(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
}

static void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void log_error(struct errlog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_error(struct errlog *l, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!l->verbose && l->logged && ms_between(&l->last, &now) < 1000) {
		l->held++;
		return;
	}
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
	if (l->held)
		fprintf(stderr, " (and %lu earlier errors not shown)", l->held);
	fputc('\n', stderr);
	l->logged = 1;
	l->last = now;
	l->held = 0;
}

static void log_datagram(const uint8_t *p, size_t len, const char *from)
{
	wc_buf b;

	wc_buf_init(&b, 0);
	wc_quote(&b, p, len, QUOTE_MAX);
	log_msg("%zu bytes from %s: %s", len, from, wc_buf_failed(&b) ? "(out of memory)" : wc_buf_cstr(&b));
	wc_buf_free(&b);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"port", required_argument, NULL, 'p'},
		{"bind", required_argument, NULL, 'b'},
		{"quit", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->bind = "";
	o->port = DEFAULT_PORT;
	o->quit = 0;
	o->verbose = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (wc_parse_port(optarg, &o->port) < 0) {
				fprintf(stderr, PROG ": invalid port '%s' (want 0..65535)\n", optarg);
				goto bad;
			}
			break;
		case 'b': o->bind = optarg; break;
		case 'q': o->quit = 1; break;
		case 'v': o->verbose = 1; break;
		case 'h': usage(stdout); return 1;
		default:
			wc_cli_bad_option(PROG, c, argv);
			return wc_cli_usage_hint(PROG);
		}
	}
	if (wc_cli_no_operands(PROG, argc, argv) < 0)
		goto bad;
	return 0;
bad:
	return wc_cli_usage_hint(PROG);
}

/* A UDP socket bound to *a; an IPv6 one also takes IPv4 (IPV6_V6ONLY off), which
 * wc_udp_socket() cannot do as it binds at once. Returns the fd, or -1 with the
 * failed call in err. */
static int open_socket(const wc_addr *a, char *err, size_t errlen)
{
	int fd = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int off = 0;
	char name[80];

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (a->ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) {
		snprintf(err, errlen, "setsockopt IPV6_V6ONLY: %s", strerror(errno));
		goto fail;
	}
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) < 0) {
		wc_addr_str(a, name, sizeof(name));
		snprintf(err, errlen, "bind %s: %s", name, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Catches SIGTERM and SIGINT, blocked except inside ppoll(), so that a signal can
 * only arrive while we wait and is never missed. *waitmask gets the mask to wait
 * with. Returns 0, or -1 with the failed call in err. */
static int setup_signals(sigset_t *waitmask, char *err, size_t errlen)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0) {
		snprintf(err, errlen, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0) {
		snprintf(err, errlen, "sigaction: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Takes one waiting datagram, if any, and answers it. Returns 1 when it was the
 * --quit datagram, else 0: no datagram can end the server otherwise. */
static int serve_one(int fd, const struct opts *o, struct errlog *log, uint8_t *buf)
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
			log_error(log, "recvmsg: %s", strerror(errno));
		return 0;
	}
	peer.len = msg.msg_namelen;
	wc_addr_str(&peer, name, sizeof(name));
	len = (size_t)n < DGRAM_MAX ? (size_t)n : DGRAM_MAX;
	if (o->verbose)
		log_datagram(buf, len, name);
	if (msg.msg_flags & MSG_TRUNC)
		log_error(log, "datagram of %zd bytes from %s cut to %zu", n, name, len);
	if (o->quit && len == 4 && !memcmp(buf, "quit", 4))
		return 1;
	wc_echo_upper(buf, len, buf);
	do
		n = sendto(fd, buf, len, 0, (const struct sockaddr *)&peer.ss, peer.len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		log_error(log, "sendto %s: %s", name, strerror(errno));
	return 0;
}

/* Serves until a signal or the --quit datagram. Returns 0, or -1 with the failed
 * call in err. */
static int serve(int fd, const struct opts *o, const sigset_t *waitmask, char *err, size_t errlen)
{
	struct errlog log = {.verbose = o->verbose};
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint8_t *buf = malloc(DGRAM_MAX);
	int rc = 0;

	if (!buf) {
		snprintf(err, errlen, "malloc: %s", strerror(errno));
		return -1;
	}
	while (!stop_signal) {
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "ppoll: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (serve_one(fd, o, &log, buf)) {
			if (o->verbose)
				log_msg("quit received, exiting");
			break;
		}
	}
	if (log.held)
		log_msg("%lu more errors not shown", log.held);
	if (stop_signal && o->verbose)
		log_msg("signal %d (%s), exiting", (int)stop_signal, strsignal(stop_signal));
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int fd, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_addr_parse(o.bind, o.port, &addr, err, sizeof(err)) < 0 ||
	    setup_signals(&waitmask, err, sizeof(err)) < 0 ||
	    (fd = open_socket(&addr, err, sizeof(err))) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (o.verbose) {
		addr.len = sizeof(addr.ss);
		if (getsockname(fd, (struct sockaddr *)&addr.ss, &addr.len) < 0) {
			fprintf(stderr, PROG ": getsockname: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		wc_addr_str(&addr, err, sizeof(err));
		log_msg("listening on %s", err);
	}
	rc = serve(fd, &o, &waitmask, err, sizeof(err));
	close(fd);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	return 0;
}
