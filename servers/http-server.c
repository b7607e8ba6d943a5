/* http-server.c - reference server of the http lab: GET and HEAD of the files in a folder, clients in one epoll loop */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "clock.h"
#include "cursor.h"
#include "http.h"
#include "log.h"
#include "server.h"
#include "sock.h"
#include "tcpserv.h"

#define PROG "http-server"
#define SERVER_NAME "wirecheck-http-server"
#define HEAD_MAX (64 * 1024)        /* a request head longer than this is refused (431) */
#define TARGET_MAX 8192             /* a longer request target is refused (414) */
#define OUT_MAX (256 * 1024)        /* unsent bytes above which we stop reading */
#define IDLE_MS 10000               /* a connection that does nothing this long is closed (default) */
#define IDLE_MS_MAX 3600000         /* the longest --idle-timeout */
#define SENDFILE_MAX (1024 * 1024)  /* bytes given to one sendfile() */
#define SMALL_FILE (16 * 1024)      /* a file up to this size goes out with its head, in one send */
#define LISTING_MAX (4 * 1024 * 1024) /* a directory listing larger than this is a 500 */
#define EVENTS_MAX 64
#define ACCEPT_BURST 64

struct opts {
	wc_serve_opts serve;
	const char *root;
	int idle_ms;
};

/* What every connection shares: the folder served, how long one may idle. */
struct site {
	int rootfd;           /* O_PATH of the root folder */
	char rootreal[PATH_MAX]; /* its real path, for kernels without openat2() */
	int idle_ms;
};

/* One client: its requests come into 'in', its responses go out through
 * base.out, then 'file' (sendfile) when the response has a file body. */
struct conn {
	wc_client base; /* first, so that a wc_client * is a struct conn * */
	const struct site *site;
	wc_bytes in;         /* request bytes not handled yet: in.p[in.off..in.len) */
	uint64_t skip;       /* body bytes of the last request still to drop */
	int file;            /* the file being sent, -1 for none */
	off_t file_off;
	uint64_t file_left;
	struct timespec deadline; /* closed when nothing happens until then */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--root DIR] [--idle-timeout MS] [--verbose]\n"
		"\n"
		"Serves the files below DIR over HTTP/1.1 (GET and HEAD), many clients at\n"
		"once, with keep-alive and pipelining; a folder is served as its index.html\n"
		"or a listing. Nothing outside DIR is served: '..' and symbolic links that\n"
		"lead out of it are answered 404.\n"
		"\n"
		"  --port N     TCP port to listen on, 0 lets the system choose (default %d)\n"
		"  --bind ADDR  address to bind; \"\" is any IPv4 address (default),\n"
		"               \"::\" any IPv6 and IPv4 address\n"
		"  --root DIR   the folder to serve (default .)\n"
		"  --idle-timeout MS\n"
		"               close a connection that does nothing for MS milliseconds,\n"
		"               1..%d (default %d): a request begun gets 408 first\n"
		"  --verbose    log the address, each connection, each chunk read, each\n"
		"               request and each error to stderr\n"
		"  -h, --help   show this help\n"
		"\n"
		"Every response has Date, Server, Content-Length, Content-Type and Connection,\n"
		"and Last-Modified for a file or folder. A connection stays open after a\n"
		"response unless the client asks otherwise (HTTP/1.1: 'Connection: close';\n"
		"HTTP/1.0: no 'Connection: keep-alive'), the request was malformed (400), or\n"
		"it stays idle (10 s unless --idle-timeout says otherwise).\n",
		WC_CLI_PORT, IDLE_MS_MAX, IDLE_MS);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"root", required_argument, NULL, 'r'},
		{"idle-timeout", required_argument, NULL, 'i'},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;
	char *end;
	long v;

	wc_cli_serve_init(&o->serve);
	o->root = ".";
	o->idle_ms = IDLE_MS;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1) {
		if (c == 'r') {
			o->root = optarg;
		} else if (c == 'i') {
			errno = 0;
			v = *optarg >= '0' && *optarg <= '9' ? strtol(optarg, &end, 10) : 0;
			if (v < 1 || v > IDLE_MS_MAX || errno || *end) {
				fprintf(stderr, PROG ": invalid idle timeout '%s' (want 1..%d ms)\n", optarg, IDLE_MS_MAX);
				return wc_cli_usage_hint(PROG);
			}
			o->idle_ms = (int)v;
		} else {
			rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
		}
	}
	return rc;
}

