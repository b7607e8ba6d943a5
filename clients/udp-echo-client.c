/* udp-echo-client.c - reference client of the udp-echo lab: sends a line, prints the uppercased reply */
#include <errno.h>
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
#include "clock.h"
#include "prompt.h"
#include "sock.h"

#define PROG "udp-echo-client"
#define PROMPT "Input lowercase sentence:"
#define DGRAM_MAX 65536 /* more than any UDP payload */

struct opts {
	wc_connect_opts to;
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
		WC_CLI_PORT, WC_CLI_TIMEOUT_MS);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"loop", no_argument, &o->loop, 1},
		{"ask-name", no_argument, &o->ask_name, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_connect_init(&o->to);
	o->loop = 0;
	o->ask_name = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_connect_opt(PROG, c, optarg, &o->to, usage);
	return rc;
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

/* Waits up to timeout_ms for a datagram from *server, ignoring any other sender.
 * Returns its length (bytes in buf), -1 with the failed call in err, or -2 when
 * none came in time. */
static ssize_t await_reply(int fd, const wc_addr *server, int timeout_ms, uint8_t *buf, char *err,
			   size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct timespec deadline, now;
	wc_addr from;
	ssize_t n;
	int rc;

	wc_clock_now(&deadline);
	wc_clock_add_ms(&deadline, timeout_ms);
	for (;;) {
		wc_clock_now(&now);
		rc = poll(&pfd, 1, wc_clock_ms_until(&now, &deadline));
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
	if (o->ask_name && wc_prompt_name(prompt, sizeof(prompt), &line, &cap) < 0) {
		free(line);
		return 0;
	}
	for (;;) {
		len = wc_prompt_next(PROG, prompt, o->loop, &line, &cap);
		if (len < 0) {
			status = len == -2;
			break;
		}
		if (send_line(fd, server, line, (size_t)len, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (o->loop && len == 4 && !memcmp(line, "quit", 4))
			break;
		n = await_reply(fd, server, o->to.timeout_ms, buf, err, sizeof(err));
		if (n < 0) {
			if (n == -2)
				fprintf(stderr, PROG ": no reply from %s within %d ms\n", name, o->to.timeout_ms);
			else
				fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		fwrite(buf, 1, (size_t)n, stdout);
		putchar('\n');
		status = wc_prompt_flush(PROG) < 0;
		if (status || !o->loop)
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
	if (wc_addr_parse(o.to.server, o.to.port, &server, err, sizeof(err)) < 0 ||
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
