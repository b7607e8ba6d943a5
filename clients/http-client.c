/* http-client.c - reference client of the http lab: GET or HEAD of paths, each response written out as it came */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "cursor.h"
#include "http.h"
#include "sock.h"

#define PROG "http-client"

struct opts {
	wc_connect_opts to;
	int head;
	int keep;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--server ADDR] [--port N] [--head] [--timeout MS] [--keep-alive] PATH...\n"
		"\n"
		"Sends an HTTP/1.1 GET (or HEAD) for each PATH and writes each response to\n"
		"standard output exactly as it came: status line, headers and body. The body\n"
		"is read by Content-Length (none after HEAD, 1xx, 204 and 304), or up to the\n"
		"close of the connection.\n"
		"\n"
		"  --server ADDR  server address or name (default 127.0.0.1)\n"
		"  --port N       server port (default %d)\n"
		"  --head         send HEAD instead of GET\n"
		"  --timeout MS   give up when connecting or a response takes this long without\n"
		"                 progress (default %d)\n"
		"  --keep-alive   send all requests over one connection, one after the other\n"
		"                 (a new one when the server closes); otherwise each request\n"
		"                 says 'Connection: close' and has a connection of its own\n"
		"  -h, --help     show this help\n"
		"\n"
		"Exit status: 0 when every response came whole, 1 after a network error, a\n"
		"timeout or a malformed response, 2 for a usage error.\n",
		WC_CLI_PORT, WC_CLI_TIMEOUT_MS);
}

/* A path goes on the request line as it is: no blanks or control bytes. */
static int path_ok(const char *p)
{
	if (!*p)
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Parses the command line into *o; the paths are argv[optind..argc). Returns
 * 0 to run, 1 after --help, 2 after a message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"head", no_argument, &o->head, 1},
		{"keep-alive", no_argument, &o->keep, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_connect_init(&o->to);
	o->head = o->keep = 0;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			wc_cli_bad_option(PROG, c, argv);
			return wc_cli_usage_hint(PROG);
		}
		rc = wc_cli_connect_opt(PROG, c, optarg, &o->to, usage);
	}
	if (rc)
		return rc;
	if (optind >= argc) {
		fprintf(stderr, PROG ": no PATH to ask for\n");
		return wc_cli_usage_hint(PROG);
	}
	for (int i = optind; i < argc; i++) {
		if (!path_ok(argv[i])) {
			fprintf(stderr, PROG ": invalid path '%s' (no blanks or control bytes)\n", argv[i]);
			return wc_cli_usage_hint(PROG);
		}
	}
	return 0;
}

/* The request for path, in *b. */
static void build_request(wc_buf *b, const struct opts *o, const char *path)
{
	int v6 = strchr(o->to.server, ':') != NULL;

	wc_buf_reset(b);
	wc_buf_printf(b, "%s %s%s HTTP/1.1\r\nHost: %s%s%s", o->head ? "HEAD" : "GET", path[0] == '/' ? "" : "/", path,
		      v6 ? "[" : "", o->to.server, v6 ? "]" : "");
	if (o->to.port != 80)
		wc_buf_printf(b, ":%u", (unsigned)o->to.port);
	wc_buf_printf(b, "\r\nUser-Agent: " PROG "\r\nAccept: */*\r\nConnection: %s\r\n\r\n",
		      o->keep ? "keep-alive" : "close");
}

/* One connection and what came on it not written out yet. */
struct link {
	const wc_addr *server;
	char name[80];
	int fd;
	int used; /* a response came on it already */
	wc_bytes in;
	int timeout_ms;
};

static void link_close(struct link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	l->used = 0;
	l->in.off = l->in.len = 0;
}