/* Opens the folder to serve. Returns 0, or -1 with the reason in err. */
static int site_open(struct site *s, const char *root, char *err, size_t errlen)
{
	s->rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->rootfd < 0 || !realpath(root, s->rootreal)) {
		snprintf(err, errlen, "cannot open the root folder '%s': %s", root, strerror(errno));
		return -1;
	}
	return 0;
}

/* Opens path (relative, "" for the root) below the root, following symbolic
 * links only while they stay below it. Returns the fd, or -1 with errno set
 * (EXDEV or ELOOP for a way out). */
static int open_below(const struct site *s, const char *path, int flags)
{
	struct open_how how;
	char link[64], real[PATH_MAX];
	size_t rl = strlen(s->rootreal);
	ssize_t n;
	int fd, e;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, s->rootfd, *path ? path : ".", &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	/* no openat2(): open, then ask where the descriptor leads */
	fd = openat(s->rootfd, *path ? path : ".", flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, real, sizeof(real) - 1);
	if (n < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	real[n] = 0;
	if (strncmp(real, s->rootreal, rl) || (real[rl] != '/' && real[rl] != 0 && strcmp(s->rootreal, "/"))) {
		close(fd);
		errno = EXDEV;
		return -1;
	}
	return fd;
}

static void conn_touch(struct conn *c)
{
	wc_clock_now(&c->deadline);
	wc_clock_add_ms(&c->deadline, c->site->idle_ms);
}

/* Queues b's bytes for the client. */
static void conn_queue(struct conn *c, wc_buf *b)
{
	wc_bytes *out = &c->base.out;

	if (c->base.dead)
		return;
	if (wc_buf_failed(b) || wc_bytes_reserve(out, b->len) < 0) {
		/* LCOV_EXCL_START: allocation failure */
		wc_client_fail(&c->base, "queueing a response", ENOMEM);
		return;
		/* LCOV_EXCL_STOP */
	}
	memcpy(out->p + out->len, b->p, b->len);
	out->len += b->len;
}

/* Holds partial segments back while on (the head of a response, then its file
 * goes in full segments: no wait for a delayed ACK between them), sends them
 * when set off. */
static void conn_cork(struct conn *c, int on)
{
	setsockopt(c->base.fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on));
}

/* What a response says besides its status. */
struct reply {
	int status;
	const char *type;     /* Content-Type */
	uint64_t length;      /* Content-Length */
	const struct stat *st; /* Last-Modified from it, when not NULL */
	const char *extra;    /* more header lines, each ending in CRLF, or NULL */
	const void *body;     /* sent after the head unless HEAD, or NULL */
	int keep;             /* keep the connection open after it */
	int head;             /* a HEAD request: no body */
};

/* Queues a response head (and the body of a generated one). */
static void conn_respond(struct conn *c, const struct reply *r)
{
	char date[30];
	wc_buf b;

	wc_buf_init(&b, 0);
	wc_http_date(time(NULL), date);
	wc_buf_printf(&b, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: " SERVER_NAME "\r\n", r->status,
		      wc_http_reason(r->status), date);
	if (r->st) {
		wc_http_date(r->st->st_mtime, date);
		wc_buf_printf(&b, "Last-Modified: %s\r\n", date);
	}
	wc_buf_printf(&b, "Content-Length: %llu\r\nContent-Type: %s\r\nConnection: %s\r\n%s\r\n",
		      (unsigned long long)r->length, r->type, r->keep ? "keep-alive" : "close",
		      r->extra ? r->extra : "");
	if (r->body && !r->head)
		wc_buf_put(&b, r->body, (size_t)r->length);
	if (!r->keep)
		/* the last response: held until the close, its FIN goes in its segment */
		conn_cork(c, 1);
	conn_queue(c, &b);
	wc_buf_free(&b);
	if (!r->keep)
		wc_client_finish(&c->base, "Connection: close");
}

