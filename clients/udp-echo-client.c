/* udp-echo-client.c - reference client of the udp-echo lab: sends a line, prints the uppercased reply */
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
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "sock.h"

#define PROG "udp-echo-client"
#define PROMPT "Input lowercase sentence:"
#define DEFAULT_PORT 12000
#define DEFAULT_TIMEOUT_MS 2000
#define DGRAM_MAX 65536 /* more than any UDP payload */

struct opts {
	const char *server;
	uint16_t port;
	int timeout_ms;
	int loop;
	int ask_name;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--server ADDR] [--port N] [--timeout MS] [--loop] [--ask-name]\n"
		"\n"
		"Reads a line from standard input, sends it without its line end as one UDP\n"
		"datagram and prints the server's reply.\n"
		"\n"
		"  --server ADDR  server address or name (default 127.0.0.1)\n"
		"  --port N       server port (default %d)\n"
		"  --timeout MS   how long to wait for each reply (default %d)\n"
		"  --loop         send line after line until \"quit\", which gets no reply\n"
		"  --ask-name     first ask 'Enter your name: ' and prompt with 'NAME> ' (second course)\n"
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
		{"ask-name", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->server = "127.0.0.1";
	o->port = DEFAULT_PORT;
	o->timeout_ms = DEFAULT_TIMEOUT_MS;
	o->loop = 0;
	o->ask_name = 0;
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
		case 'a': o->ask_name = 1; break;
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

static int same_addr(const wc_addr *a, const wc_addr *b)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)&b->ss;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&a->ss;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)&b->ss;

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	if (a->ss.ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss.ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port &&
		       !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
	return 0;
}

/* Milliseconds left until *deadline, rounded up, 0 once it has passed. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (long long)(deadline->tv_sec - now.tv_sec) * 1000000000 + (deadline->tv_nsec - now.tv_nsec);
	if (ns <= 0)
		return 0;
	return ns / 1000000 >= INT_MAX ? INT_MAX : (int)((ns + 999999) / 1000000);
}

/* Waits up to timeout_ms for a datagram from *server, ignoring any other sender.
 * Returns its length (bytes in buf), -1 with the failed call in err, or -2 when
 * none came in time. */
static ssize_t await_reply(int fd, const wc_addr *server, int timeout_ms, uint8_t *buf, char *err,
			   size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct timespec deadline;
	wc_addr from;
	ssize_t n;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	for (;;) {
		rc = poll(&pfd, 1, ms_left(&deadline));
		if (rc < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			return -2;
		if (rc < 0)
			continue;
		memset(&from, 0, sizeof(from));
		from.len = sizeof(from.ss);
		n = recvfrom(fd, buf, DGRAM_MAX, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&from.ss,
			     &from.len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			snprintf(err, errlen, "recvfrom: %s", strerror(errno));
			return -1;
		}
		if (!same_addr(&from, server))
			continue;
		if (n > DGRAM_MAX) {
			snprintf(err, errlen, "reply of %zd bytes cut to %d", n, DGRAM_MAX);
			return -1;
		}
		return n;
	}
}

static int send_line(int fd, const wc_addr *server, const char *line, size_t len, char *err, size_t errlen)
{
	char name[80];
	ssize_t n;

	do
		n = sendto(fd, line, len, 0, (const struct sockaddr *)&server->ss, server->len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		wc_addr_str(server, name, sizeof(name));
		snprintf(err, errlen, "sendto %s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

/* Sends lines and prints replies as the options say. Returns the exit status,
 * with a message on stderr when it is not 0. */
static int run(int fd, const wc_addr *server, const struct opts *o, uint8_t *buf)
{
	char err[WC_ERRLEN], name[80], prompt[80] = PROMPT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len, n;
	int status = 0;

	wc_addr_str(server, name, sizeof(name));
	if (o->ask_name) {
		/* the second course's client: the name only shapes the prompt */
		len = read_line("Enter your name: ", &line, &cap);
		if (len < 0) {
			free(line);
			return 0;
		}
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
		if (send_line(fd, server, line, (size_t)len, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (o->loop && len == 4 && !memcmp(line, "quit", 4))
			break;
		n = await_reply(fd, server, o->timeout_ms, buf, err, sizeof(err));
		if (n < 0) {
			if (n == -2)
				fprintf(stderr, PROG ": no reply from %s within %d ms\n", name, o->timeout_ms);
			else
				fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		fwrite(buf, 1, (size_t)n, stdout);
		putchar('\n');
		if (fflush(stdout) == EOF) {
			fprintf(stderr, PROG ": write standard output: %s\n", strerror(errno));
			status = 1;
			break;
		}
		if (!o->loop)
			break;
	}
	free(line);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr server, local;
	uint8_t *buf;
	int fd, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_addr_parse(o.server, o.port, &server, err, sizeof(err)) < 0 ||
	    wc_addr_parse(server.ss.ss_family == AF_INET6 ? "::" : "", 0, &local, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_socket(&local, err, sizeof(err))) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	buf = malloc(DGRAM_MAX);
	if (!buf) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	rc = run(fd, &server, &o, buf);
	free(buf);
	close(fd);
	return rc;
}
