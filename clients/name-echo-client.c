/* name-echo-client.c - reference client of the name-echo lab: a line client like telnet or nc, one reply line per line sent */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "prompt.h"
#include "sock.h"

#define PROG "name-echo-client"

struct opts {
	wc_connect_opts to;
	int crlf;
};

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
		WC_CLI_PORT, WC_CLI_TIMEOUT_MS);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"crlf", no_argument, &o->crlf, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_connect_init(&o->to);
	o->crlf = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_connect_opt(PROG, c, optarg, &o->to, usage);
	return rc;
}

static int have_line(const wc_bytes *in)
{
	return in->off < in->len && memchr(in->p + in->off, '\n', in->len - in->off) != NULL;
}

/* Sends p[0..len), reading into *in meanwhile (a server answering a long line
 * in pieces cannot block us), then reads until *in holds a line end, or when
 * to_close until the server closes. Returns WC_X_OK, WC_X_CLOSED (the server
 * closed first; WC_X_OK for to_close), WC_X_TIMEOUT after timeout_ms without
 * progress, or WC_X_ERROR with the failed call in err. */
static int pump(int fd, const char *p, size_t len, int to_close, int timeout_ms, wc_bytes *in, char *err,
		size_t errlen)
{
	size_t sent = 0;
	int x = WC_X_OK;

	while (x == WC_X_OK && (sent < len || to_close || !have_line(in)))
		x = wc_bytes_exchange(fd, p, len, &sent, timeout_ms, in, "what the server sent", err, errlen);
	return x == WC_X_CLOSED && to_close && sent == len ? WC_X_OK : x;
}

/* Prints the first line of *in, or with 'all' every line, each with its "\r\n"
 * or "\n" as "\n"; with 'all' the bytes after the last line end too, as they
 * are. */
static void print_lines(wc_bytes *in, int all)
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

/* Says on stderr how a wait that did not end in WC_X_OK ended. */
static void say_failure(int x, const char *name, int timeout_ms, const char *err)
{
	if (x == WC_X_CLOSED)
		fprintf(stderr, PROG ": %s closed the connection\n", name);
	else if (x == WC_X_TIMEOUT)
		fprintf(stderr, PROG ": nothing from %s for %d ms\n", name, timeout_ms);
	else
		fprintf(stderr, PROG ": %s\n", err);
}

/* Sends the lines of standard input and prints the replies. Returns the exit
 * status, with a message on stderr when it is not 0. */
static int run(int fd, const wc_addr *server, const struct opts *o)
{
	char err[WC_ERRLEN], name[80];
	wc_bytes in = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 1, x;

	wc_addr_str(server, name, sizeof(name));
	while ((len = wc_prompt_line(NULL, &line, &cap)) >= 0) {
		/* getline() left room for at least the '\n' and a NUL */
		if (o->crlf && (size_t)len + 2 >= cap) {
			char *nl = realloc(line, (size_t)len + 3);
			if (!nl) {
				fprintf(stderr, PROG ": %s\n", strerror(ENOMEM));
				goto out;
			}
			line = nl;
			cap = (size_t)len + 3;
		}
		if (o->crlf)
			line[len++] = '\r';
		line[len++] = '\n';
		x = pump(fd, line, (size_t)len, 0, o->to.timeout_ms, &in, err, sizeof(err));
		print_lines(&in, x != WC_X_OK);
		if (wc_prompt_flush(PROG) < 0)
			goto out;
		if (x != WC_X_OK) {
			say_failure(x, name, o->to.timeout_ms, err);
			goto out;
		}
	}
	if (len == -2) {
		fprintf(stderr, PROG ": read standard input: %s\n", strerror(errno));
		goto out;
	}
	/* the end of our input: say so, and print the rest of the server's */
	if (shutdown(fd, SHUT_WR) < 0) {
		fprintf(stderr, PROG ": shutdown: %s\n", strerror(errno));
		goto out;
	}
	x = pump(fd, NULL, 0, 1, o->to.timeout_ms, &in, err, sizeof(err));
	print_lines(&in, 1);
	if (wc_prompt_flush(PROG) < 0)
		goto out;
	if (x != WC_X_OK) {
		say_failure(x, name, o->to.timeout_ms, err);
		goto out;
	}
	status = 0;
out:
	free(line);
	wc_bytes_free(&in);
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
	if (wc_addr_parse(o.to.server, o.to.port, &server, err, sizeof(err)) < 0 ||
	    (fd = wc_tcp_connect_timeout(&server, o.to.timeout_ms, err, sizeof(err))) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	rc = run(fd, &server, &o);
	close(fd);
	return rc;
}