/* A response with a small generated HTML page for status. */
static void conn_status(struct conn *c, int status, const char *extra, int keep, int head)
{
	struct reply r = {.status = status, .type = "text/html", .extra = extra, .keep = keep, .head = head};
	char page[256];
	int n;

	n = snprintf(page, sizeof(page),
		     "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n<body><h1>%d %s</h1></body></html>\n",
		     status, wc_http_reason(status), status, wc_http_reason(status));
	r.length = n > 0 && (size_t)n < sizeof(page) ? (size_t)n : 0;
	r.body = page;
	conn_respond(c, &r);
}

/* Appends s with the bytes HTML gives a meaning escaped. */
static void put_html(wc_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': wc_buf_str(b, "&amp;"); break;
		case '<': wc_buf_str(b, "&lt;"); break;
		case '>': wc_buf_str(b, "&gt;"); break;
		case '"': wc_buf_str(b, "&quot;"); break;
		case '\'': wc_buf_str(b, "&#39;"); break;
		default: wc_buf_u8(b, (uint8_t)*s);
		}
	}
}

/* Appends s percent-encoded but its unreserved bytes (and '/' when keep_slash). */
static void put_url(wc_buf *b, const char *s, int keep_slash)
{
	for (; *s; s++) {
		unsigned char u = (unsigned char)*s;
		if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || strchr("-._~", u) ||
		    (keep_slash && u == '/'))
			wc_buf_u8(b, u);
		else
			wc_buf_printf(b, "%%%02X", u);
	}
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* A listing of the folder dirfd at path (relative, "" for the root). */
static void conn_listing(struct conn *c, int dirfd, const char *path, const struct stat *st, int keep, int head)
{
	struct reply r = {.status = 200, .type = "text/html", .st = st, .keep = keep, .head = head};
	struct dirent **names = NULL;
	struct stat est;
	wc_buf b;
	int n;

	n = scandirat(dirfd, ".", &names, NULL, by_name);
	if (n < 0) {
		conn_status(c, errno == EMFILE || errno == ENFILE || errno == ENOMEM ? 500 : 403, NULL, keep, head);
		return;
	}
	wc_buf_init(&b, LISTING_MAX);
	wc_buf_str(&b, "<!DOCTYPE html>\n<html><head><title>Index of /");
	put_html(&b, path);
	wc_buf_str(&b, "</title></head>\n<body><h1>Index of /");
	put_html(&b, path);
	wc_buf_str(&b, "</h1>\n<ul>\n");
	if (*path)
		wc_buf_str(&b, "<li><a href=\"../\">../</a></li>\n");
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		int dir = names[i]->d_type == DT_DIR;

		if (names[i]->d_type == DT_UNKNOWN && fstatat(dirfd, name, &est, AT_SYMLINK_NOFOLLOW) == 0)
			dir = S_ISDIR(est.st_mode);
		if (strcmp(name, ".") && strcmp(name, "..")) {
			wc_buf_str(&b, "<li><a href=\"");
			put_url(&b, name, 0);
			wc_buf_str(&b, dir ? "/\">" : "\">");
			put_html(&b, name);
			wc_buf_str(&b, dir ? "/</a></li>\n" : "</a></li>\n");
		}
		free(names[i]);
	}
	free(names);
	wc_buf_str(&b, "</ul>\n</body></html>\n");
	if (wc_buf_failed(&b)) {
		conn_status(c, 500, NULL, keep, head);
	} else {
		r.length = b.len;
		r.body = b.p;
		conn_respond(c, &r);
	}
	wc_buf_free(&b);
}

/* The status for a file that could not be opened. */
static int open_status(int e)
{
	if (e == EACCES || e == EPERM)
		return 403;
	if (e == EMFILE || e == ENFILE || e == ENOMEM)
		return 500;
	return 404;
}

/* Non-zero when the request has If-Modified-Since no older than st's mtime. */
static int not_modified(const wc_http_head *h, const struct stat *st)
{
	const wc_http_header *f = wc_http_find(h, "If-Modified-Since");
	time_t t;

	return f && wc_http_parse_date(f->value, f->value_len, &t) == 0 && st->st_mtime <= t;
}


/* Reads all of a small file fd into small[0..size); 0, or -1 when it did not
 * have size bytes (it changed since fstat). */
