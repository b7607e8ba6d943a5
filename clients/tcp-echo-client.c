/* tcp-echo-client.c - reference client of the tcp-echo lab: sends a line over TCP, prints the uppercased reply */
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
#include "cursor.h"
#include "sock.h"

#define PROG "tcp-echo-client"
#define PROMPT "Input lowercase sentence:"
#define DEFAULT_PORT 12000
#define DEFAULT_TIMEOUT_MS 2000
#define CHUNK_MAX 65536 /* bytes taken from the socket by one read */

struct opts {
	const char *server;
	uint16_t port;
	int timeout_ms;
	int loop;
};

/* How an exchange ended. */
enum { X_DONE, X_CLOSED, X_TIMEOUT, X_ERROR };

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--server ADDR] [--port N] [--timeout MS] [--loop]\n"
		"\n"
		"Reads a line from standard input, connects, sends the line without its line\n"
		"end and prints 'From Server: ' and the reply: as many bytes as were sent, or\n"
		"what came before the server closed (the slides' TCPClient.py).\n"
		"\n"
		"  --server ADDR  server address or name (default 127.0.0.1)\n"
		"  --port N       server port (default %d)\n"
		"  --timeout MS   give up when connecting or a reply takes this long without\n"
		"                 progress (default %d)\n"
		"  --loop         the second course's client: ask 'Enter your name: ', then\n"
		"                 prompt 'NAME> ' and send line after line over one connection,\n"
		"                 printing each reply as it is, until \"quit\" (sent, no reply)\n"
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
		{"loop", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->server = "127.0.0.1";
	o->port = DEFAULT_PORT;
	o->timeout_ms = DEFAULT_TIMEOUT_MS;
	o->loop = 0;
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
		case 'l': o->loop = 1; break;
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

/* Prints the prompt and reads one line into *line (malloc'd, caller frees),
 * without its '\n' and a '\r' before it. Returns its length, -1 at end of
 * input, -2 on a read error (errno set). */
static ssize_t read_line(const char *prompt, char **line, size_t *cap)
{
	ssize_t n;

	fputs(prompt, stdout);
	fflush(stdout);
	n = getline(line, cap, stdin);
	if (n < 0)
		return ferror(stdin) ? -2 : -1;
	if (n > 0 && (*line)[n - 1] == '\n') {
		n--;
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
	}
	return n;
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

/* Sends p[0..len) and reads into *reply until it holds at least 'expect' bytes.
 * Reads while it sends, so that a long line cannot deadlock against a server
 * that echoes as it reads. Returns X_DONE, X_CLOSED when the server closed
 * first, X_TIMEOUT after timeout_ms without progress, X_ERROR with the failed
 * call in err. */
static int exchange(int fd, const char *p, size_t len, size_t expect, int timeout_ms, wc_buf *reply, char *err,
		    size_t errlen)
{
	struct pollfd pfd = {.fd = fd};
	uint8_t buf[CHUNK_MAX];
	size_t sent = 0;
	ssize_t n;
	int rc;

	while (sent < len || reply->len < expect) {
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
			n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n == 0)
				return X_CLOSED;
			if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
				snprintf(err, errlen, "recv: %s", strerror(errno));
				return X_ERROR;
			}
			if (n > 0)
				wc_buf_put(reply, buf, (size_t)n);
			if (wc_buf_failed(reply)) {
				snprintf(err, errlen, "keeping the reply: %s", strerror(ENOMEM));
				return X_ERROR;
			}
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

/* Sends lines and prints replies as the options say. Returns the exit status,
 * with a message on stderr when it is not 0. */
static int run(const wc_addr *server, const struct opts *o)
{
	char err[WC_ERRLEN], name[80], prompt[80] = PROMPT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	wc_buf reply;
	int fd = -1, status = 0, x;

	wc_addr_str(server, name, sizeof(name));
	wc_buf_init(&reply, 0);
	if (o->loop) {
		/* the second course's client connects first, then asks the name,
		 * which only shapes the prompt */
		fd = connect_within(server, o->timeout_ms, err, sizeof(err));
		if (fd < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 1;
		}
		len = read_line("Enter your name: ", &line, &cap);
		if (len < 0)
			goto out;
		snprintf(prompt, sizeof(prompt), "%.*s> ", (int)(len > 64 ? 64 : len), line);
	}
	for (;;) {
		len = read_line(prompt, &line, &cap);
		if (len == -1) {
			if (!o->loop) {
				fprintf(stderr, PROG ": no input line to send\n");
				status = 1;
			}
			break;
		}
		if (len == -2) {
			fprintf(stderr, PROG ": read standard input: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (fd < 0 && (fd = connect_within(server, o->timeout_ms, err, sizeof(err))) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (o->loop && len == 4 && !memcmp(line, "quit", 4)) {
			/* sent, and no reply awaited */
			x = exchange(fd, line, (size_t)len, 0, o->timeout_ms, &reply, err, sizeof(err));
			if (x == X_ERROR || x == X_TIMEOUT) {
				fprintf(stderr, PROG ": cannot send 'quit' to %s: %s\n", name,
					x == X_TIMEOUT ? "timed out" : err);
				status = 1;
			}
			break;
		}
		wc_buf_reset(&reply);
		x = exchange(fd, line, (size_t)len, (size_t)len, o->timeout_ms, &reply, err, sizeof(err));
		if (x == X_ERROR) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (x == X_TIMEOUT) {
			if (reply.len)
				fprintf(stderr, PROG ": reply from %s cut short: %zu of %zd bytes, then nothing for %d ms\n",
					name, reply.len, len, o->timeout_ms);
			else
				fprintf(stderr, PROG ": no reply from %s within %d ms\n", name, o->timeout_ms);
			status = 1;
			break;
		}
		if (!o->loop)
			fputs("From Server: ", stdout);
		if (!o->loop || x == X_DONE || reply.len) {
			if (reply.len)
				fwrite(reply.p, 1, reply.len, stdout);
			putchar('\n');
		}
		if (fflush(stdout) == EOF) {
			fprintf(stderr, PROG ": write standard output: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (!o->loop)
			break;
		if (x == X_CLOSED) {
			fprintf(stderr, PROG ": %s closed the connection\n", name);
			status = 1;
			break;
		}
	}
out:
	wc_buf_free(&reply);
	free(line);
	if (fd >= 0)
		close(fd);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr server;
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_addr_parse(o.server, o.port, &server, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	return run(&server, &o);
}
