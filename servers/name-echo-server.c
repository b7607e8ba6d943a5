/* name-echo-server.c - reference server of the name-echo lab: each line comes back with a name appended, many clients at once */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "server.h"
#include "sock.h"
#include "tcpserv.h"

#define PROG "name-echo-server"
#define DEFAULT_NAME "Ali"
#define LINE_MAX_LEN 65536 /* a longer line is answered in pieces of this size */

struct opts {
	wc_serve_opts serve;
	const char *name;
};

/* One client: the start of a line not yet ended in 'in', the answers still to
 * be sent in base.out. */
struct conn {
	wc_client base; /* first, so that a wc_client * is a struct conn * */
	const struct opts *o;
	wc_bytes in;
	size_t scanned; /* in.p[0..scanned) holds no line end */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--name NAME] [--verbose]\n"
		"\n"
		"Answers each line a TCP client sends (telnet, nc) with the line, a space and\n"
		"NAME, ended as the client ended it (\"\\r\\n\" or \"\\n\"). Serves any number of\n"
		"clients at once, in any segmentation; a line cut by the client's end is\n"
		"answered as if it had ended with \"\\n\", a line longer than %d bytes in\n"
		"pieces of that size, each answered as a line ended by \"\\n\".\n"
		"\n"
		"  --port N     TCP port to listen on, 0 lets the system choose (default %d)\n"
		"  --bind ADDR  address to bind; \"\" is any IPv4 address (default),\n"
		"               \"::\" any IPv6 and IPv4 address\n"
		"  --name NAME  the name appended to each line (default %s)\n"
		"  --verbose    log the address, each connection, each chunk read and each\n"
		"               error to stderr\n"
		"  -h, --help   show this help\n",
		LINE_MAX_LEN, WC_CLI_PORT, DEFAULT_NAME);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"name", required_argument, NULL, 'n'},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->name = DEFAULT_NAME;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1) {
		switch (c) {
		case 'n':
			if (strpbrk(optarg, "\r\n")) {
				fprintf(stderr, PROG ": invalid name '%s' (a line end in it)\n", optarg);
				return wc_cli_usage_hint(PROG);
			}
			o->name = optarg;
			break;
		default: rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
		}
	}
	return rc;
}

/* Queues the answer to one line: its content, a space, the name, the line end
 * ("\r\n" when crlf, else "\n"). */
static void conn_answer(struct conn *c, const uint8_t *line, size_t len, int crlf)
{
	size_t nlen = strlen(c->o->name);
	size_t n = len + 1 + nlen + (crlf ? 2 : 1);
	uint8_t *w;

	if (c->base.dead)
		return;
	if (wc_bytes_reserve(&c->base.out, n) < 0) {
		/* LCOV_EXCL_START: allocation failure */
		wc_client_fail(&c->base, "queueing an answer", ENOMEM);
		return;
		/* LCOV_EXCL_STOP */
	}
	w = c->base.out.p + c->base.out.len;
	memcpy(w, line, len);
	w[len] = ' ';
	memcpy(w + len + 1, c->o->name, nlen);
	memcpy(w + len + 1 + nlen, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
	c->base.out.len += n;
}

/* Answers every whole line in c->in and keeps the rest; a line that has grown
 * to LINE_MAX_LEN bytes without an end is answered as it is (less a final '\r',
 * which may start its "\r\n"). */
static void conn_lines(struct conn *c)
{
	wc_bytes *in = &c->in;
	const uint8_t *p = in->p + in->off, *nl;
	size_t len = in->len - in->off, start = 0, end, cut;

	while ((nl = memchr(p + c->scanned, '\n', len - c->scanned)) != NULL) {
		end = (size_t)(nl - p);
		cut = end > start && p[end - 1] == '\r';
		conn_answer(c, p + start, end - cut - start, (int)cut);
		start = c->scanned = end + 1;
	}
	c->scanned = len;
	if (len - start >= LINE_MAX_LEN) {
		cut = len - start - (p[len - 1] == '\r');
		conn_answer(c, p + start, cut, 0);
		start += cut;
	}
	in->off += start;
	c->scanned -= start;
	wc_bytes_trim(in);
}

/* Takes n bytes of input: appends them to the unfinished line and answers what
 * they finish, LINE_MAX_LEN bytes at most at a time. */
static void conn_feed(struct conn *c, const uint8_t *p, size_t n)
{
	size_t room, take;

	while (n > 0 && !c->base.dead) {
		room = LINE_MAX_LEN - (c->in.len - c->in.off);
		take = n < room ? n : room;
		if (wc_bytes_reserve(&c->in, take) < 0) {
			/* LCOV_EXCL_START: allocation failure */
			wc_client_fail(&c->base, "keeping a line", ENOMEM);
			return;
			/* LCOV_EXCL_STOP */
		}
		memcpy(c->in.p + c->in.len, p, take);
		c->in.len += take;
		p += take;
		n -= take;
		conn_lines(c);
	}
}

/* The client has shut its side: a line it left unfinished is answered as if it
 * had ended with "\n", so "abc\r" gets "abc NAME\r\n". */
static void conn_eof(struct conn *c)
{
	size_t len = wc_bytes_used(&c->in);
	const uint8_t *p;
	int cr;

	c->base.eof = 1;
	if (c->base.closing)
		return;
	if (len) {
		p = c->in.p + c->in.off;
		cr = p[len - 1] == '\r';
		conn_answer(c, p, len - (size_t)cr, cr);
		c->in.off = c->in.len;
		wc_bytes_trim(&c->in);
	}
	wc_client_finish(&c->base, "closed by the client");
}

/* Reads one chunk and answers the lines it ends. */
static void conn_read(wc_client *b, uint8_t *buf)
{
	ssize_t n = wc_client_recv(b, buf);

	if (n < 0)
		conn_eof((struct conn *)b);
	else if (n > 0)
		conn_feed((struct conn *)b, buf, (size_t)n);
}

static wc_client *conn_open(int fd, const wc_addr *peer, void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL; /* LCOV_EXCL_LINE: allocation failure */
	wc_client_init(&c->base, fd, peer);
	c->o = arg;
	return &c->base;
}

static void conn_free(wc_client *b)
{
	struct conn *c = (struct conn *)b;

	wc_bytes_free(&c->in);
	free(c);
}

static const wc_client_ops conn_ops = {
	.open = conn_open,
	.read = conn_read,
	.free = conn_free,
};

int main(int argc, char **argv)
{
	struct opts o;
	wc_tcpserv s;
	char err[WC_ERRLEN];
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	rc = wc_tcpserv_start(&s, PROG, &o.serve, WC_SIG_PIPE_IGNORE, &conn_ops, &o, err, sizeof(err));
	if (rc == 0) {
		/* all clients at once, in this thread */
		rc = wc_tcpserv_epoll(&s, err, sizeof(err));
		wc_server_ending(&s.log);
	}
	wc_tcpserv_close(&s);
	if (rc < 0)
		fprintf(stderr, PROG ": %s\n", err);
	return rc < 0;
}