static int read_small(int fd, uint8_t *small, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = pread(fd, small + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Sends the regular file fd (taken) as the response. A small file is read and
 * queued behind its head, so both leave in one send (profiled under wrk: the
 * cork, sendfile and uncork of a small file were three of nine system calls
 * a request); a larger one follows its head through sendfile. */
static void conn_file(struct conn *c, const wc_http_head *h, int fd, const char *path, const struct stat *st, int keep,
		      int head)
{
	struct reply r = {.status = 200, .type = wc_http_media_type(path), .st = st, .keep = keep, .head = head};
	uint8_t small[SMALL_FILE];

	r.length = (uint64_t)st->st_size;
	if (not_modified(h, st)) {
		r.status = 304;
		r.head = 1;
	}
	if (!r.head && st->st_size > 0 && st->st_size <= SMALL_FILE && read_small(fd, small, (size_t)st->st_size) == 0) {
		r.body = small;
		conn_respond(c, &r);
		close(fd);
		return;
	}
	if (!r.head && st->st_size)
		conn_cork(c, 1);
	conn_respond(c, &r);
	if (r.head || !st->st_size || c->base.dead) {
		close(fd);
		return;
	}
	c->file = fd;
	c->file_off = 0;
	c->file_left = (uint64_t)st->st_size;
}

/* The path part of the target, up to '?' or '#', ends in '/'. */
static int ends_in_slash(const wc_http_head *h)
{
	size_t n = 0;

	while (n < h->target_len && h->target[n] != '?' && h->target[n] != '#')
		n++;
	return n && h->target[n - 1] == '/';
}

/* A GET or HEAD of path (relative, "" for the root). */
static void conn_get(struct conn *c, const wc_http_head *h, const char *path, int keep, int head)
{
	char index[PATH_MAX + 16];
	struct stat st, ist;
	wc_buf loc;
	int fd, ifd;

	fd = open_below(c->site, path, O_RDONLY);
	if (fd < 0) {
		conn_status(c, open_status(errno), NULL, keep, head);
		return;
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		conn_status(c, 500, NULL, keep, head);
		return;
	}
	if (S_ISREG(st.st_mode)) {
		conn_file(c, h, fd, path, &st, keep, head);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		conn_status(c, 403, NULL, keep, head);
		return;
	}
	if (!ends_in_slash(h)) {
		/* "/dir" to "/dir/", so that the page's relative links work */
		close(fd);
		wc_buf_init(&loc, 0);
		wc_buf_str(&loc, "Location: /");
		put_url(&loc, path, 1);
		wc_buf_str(&loc, "/\r\n");
		conn_status(c, 301, wc_buf_failed(&loc) ? NULL : wc_buf_cstr(&loc), keep, head);
		wc_buf_free(&loc);
		return;
	}
	snprintf(index, sizeof(index), "%s%sindex.html", path, *path ? "/" : "");
	ifd = open_below(c->site, index, O_RDONLY);
	if (ifd >= 0 && fstat(ifd, &ist) == 0 && S_ISREG(ist.st_mode)) {
		close(fd);
		conn_file(c, h, ifd, index, &ist, keep, head);
		return;
	}
	if (ifd >= 0)
		close(ifd);
	conn_listing(c, fd, path, &st, keep, head);
	close(fd);
}

/* Handles one whole request head. */
static void conn_request(struct conn *c, const wc_http_head *h)
{
	const wc_http_header *f;
	char path[PATH_MAX];
	uint64_t len = 0;
	int keep, head = 0, n;

	f = wc_http_find(h, "Connection");
	if (h->major == 1 && h->minor >= 1)
		keep = !(f && wc_http_has_token(f->value, f->value_len, "close"));
	else
		keep = f && wc_http_has_token(f->value, f->value_len, "keep-alive") &&
		       !wc_http_has_token(f->value, f->value_len, "close");
	wc_log_detail("%s: %.*s %.*s HTTP/%d.%d", c->base.name, (int)h->method_len, h->method, (int)h->target_len,
		      h->target, h->major, h->minor);
	if (h->major != 1) {
		conn_status(c, 505, NULL, 0, 0);
		return;
	}
	if (wc_http_find(h, "Transfer-Encoding")) {
		/* a body we cannot delimit: answer, then close */
		conn_status(c, 501, NULL, 0, 0);
		return;
	}
	for (size_t i = 0; i < h->nheaders; i++) {
		uint64_t v;
		f = &h->headers[i];
		if (f->name_len != 14 || strncasecmp(f->name, "Content-Length", 14))
			continue;
		if (wc_http_content_length(f->value, f->value_len, &v) < 0 || (len && v != len)) {
			conn_status(c, 400, NULL, 0, 0);
			return;
		}
		len = v;
	}
	c->skip = len;
	if (h->method_len == 4 && !memcmp(h->method, "HEAD", 4))
		head = 1;
	else if (h->method_len != 3 || memcmp(h->method, "GET", 3)) {
		conn_status(c, 501, "Allow: GET, HEAD\r\n", keep, 0);
		return;
	}
	if (h->target_len > TARGET_MAX) {
		conn_status(c, 414, NULL, keep, head);
		return;
	}
	n = wc_http_target_path(h->target, h->target_len, path, sizeof(path));
	if (n < 0) {
		/* a target that is no path at all is malformed; a path we refuse is not found */
		if (h->target[0] == '/' || (h->target_len > 7 && !strncasecmp(h->target, "http", 4)))
			conn_status(c, 404, NULL, keep, head);
		else
			conn_status(c, 400, NULL, 0, head);
		return;
	}
	conn_get(c, h, path, keep, head);
}

/* Drops body bytes of the last request from the front of 'in'. */
static void conn_skip_body(struct conn *c)
{
	size_t used = wc_bytes_used(&c->in), n = c->skip < used ? (size_t)c->skip : used;

	c->in.off += n;
	c->skip -= n;
	wc_bytes_trim(&c->in);
}

/* Handles the next whole request in 'in', if any. Returns 1 when one was. */
static int conn_next(struct conn *c)
{
	size_t used = wc_bytes_used(&c->in);
	const char *p;
	wc_http_head h;
	char err[128];
	int rc;

	if (!used || c->base.closing || c->base.dead)
		return 0;
	p = (const char *)c->in.p + c->in.off;
	rc = wc_http_parse_request(p, used, HEAD_MAX, &h, err, sizeof(err));
	if (rc == WC_HTTP_INCOMPLETE)
		return 0;
	if (rc == WC_HTTP_BAD) {
		/* too long, or malformed: the first HEAD_MAX - 1 bytes tell */
		int too_long = used >= HEAD_MAX &&
			       wc_http_parse_request(p, HEAD_MAX - 1, HEAD_MAX, &h, NULL, 0) == WC_HTTP_INCOMPLETE;
		wc_log_detail("%s: %s", c->base.name, too_long ? "request head too long" : err);
		conn_status(c, too_long ? 431 : 400, NULL, 0, 0);
		return 1;
	}
	c->in.off += (size_t)rc;
	conn_request(c, &h);
	conn_skip_body(c);
	return 1;
}

/* Sends what the socket takes of the file. Returns 1 once it is all sent, 0
 * while more waits, -1 after an error (c dead). */
static int conn_send_file(struct conn *c)
{
	ssize_t n;

	while (c->file_left) {
		n = sendfile(c->base.fd, c->file, &c->file_off,
			     c->file_left < SENDFILE_MAX ? (size_t)c->file_left : SENDFILE_MAX);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			/* an error, or the file shrank since its Content-Length */
			wc_client_fail(&c->base, "sendfile", n < 0 ? errno : EIO);
			return -1;
		}
		conn_touch(c);
		c->file_left -= (uint64_t)n;
	}
	close(c->file);
	c->file = -1;
	conn_cork(c, 0);
	return 1;
}

/* Moves responses out and, once one is all sent, handles the next request. */
static void conn_flush(struct conn *c)
{
	size_t before;

	while (!c->base.dead) {
		before = wc_bytes_used(&c->base.out);
		wc_client_flush(&c->base);
		if (wc_bytes_used(&c->base.out) != before)
			conn_touch(c);
		if (wc_bytes_used(&c->base.out))
			return;
		if (c->file >= 0) {
			if (conn_send_file(c) <= 0)
				return;
			continue;
		}
		if (conn_next(c))
			continue;
		if (c->base.eof && !c->base.closing)
			wc_client_finish(&c->base, "closed by the client");
		return;
	}
}

/* Reads one chunk: body bytes to drop, then request bytes to keep. */
static void conn_read(wc_client *b, uint8_t *buf)
{
	struct conn *c = (struct conn *)b;
	ssize_t n = wc_client_recv(b, buf);
	size_t drop;

	if (n < 0) {
		b->eof = 1;
		return;
	}
	if (n == 0)
		return;
	conn_touch(c);
	drop = c->skip < (uint64_t)n ? (size_t)c->skip : (size_t)n;
	c->skip -= drop;
	if ((size_t)n == drop)
		return;
	if (wc_bytes_reserve(&c->in, (size_t)n - drop) < 0) {
		/* LCOV_EXCL_START: allocation failure */
		wc_client_fail(b, "keeping a request", ENOMEM);
		return;
		/* LCOV_EXCL_STOP */
	}
	memcpy(c->in.p + c->in.len, buf + drop, (size_t)n - drop);
	c->in.len += (size_t)n - drop;
}

/* The epoll events c waits for: input while there is room for it (and,
 * closing, to drop it), output while a response is on its way. */
static uint32_t conn_events(const struct conn *c)
{
	uint32_t ev = 0;

	if (c->base.dead)
		return 0;
	if (wc_bytes_used(&c->base.out) || c->file >= 0)
		ev |= EPOLLOUT;
	if (!c->base.eof && (c->base.closing || (wc_bytes_used(&c->in) < HEAD_MAX &&
						  wc_bytes_used(&c->base.out) <= OUT_MAX)))
		ev |= EPOLLIN;
	return ev;
}

static int conn_over(const struct conn *c)
{
	return c->base.dead || (c->base.closing && !wc_bytes_used(&c->base.out) && c->file < 0);
}

/* Nothing happened until the deadline: a request begun gets 408, a response
 * the client does not take ends the connection. */
static void conn_timeout(struct conn *c)
{
	if (wc_bytes_used(&c->base.out) || c->file >= 0) {
		wc_client_fail(&c->base, "sending", ETIMEDOUT);
		return;
	}
	if (c->base.closing) {
		wc_client_fail(&c->base, "closing", ETIMEDOUT);
		return;
	}
	if (wc_bytes_used(&c->in)) {
		conn_status(c, 408, NULL, 0, 0);
		conn_touch(c);
		return;
	}
	wc_client_finish(&c->base, "idle");
}

static wc_client *conn_open(int fd, const wc_addr *peer, void *arg)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL; /* LCOV_EXCL_LINE: allocation failure */
	wc_client_init(&c->base, fd, peer);
	c->site = arg;
	c->file = -1;
	conn_touch(c);
	return &c->base;
}