/* Writes p[0..n) to standard output. Returns 0 or -1 (said on stderr). */
static int put(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n) {
		fprintf(stderr, PROG ": cannot write the response: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* How a body ends. */
enum body { B_NONE, B_LENGTH, B_CLOSE };

/* How the response head h to our request delimits its body (*len for B_LENGTH).
 * Returns -1 for a Content-Length that is not one. */
static int body_of(const wc_http_head *h, int head, enum body *kind, uint64_t *len)
{
	const wc_http_header *f;

	*len = 0;
	*kind = B_NONE;
	if (head || (h->status >= 100 && h->status < 200) || h->status == 204 || h->status == 304)
		return 0;
	*kind = B_CLOSE;
	if (wc_http_find(h, "Transfer-Encoding"))
		return 0;
	f = wc_http_find(h, "Content-Length");
	if (!f)
		return 0;
	*kind = B_LENGTH;
	return wc_http_content_length(f->value, f->value_len, len);
}

/* Whether the connection may carry another request after response head h. */
static int reusable(const wc_http_head *h, enum body kind)
{
	const wc_http_header *f = wc_http_find(h, "Connection");

	if (kind == B_CLOSE || (f && wc_http_has_token(f->value, f->value_len, "close")))
		return 0;
	return h->minor >= 1 || (f && wc_http_has_token(f->value, f->value_len, "keep-alive"));
}

/* Sends req and writes out the response. Returns 0, 1 to send it again on a
 * new connection (a kept one the server had closed), or -1 (said on stderr). */
static int fetch(struct link *l, const struct opts *o, const char *path, const wc_buf *req)
{
	char err[WC_ERRLEN];
	wc_http_head h;
	enum body kind = B_NONE;
	uint64_t blen = 0;
	size_t sent = 0, hl = 0, want = 0;
	int x, rc, have_head = 0;

	for (;;) {
		size_t used = wc_bytes_used(&l->in);
		const char *p = used ? (const char *)l->in.p + l->in.off : "";

		if (!have_head) {
			rc = wc_http_parse_response(p, used, 0, &h, err, sizeof(err));
			if (rc == WC_HTTP_BAD) {
				put(p, used);
				fprintf(stderr, PROG ": malformed response from %s for '%s': %s\n", l->name, path, err);
				return -1;
			}
			if (rc > 0) {
				hl = (size_t)rc;
				if (body_of(&h, o->head, &kind, &blen) < 0) {
					put(p, hl);
					fprintf(stderr, PROG ": invalid Content-Length from %s for '%s'\n", l->name, path);
					return -1;
				}
				if (h.status >= 100 && h.status < 200 && h.status != 101) {
					/* an interim response: the final one follows */
					if (put(p, hl) < 0)
						return -1;
					l->in.off += hl;
					continue;
				}
				if (kind == B_LENGTH && blen > (uint64_t)(SIZE_MAX / 2 - hl)) {
					fprintf(stderr, PROG ": Content-Length from %s too large\n", l->name);
					return -1;
				}
				have_head = 1;
				want = hl + (kind == B_LENGTH ? (size_t)blen : 0);
			}
		}
		if (have_head && kind != B_CLOSE && used >= want)
			break;
		x = wc_bytes_exchange(l->fd, req->p, req->len, &sent, l->timeout_ms, &l->in, "the response", err,
				      sizeof(err));
		/* the queue may have moved */
		used = wc_bytes_used(&l->in);
		p = used ? (const char *)l->in.p + l->in.off : "";
		if (x == WC_X_CLOSED) {
			if (have_head && kind == B_CLOSE)
				break;
			if (!have_head && !used && l->used) {
				link_close(l);
				return 1;
			}
			put(p, used);
			fprintf(stderr, PROG ": %s closed the connection before the whole response for '%s'\n", l->name,
				path);
			return -1;
		}
		if (x == WC_X_TIMEOUT) {
			put(p, used);
			fprintf(stderr, PROG ": no whole response from %s for '%s' within %d ms\n", l->name, path,
				l->timeout_ms);
			return -1;
		}
		if (x == WC_X_ERROR) {
			put(p, used);
			fprintf(stderr, PROG ": %s\n", err);
			return -1;
		}
	}
	if (kind == B_CLOSE)
		want = wc_bytes_used(&l->in);
	if (want && put(l->in.p + l->in.off, want) < 0)
		return -1;
	l->in.off += want;
	l->used = 1;
	if (!o->keep || !reusable(&h, kind))
		link_close(l);
	return 0;
}

/* Asks for every path. Returns the exit status. */
static int run(const wc_addr *server, const struct opts *o, char **paths, int npaths)
{
	char err[WC_ERRLEN];
	struct link l = {.server = server, .fd = -1, .timeout_ms = o->to.timeout_ms};
	wc_buf req;
	int status = 0, rc, tries;

	wc_addr_str(server, l.name, sizeof(l.name));
	wc_buf_init(&req, 0);
	for (int i = 0; i < npaths && !status; i++) {
		build_request(&req, o, paths[i]);
		if (wc_buf_failed(&req)) {
			fprintf(stderr, PROG ": out of memory\n");
			status = 1;
			break;
		}
		for (tries = 0, rc = 1; rc == 1 && tries < 2; tries++) {
			if (l.fd < 0 && (l.fd = wc_tcp_connect_timeout(server, o->to.timeout_ms, err, sizeof(err))) < 0) {
				fprintf(stderr, PROG ": %s\n", err);
				rc = -1;
				break;
			}
			rc = fetch(&l, o, paths[i], &req);
		}
		if (rc != 0)
			status = 1;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, PROG ": cannot write the response: %s\n", strerror(errno));
		status = 1;
	}
	link_close(&l);
	wc_bytes_free(&l.in);
	wc_buf_free(&req);
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
	return run(&server, &o, argv + optind, argc - optind);
}
