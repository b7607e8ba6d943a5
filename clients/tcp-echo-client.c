/* tcp-echo-client.c - reference client of the tcp-echo lab: sends a line over TCP, prints the uppercased reply */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "prompt.h"
#include "sock.h"

#define PROG "tcp-echo-client"
#define PROMPT "Input lowercase sentence:"

struct opts {
	wc_connect_opts to;
	int loop;
};

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
		WC_CLI_PORT, WC_CLI_TIMEOUT_MS);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"loop", no_argument, &o->loop, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_connect_init(&o->to);
	o->loop = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_connect_opt(PROG, c, optarg, &o->to, usage);
	return rc;
}

/* Sends p[0..len) and reads into *reply until it holds at least 'expect' bytes.
 * Returns WC_X_OK once done, WC_X_CLOSED when the server closed first,
 * WC_X_TIMEOUT after timeout_ms without progress, WC_X_ERROR with the failed
 * call in err. */
static int exchange(int fd, const char *p, size_t len, size_t expect, int timeout_ms, wc_bytes *reply, char *err,
		    size_t errlen)
{
	size_t sent = 0;
	int x = WC_X_OK;

	while (x == WC_X_OK && (sent < len || wc_bytes_used(reply) < expect))
		x = wc_bytes_exchange(fd, p, len, &sent, timeout_ms, reply, "the reply", err, errlen);
	return x;
}

/* Sends lines and prints replies as the options say. Returns the exit status,
 * with a message on stderr when it is not 0. */
static int run(const wc_addr *server, const struct opts *o)
{
	char err[WC_ERRLEN], name[80], prompt[80] = PROMPT;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	wc_bytes reply = {0}; /* only appended to: reply.p[0..len) */
	int fd = -1, status = 0, x;

	wc_addr_str(server, name, sizeof(name));
	if (o->loop) {
		/* the second course's client connects first, then asks the name,
		 * which only shapes the prompt */
		fd = wc_tcp_connect_timeout(server, o->to.timeout_ms, err, sizeof(err));
		if (fd < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 1;
		}
		if (wc_prompt_name(prompt, sizeof(prompt), &line, &cap) < 0)
			goto out;
	}
	for (;;) {
		len = wc_prompt_next(PROG, prompt, o->loop, &line, &cap);
		if (len < 0) {
			status = len == -2;
			break;
		}
		if (fd < 0 && (fd = wc_tcp_connect_timeout(server, o->to.timeout_ms, err, sizeof(err))) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (o->loop && len == 4 && !memcmp(line, "quit", 4)) {
			/* sent, and no reply awaited */
			x = exchange(fd, line, (size_t)len, 0, o->to.timeout_ms, &reply, err, sizeof(err));
			if (x == WC_X_ERROR || x == WC_X_TIMEOUT) {
				fprintf(stderr, PROG ": cannot send 'quit' to %s: %s\n", name,
					x == WC_X_TIMEOUT ? "timed out" : err);
				status = 1;
			}
			break;
		}
		reply.off = reply.len = 0;
		x = exchange(fd, line, (size_t)len, (size_t)len, o->to.timeout_ms, &reply, err, sizeof(err));
		if (x == WC_X_ERROR) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (x == WC_X_TIMEOUT) {
			if (reply.len)
				fprintf(stderr, PROG ": reply from %s cut short: %zu of %zd bytes, then nothing for %d ms\n",
					name, reply.len, len, o->to.timeout_ms);
			else
				fprintf(stderr, PROG ": no reply from %s within %d ms\n", name, o->to.timeout_ms);
			status = 1;
			break;
		}
		if (!o->loop)
			fputs("From Server: ", stdout);
		if (!o->loop || x == WC_X_OK || reply.len) {
			if (reply.len)
				fwrite(reply.p, 1, reply.len, stdout);
			putchar('\n');
		}
		status = wc_prompt_flush(PROG) < 0;
		if (status || !o->loop)
			break;
		if (x == WC_X_CLOSED) {
			fprintf(stderr, PROG ": %s closed the connection\n", name);
			status = 1;
			break;
		}
	}
out:
	wc_bytes_free(&reply);
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
	if (wc_addr_parse(o.to.server, o.to.port, &server, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	return run(&server, &o);
}