static void conn_free(wc_client *b)
{
	struct conn *c = (struct conn *)b;

	if (c->file >= 0)
		close(c->file);
	wc_bytes_free(&c->in);
	free(c);
}

static const wc_client_ops conn_ops = {
	.open = conn_open,
	.read = conn_read,
	.free = conn_free,
};

/* The epoll loop: the listening socket (data NULL) and every client. */
struct loop {
	wc_tcpserv *s;
	int epfd;
	int listening;
	struct conn *head; /* through base.next/prev */
	uint8_t *buf;
};

static void loop_unlink(struct loop *l, struct conn *c)
{
	if (c->base.prev)
		c->base.prev->next = c->base.next;
	else
		l->head = (struct conn *)c->base.next;
	if (c->base.next)
		c->base.next->prev = c->base.prev;
}

/* After something happened to c: ends it when it is over, else watches for
 * what it now waits for. */
static void loop_update(struct loop *l, struct conn *c)
{
	struct epoll_event ev;
	uint32_t want;

	if (!conn_over(c)) {
		want = conn_events(c);
		if (!want) {
			/* waits for nothing: it would never end */
			wc_client_finish(&c->base, "nothing left to do");
			goto end;
		}
		if (want == c->base.watched)
			return;
		memset(&ev, 0, sizeof(ev));
		ev.events = want;
		ev.data.ptr = c;
		if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->base.fd, &ev) == 0) {
			c->base.watched = want;
			return;
		}
		wc_client_fail(&c->base, "epoll_ctl", errno);
	}
