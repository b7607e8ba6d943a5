/* name-echo-client.c - reference client of the name-echo lab: a line client like telnet or nc, one reply line per line sent */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"
#include "sock.h"

#define PROG "name-echo-client"
#define DEFAULT_PORT 12000
#define DEFAULT_TIMEOUT_MS 2000
#define CHUNK_MAX 65536 /* bytes taken from the socket by one read */

struct opts {
	const char *server;
	uint16_t port;
	int timeout_ms;
	int crlf;
};

/* Bytes received and not yet printed: p[off..len). */
struct inbuf {
	uint8_t *p;
	size_t off, len, cap;
};

/* How a wait for the server ended. */
enum { X_DONE, X_CLOSED, X_TIMEOUT, X_ERROR };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--server ADDR] [--port N] [--timeout MS] [--crlf]\n"
		"\n"
		"Connects, then sends each line of standard input with a line end and prints\n"
		"the server's reply line, its line end as \"\\n\". At the end of the input, shuts\n"
		"down its sending side and prints what else comes until the server closes.\n"
		"\n"
		"  --server ADDR  server address or name (default 127.0.0.1)\n"
		"  --port N       server port (default %d)\n"
		"  --timeout MS   give up when connecting or the server takes this long without\n"
		"                 progress (default %d)\n"
		"  --crlf         end lines with \"\\r\\n\", as telnet does (default \"\\n\")\n"
		"  -h, --help     show this help\n",
		DEFAULT_PORT, DEFAULT_TIMEOUT_MS);
}