end:
	/* its close takes it out of the epoll set: no descriptor of it is shared */
	loop_unlink(l, c);
	wc_tcpserv_end(l->s, &c->base, l->buf);
}

static int loop_listen(struct loop *l, int op)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	return epoll_ctl(l->epfd, op, l->s->fd, op == EPOLL_CTL_DEL ? NULL : &ev);
}

static void loop_accept(struct loop *l)
{
	struct epoll_event ev;
	wc_client *b;
	struct conn *c;

	for (int i = 0; i < ACCEPT_BURST && !l->s->paused && (b = wc_tcpserv_take(l->s)) != NULL; i++) {
		c = (struct conn *)b;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, b->fd, &ev) < 0) {
			wc_errlog_say(&l->s->log, "cannot watch %s: epoll_ctl: %s", b->name, strerror(errno));
			wc_client_fail(b, "epoll_ctl", errno);
			wc_tcpserv_end(l->s, b, l->buf);
			continue;
		}
		b->watched = EPOLLIN;
		b->prev = NULL;
		b->next = l->head ? &l->head->base : NULL;
		if (l->head)
			l->head->base.prev = b;
		l->head = c;
	}
	if (l->s->paused && loop_listen(l, EPOLL_CTL_DEL) == 0)
		l->listening = 0;
}

/* Milliseconds until the first deadline: a client's, or the end of a pause in
 * accepting. */
static int loop_timeout(const struct loop *l, const struct timespec *now)
{
	int timeout = l->listening ? -1 : wc_clock_ms_until(now, &l->s->resume), ms;

	for (const struct conn *c = l->head; c; c = (const struct conn *)c->base.next) {
		ms = wc_clock_ms_until(now, &c->deadline);
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

static void loop_deadlines(struct loop *l)
{
	struct timespec now;
	struct conn *c, *next;

	wc_clock_now(&now);
	for (c = l->head; c; c = next) {
		next = (struct conn *)c->base.next;
		if (wc_clock_ms_until(&now, &c->deadline) == 0) {
			conn_timeout(c);
			conn_flush(c);
			loop_update(l, c);
		}
	}
}

/* Serves until a signal. Returns 0, or -1 with the failed call in err. */
static int serve(wc_tcpserv *s, char *err, size_t errlen)
{
	struct epoll_event evs[EVENTS_MAX];
	struct loop l = {.s = s, .epfd = -1, .listening = 1};
	struct timespec now;
	struct conn *c, *next;
	int n, rc = 0;

	l.buf = malloc(WC_CHUNK);
	if (!l.buf) {
		/* LCOV_EXCL_START: allocation failure */
		snprintf(err, errlen, "malloc: %s", strerror(errno));
		return -1;
		/* LCOV_EXCL_STOP */
	}
	l.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l.epfd < 0 || loop_listen(&l, EPOLL_CTL_ADD) < 0) {
		snprintf(err, errlen, "%s: %s", l.epfd < 0 ? "epoll_create1" : "epoll_ctl", strerror(errno));
		rc = -1;
	}
	while (!rc && !wc_stop_signal) {
		wc_clock_now(&now);
		if (!l.listening && wc_clock_ms_until(&now, &s->resume) == 0) {
			s->paused = 0;
			if (loop_listen(&l, EPOLL_CTL_ADD) < 0) {
				snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
				rc = -1;
				break;
			}
			l.listening = 1;
		}
		n = epoll_pwait(l.epfd, evs, EVENTS_MAX, loop_timeout(&l, &now), &s->waitmask);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "epoll_pwait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (int i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (!c) {
				loop_accept(&l);
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLERR) || (evs[i].events & EPOLLHUP && !c->base.eof))
				conn_read(&c->base, l.buf);
			conn_flush(c);
			loop_update(&l, c);
		}
		loop_deadlines(&l);
	}
	for (c = l.head; c; c = next) {
		next = (struct conn *)c->base.next;
		wc_client_stopping(&c->base);
		wc_tcpserv_end(s, &c->base, l.buf);
	}
	if (l.epfd >= 0)
		close(l.epfd);
	free(l.buf);
	wc_server_ending(&s->log);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct site site = {.rootfd = -1};
	wc_tcpserv s;
	char err[WC_ERRLEN];
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	site.idle_ms = o.idle_ms;
	if (site_open(&site, o.root, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (wc_tcpserv_start(&s, PROG, &o.serve, WC_SIG_PIPE_IGNORE, &conn_ops, &site, err, sizeof(err)) < 0 ||
	    serve(&s, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	wc_tcpserv_close(&s);
	close(site.rootfd);
	return rc;
}