static int parse_ms(const char *s, int *out)
{
	char *end;
	long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"server", required_argument, NULL, 's'},
		{"port", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 't'},
		{"crlf", no_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->server = "127.0.0.1";
	o->port = DEFAULT_PORT;
	o->timeout_ms = DEFAULT_TIMEOUT_MS;
	o->crlf = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's': o->server = optarg; break;
		case 'p':
			if (wc_parse_port(optarg, &o->port) < 0) {
				fprintf(stderr, PROG ": invalid port '%s' (want 0..65535)\n", optarg);
				goto bad;
			}
			break;
		case 't':
			if (parse_ms(optarg, &o->timeout_ms) < 0) {
				fprintf(stderr, PROG ": invalid timeout '%s' (want milliseconds)\n", optarg);
				goto bad;
			}
			break;
		case 'c': o->crlf = 1; break;
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

/* A non-blocking TCP connection to *to, made within timeout_ms (wc_tcp_connect()
 * has no timeout). Returns the fd, or -1 with the reason in err. */
static int connect_within(const wc_addr *to, int timeout_ms, char *err, size_t errlen)
{
	int fd = socket(to->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	socklen_t sl = sizeof(int);
	char name[80];
	int rc, soerr = 0;

	wc_addr_str(to, name, sizeof(name));
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR) {
		snprintf(err, errlen, "cannot connect to %s: %s", name, strerror(errno));
		goto fail;
	}
	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		goto fail;
	}
	if (rc == 0) {
		snprintf(err, errlen, "cannot connect to %s: no answer within %d ms", name, timeout_ms);
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr) {
		snprintf(err, errlen, "cannot connect to %s: %s", name, strerror(soerr));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Reads what the socket has into *in. Returns 1 after bytes, 0 at the server's
 * close, -1 on an error (message in err); nothing waiting counts as bytes. */
static int take_input(int fd, struct inbuf *in, char *err, size_t errlen)
{
	uint8_t *np;
	size_t cap;
	ssize_t n;

	if (in->off == in->len)
		in->off = in->len = 0;
	if (in->cap - in->len < CHUNK_MAX) {
		if (in->off > 0) {
			memmove(in->p, in->p + in->off, in->len - in->off);
			in->len -= in->off;
			in->off = 0;
		}
		for (cap = in->cap ? in->cap : CHUNK_MAX; cap - in->len < CHUNK_MAX; cap *= 2)
			;
		if (cap != in->cap) {
			np = realloc(in->p, cap);
			if (!np) {
				snprintf(err, errlen, "keeping what the server sent: %s", strerror(ENOMEM));
				return -1;
			}
			in->p = np;
			in->cap = cap;
		}
	}
	n = recv(fd, in->p + in->len, CHUNK_MAX, MSG_DONTWAIT);
	if (n == 0)
		return 0;
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return 1;
		snprintf(err, errlen, "recv: %s", strerror(errno));
		return -1;
	}
	in->len += (size_t)n;
	return 1;
}

static int have_line(const struct inbuf *in)
{
	return in->off < in->len && memchr(in->p + in->off, '\n', in->len - in->off) != NULL;
}

/* Sends p[0..len), reading into *in meanwhile (a server answering a long line
 * in pieces cannot block us), then reads until *in holds a line end, or when
 * to_close until the server closes. Returns X_DONE, X_CLOSED (the server closed
 * first; X_DONE for to_close), X_TIMEOUT after timeout_ms without progress, or
 * X_ERROR with the failed call in err. */
static int pump(int fd, const char *p, size_t len, int to_close, int timeout_ms, struct inbuf *in, char *err,
		size_t errlen)
{
	struct pollfd pfd = {.fd = fd};
	size_t sent = 0;
	ssize_t n;
	int rc;

	while (sent < len || to_close || !have_line(in)) {
		pfd.events = POLLIN | (sent < len ? POLLOUT : 0);
		rc = poll(&pfd, 1, timeout_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return X_ERROR;
		}
		if (rc == 0)
			return X_TIMEOUT;
		if (pfd.revents & (POLLIN | POLLERR | POLLHUP)) {
			rc = take_input(fd, in, err, errlen);
			if (rc < 0)
				return X_ERROR;
			if (rc == 0)
				return to_close && sent == len ? X_DONE : X_CLOSED;
		}
		if (sent < len && pfd.revents & POLLOUT) {
			n = send(fd, p + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
				snprintf(err, errlen, "send: %s", strerror(errno));
				return X_ERROR;
			}
			if (n > 0)
				sent += (size_t)n;
		}
	}
	return X_DONE;
}

/* Prints the first line of *in, or with 'all' every line, each with its "\r\n"
 * or "\n" as "\n"; with 'all' the bytes after the last line end too, as they
 * are. */
static void print_lines(struct inbuf *in, int all)
{
	const uint8_t *p, *nl;
	size_t end;

	while (in->off < in->len) {
		p = in->p + in->off;
		nl = memchr(p, '\n', in->len - in->off);
		if (!nl) {
			if (all) {
				fwrite(p, 1, in->len - in->off, stdout);
				in->off = in->len;
			}
			break;
		}
		end = (size_t)(nl - p);
		fwrite(p, 1, end - (end > 0 && p[end - 1] == '\r'), stdout);
		putchar('\n');
		in->off += end + 1;
		if (!all)
			break;
	}
}

/* Says on stderr how a wait that did not end in X_DONE ended. */
static void say_failure(int x, const char *name, int timeout_ms, const char *err)
{
	if (x == X_CLOSED)
		fprintf(stderr, PROG ": %s closed the connection\n", name);
	else if (x == X_TIMEOUT)
		fprintf(stderr, PROG ": nothing from %s for %d ms\n", name, timeout_ms);
	else
		fprintf(stderr, PROG ": %s\n", err);
}

/* Sends the lines of standard input and prints the replies. Returns the exit
 * status, with a message on stderr when it is not 0. */
static int run(int fd, const wc_addr *server, const struct opts *o)
{
	char err[WC_ERRLEN], name[80];
	struct inbuf in = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 0, x;

	wc_addr_str(server, name, sizeof(name));
	for (;;) {
		len = getline(&line, &cap, stdin);
		if (len < 0)
			break;
		if (len > 0 && line[len - 1] == '\n')
			len -= len > 1 && line[len - 2] == '\r' ? 2 : 1;
		/* getline() left room for at least the '\n' and a NUL */
		if (o->crlf && (size_t)len + 2 >= cap) {
			char *nl = realloc(line, (size_t)len + 3);
			if (!nl) {
				fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
				status = 1;
				goto out;
			}
			line = nl;
			cap = (size_t)len + 3;
		}
		if (o->crlf)
			line[len++] = '\r';
		line[len++] = '\n';
		x = pump(fd, line, (size_t)len, 0, o->timeout_ms, &in, err, sizeof(err));
		print_lines(&in, x != X_DONE);
		if (fflush(stdout) == EOF) {
			fprintf(stderr, PROG ": write standard output: %s\n", strerror(errno));
			status = 1;
			goto out;
		}
		if (x != X_DONE) {
			say_failure(x, name, o->timeout_ms, err);
			status = 1;
			goto out;
		}
	}
	if (ferror(stdin)) {
		fprintf(stderr, PROG ": read standard input: %s\n", strerror(errno));
		status = 1;
		goto out;
	}
	/* the end of our input: say so, and print the rest of the server's */
	if (shutdown(fd, SHUT_WR) < 0) {
		fprintf(stderr, PROG ": shutdown: %s\n", strerror(errno));
		status = 1;
		goto out;
	}
	x = pump(fd, NULL, 0, 1, o->timeout_ms, &in, err, sizeof(err));
	print_lines(&in, 1);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, PROG ": write standard output: %s\n", strerror(errno));
		status = 1;
	} else if (x != X_DONE) {
		say_failure(x, name, o->timeout_ms, err);
		status = 1;
	}
out:
	free(line);
	free(in.p);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr server;
	int fd, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_addr_parse(o.server, o.port, &server, err, sizeof(err)) < 0 ||
	    (fd = connect_within(&server, o.timeout_ms, err, sizeof(err))) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	rc = run(fd, &server, &o);
	close(fd);
	return rc;
}
