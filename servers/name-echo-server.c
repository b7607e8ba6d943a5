/* name-echo-server.c - reference server of the name-echo lab: each line comes back with a name appended, many clients at once */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cursor.h"
#include "hexdump.h"
#include "sock.h"

#define PROG "name-echo-server"
#define DEFAULT_PORT 12000
#define DEFAULT_NAME "Ali"
#define CHUNK_MAX 65536         /* bytes taken from a connection by one read */
#define LINE_MAX_LEN 65536      /* a longer line is answered in pieces of this size */
#define OUT_MAX (256 * 1024)    /* unsent bytes to a client above which we stop reading from it */
#define OUTQ_KEEP 65536         /* an emptied send queue bigger than this is freed */
#define DRAIN_MAX (1024 * 1024) /* unread input dropped before a close, so that it does not reset */
#define QUOTE_MAX 64            /* bytes of a chunk shown in a --verbose line */
#define PAUSE_MS 100            /* accepting rests this long after an error that would repeat at once */
#define EVENTS_MAX 64           /* epoll events taken per wait */
#define ACCEPT_BURST 64         /* connections taken per wake-up */

/* The signal that asked us to stop, 0 while serving. */
static volatile sig_atomic_t stop_signal;

struct opts {
	const char *bind;
	uint16_t port;
	const char *name;
	int verbose;
};

/* Errors of accepting: every one logged with --verbose, otherwise at most one a
 * second, with the count of those held back since the last one. */
struct errlog {
	int verbose;
	int logged;
	struct timespec last;
	unsigned long held;
};

/* The listening socket; a spare descriptor, given up when the process has none
 * left so that the connection that found none can be taken and closed instead of
 * waking us again and again; a pause in accepting after errors that would repeat
 * at once (ENFILE, ENOBUFS...). */
struct acceptor {
	int fd;
	int spare;
	int paused;
	struct timespec resume;
	struct errlog log;
	int verbose;
};

/* Bytes: p[off..len) are in use. */
struct bytes {
	uint8_t *p;
	size_t off, len, cap;
};

/* One client: the start of a line not yet ended in 'in', the answers still to
 * be sent in 'out'. */
struct conn {
	int fd;
	char name[80]; /* the client's address, "1.2.3.4:5" */
	const struct opts *o;
	struct bytes in;
	size_t scanned; /* in.p[0..scanned) holds no line end */
	struct bytes out;
	int closing;    /* answer no more: send what is queued, then close */
	int eof;        /* the client has shut its side */
	int dead;       /* an error: close at once */
	char why[160];  /* why the connection ends, for --verbose */
	uint32_t watched;
	struct conn *prev, *next;
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
		LINE_MAX_LEN, DEFAULT_PORT, DEFAULT_NAME);
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Writes "PROG: message\n" with one write(), so that lines from threads and
 * child processes do not mix. */
static void vlog(const char *fmt, va_list ap)
{
	char line[1024];
	size_t n = sizeof(PROG ": ") - 1;
	int w;

	memcpy(line, PROG ": ", n);
	w = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (w < 0)
		w = 0;
	n += (size_t)w < sizeof(line) - n - 1 ? (size_t)w : sizeof(line) - n - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere left to say it */
	}
}

static void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void log_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

static void now_mono(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

static void add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

/* Milliseconds from *now until *deadline, rounded up, 0 once it has passed. */
static int ms_until(const struct timespec *now, const struct timespec *deadline)
{
	long long ns = (long long)(deadline->tv_sec - now->tv_sec) * 1000000000 + (deadline->tv_nsec - now->tv_nsec);

	if (ns <= 0)
		return 0;
	return ns >= (long long)1000000 * 1000000 ? 1000000 : (int)((ns + 999999) / 1000000);
}

static void log_error(struct errlog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_error(struct errlog *l, const char *fmt, ...)
{
	struct timespec now;
	char msg[600];
	va_list ap;

	now_mono(&now);
	if (!l->verbose && l->logged && ms_until(&l->last, &now) < 1000) {
		l->held++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->held)
		log_msg("%s (and %lu earlier errors not shown)", msg, l->held);
	else
		log_msg("%s", msg);
	l->logged = 1;
	l->last = now;
	l->held = 0;
}

static void log_chunk(const uint8_t *p, size_t len, const char *from)
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
		{"name", required_argument, NULL, 'n'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->bind = "";
	o->port = DEFAULT_PORT;
	o->name = DEFAULT_NAME;
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
		case 'n':
			if (strpbrk(optarg, "\r\n")) {
				fprintf(stderr, PROG ": invalid name '%s' (a line end in it)\n", optarg);
				goto bad;
			}
			o->name = optarg;
			break;
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

/* A non-blocking listening TCP socket on *a with SO_REUSEADDR; an IPv6 one also
 * takes IPv4 (IPV6_V6ONLY off), which wc_tcp_listen() cannot do as it binds at
 * once. Returns the fd, or -1 with the failed call in err. */
static int open_listener(const wc_addr *a, char *err, size_t errlen)
{
	int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int off = 0, one = 1;
	char name[80];

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "setsockopt SO_REUSEADDR: %s", strerror(errno));
		goto fail;
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
	if (listen(fd, SOMAXCONN) < 0) {
		snprintf(err, errlen, "listen: %s", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Catches SIGTERM and SIGINT, blocked except inside epoll_pwait(), so that a
 * signal can only arrive while we wait and is never missed. Ignores SIGPIPE.
 * *waitmask gets the mask to wait with. Returns 0, or -1 with the failed call in
 * err. */
static int setup_signals(sigset_t *waitmask, char *err, size_t errlen)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
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
	sa.sa_handler = on_signal;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		goto fail;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "sigaction: %s", strerror(errno));
	return -1;
}

/* Raises the soft limit on open files to the hard one, for many clients at once.
 * Returns 0, or -1 with the failed call in err. */
static int raise_nofile(char *err, size_t errlen)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "getrlimit RLIMIT_NOFILE: %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur == rl.rlim_max)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(err, errlen, "setrlimit RLIMIT_NOFILE: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void pause_accepting(struct acceptor *a)
{
	a->paused = 1;
	now_mono(&a->resume);
	add_ms(&a->resume, PAUSE_MS);
}

/* Ends a pause in accepting once its time has come. Returns 1 when accepting. */
static int accepting(struct acceptor *a, const struct timespec *now)
{
	if (a->paused && ms_until(now, &a->resume) == 0)
		a->paused = 0;
	return !a->paused;
}

/* Takes one waiting connection. Returns its fd (non-blocking, close-on-exec)
 * with the client's address in *peer, or -1 when there is none to take now:
 * none waiting, or an error (logged; a repeating one pauses accepting). */
static int take_client(struct acceptor *a, wc_addr *peer)
{
	int fd, e;

	for (;;) {
		memset(peer, 0, sizeof(*peer));
		peer->len = sizeof(peer->ss);
		fd = accept4(a->fd, (struct sockaddr *)&peer->ss, &peer->len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		e = errno;
		if (e == EINTR)
			continue;
		if (e == EAGAIN || e == EWOULDBLOCK)
			return -1;
		if ((e == EMFILE || e == ENFILE) && a->spare >= 0) {
			/* out of descriptors: free the spare to take the client and close it */
			close(a->spare);
			fd = accept(a->fd, NULL, NULL);
			if (fd >= 0)
				close(fd);
			a->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
			log_error(&a->log, "accept: %s; a client was turned away", strerror(e));
			if (fd < 0 || a->spare < 0)
				pause_accepting(a);
			return -1;
		}
		log_error(&a->log, "accept: %s", strerror(e));
		/* these concern one client; the next one may be fine */
		if (e != ECONNABORTED && e != EPROTO && e != EPERM && e != ENETDOWN && e != EHOSTUNREACH &&
		    e != ENETUNREACH && e != EHOSTDOWN && e != ENONET && e != EOPNOTSUPP && e != ETIMEDOUT)
			pause_accepting(a);
		return -1;
	}
}

/* Makes room for n more bytes at b->p + b->len, moving the bytes in use to the
 * front first. Returns 0, or -1 when out of memory. */
static int bytes_reserve(struct bytes *b, size_t n)
{
	size_t cap;
	uint8_t *np;

	if (b->off == b->len)
		b->off = b->len = 0;
	if (b->cap - b->len < n && b->off > 0) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 1024;
	while (cap - b->len < n)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np)
		return -1;
	b->p = np;
	b->cap = cap;
	return 0;
}

/* Frees the storage of an emptied buffer bigger than OUTQ_KEEP. */
static void bytes_trim(struct bytes *b)
{
	if (b->off != b->len)
		return;
	b->off = b->len = 0;
	if (b->cap > OUTQ_KEEP) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

static size_t pending(const struct conn *c)
{
	return c->out.len - c->out.off;
}

/* Marks the connection for closing at once, keeping the first reason. */
static void conn_fail(struct conn *c, const char *what, int e)
{
	if (c->dead)
		return;
	c->dead = 1;
	snprintf(c->why, sizeof(c->why), "%s: %s", what, strerror(e));
}

/* Queues the answer to one line: its content, a space, the name, the line end
 * ("\r\n" when crlf, else "\n"). */
static void conn_answer(struct conn *c, const uint8_t *line, size_t len, int crlf)
{
	size_t nlen = strlen(c->o->name);
	size_t n = len + 1 + nlen + (crlf ? 2 : 1);
	uint8_t *w;

	if (c->dead)
		return;
	if (bytes_reserve(&c->out, n) < 0) {
		conn_fail(c, "queueing an answer", ENOMEM);
		return;
	}
	w = c->out.p + c->out.len;
	memcpy(w, line, len);
	w[len] = ' ';
	memcpy(w + len + 1, c->o->name, nlen);
	memcpy(w + len + 1 + nlen, crlf ? "\r\n" : "\n", crlf ? 2 : 1);
	c->out.len += n;
}

/* Answers every whole line in c->in and keeps the rest; a line that has grown
 * to LINE_MAX_LEN bytes without an end is answered as it is (less a final '\r',
 * which may start its "\r\n"). */
static void conn_lines(struct conn *c)
{
	struct bytes *in = &c->in;
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
	bytes_trim(in);
}

/* Takes n bytes of input: appends them to the unfinished line and answers what
 * they finish, LINE_MAX_LEN bytes at most at a time. */
static void conn_feed(struct conn *c, const uint8_t *p, size_t n)
{
	size_t room, take;

	while (n > 0 && !c->dead) {
		room = LINE_MAX_LEN - (c->in.len - c->in.off);
		take = n < room ? n : room;
		if (bytes_reserve(&c->in, take) < 0) {
			conn_fail(c, "keeping a line", ENOMEM);
			return;
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
	size_t len = c->in.len - c->in.off;
	const uint8_t *p;
	int cr;

	c->eof = 1;
	if (c->closing)
		return;
	if (len) {
		p = c->in.p + c->in.off;
		cr = p[len - 1] == '\r';
		conn_answer(c, p, len - (size_t)cr, cr);
		c->in.off = c->in.len;
		bytes_trim(&c->in);
	}
	c->closing = 1;
	if (!c->dead)
		snprintf(c->why, sizeof(c->why), "closed by the client");
}

/* Reads one chunk and answers the lines it ends. */
static void conn_read(struct conn *c, uint8_t *buf)
{
	ssize_t n;

	do
		n = recv(c->fd, buf, CHUNK_MAX, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			conn_fail(c, "recv", errno);
		return;
	}
	if (n == 0) {
		conn_eof(c);
		return;
	}
	if (c->o->verbose)
		log_chunk(buf, (size_t)n, c->name);
	if (!c->closing)
		conn_feed(c, buf, (size_t)n);
}

/* Sends as much of the queue as the socket takes now. */
static void conn_flush(struct conn *c)
{
	struct bytes *q = &c->out;
	ssize_t n;

	while (!c->dead && q->off < q->len) {
		n = send(c->fd, q->p + q->off, q->len - q->off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				conn_fail(c, "send", errno);
			break;
		}
		q->off += (size_t)n;
	}
	bytes_trim(q);
}

/* The epoll events the connection waits for: input unless the client is done or
 * too much of our answers is still unsent to it, output while any is queued. */
static uint32_t conn_events(const struct conn *c)
{
	uint32_t ev = 0;

	if (c->dead)
		return 0;
	if (!c->eof && pending(c) <= OUT_MAX)
		ev |= EPOLLIN;
	if (pending(c))
		ev |= EPOLLOUT;
	return ev;
}

static int conn_over(const struct conn *c)
{
	return c->dead || (c->closing && !pending(c));
}

/* A connection for the client just taken, logged; NULL (fd closed, error
 * logged) when out of memory. */
static struct conn *conn_open(struct acceptor *a, int fd, const wc_addr *peer, const struct opts *o)
{
	struct conn *c = calloc(1, sizeof(*c));
	char name[80];

	wc_addr_str(peer, name, sizeof(name));
	if (!c) {
		log_error(&a->log, "cannot serve %s: out of memory", name);
		close(fd);
		return NULL;
	}
	c->fd = fd;
	memcpy(c->name, name, sizeof(name));
	c->o = o;
	if (o->verbose)
		log_msg("connection from %s", c->name);
	return c;
}

/* Closes the connection and frees it. Input still waiting is read and dropped
 * first (up to DRAIN_MAX bytes): closing a socket with unread input resets the
 * connection, which can destroy our last answers on their way. */
static void conn_end(struct conn *c, uint8_t *buf)
{
	size_t dropped = 0;
	ssize_t n;

	while (!c->dead && !c->eof && dropped < DRAIN_MAX) {
		n = recv(c->fd, buf, CHUNK_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (c->o->verbose)
			log_chunk(buf, (size_t)n, c->name);
		dropped += (size_t)n;
	}
	if (c->o->verbose)
		log_msg("connection from %s closed: %s", c->name, c->why[0] ? c->why : "closed");
	close(c->fd);
	free(c->in.p);
	free(c->out.p);
	free(c);
}

static int ep_watch(int epfd, int op, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = ptr;
	return epoll_ctl(epfd, op, fd, &ev);
}

static void ep_unlink(struct conn **head, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		*head = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* After something happened to c: closes it when it is over, else watches for
 * what it now waits for. */
static void ep_update(int epfd, struct conn **head, struct conn *c, uint8_t *buf)
{
	uint32_t want;

	if (!conn_over(c)) {
		want = conn_events(c);
		if (want == c->watched)
			return;
		if (ep_watch(epfd, EPOLL_CTL_MOD, c->fd, want, c) == 0) {
			c->watched = want;
			return;
		}
		conn_fail(c, "epoll_ctl", errno);
	}
	ep_unlink(head, c);
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	conn_end(c, buf);
}

/* Takes the waiting clients (ACCEPT_BURST at most) into the loop. */
static void ep_accept(struct acceptor *a, const struct opts *o, int epfd, struct conn **head, uint8_t *buf)
{
	struct conn *c;
	wc_addr peer;
	int fd, i;

	for (i = 0; i < ACCEPT_BURST && !a->paused && (fd = take_client(a, &peer)) >= 0; i++) {
		c = conn_open(a, fd, &peer, o);
		if (!c)
			continue;
		if (ep_watch(epfd, EPOLL_CTL_ADD, fd, EPOLLIN, c) < 0) {
			log_error(&a->log, "cannot watch %s: epoll_ctl: %s", c->name, strerror(errno));
			conn_fail(c, "epoll_ctl", errno);
			conn_end(c, buf);
			continue;
		}
		c->watched = EPOLLIN;
		c->next = *head;
		if (*head)
			(*head)->prev = c;
		*head = c;
	}
}

/* Serves all clients in one thread, with non-blocking sockets and epoll, until
 * a signal. Returns 0, or -1 with the failed call in err. */
static int serve(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, char *err, size_t errlen)
{
	struct epoll_event evs[EVENTS_MAX];
	struct conn *head = NULL, *c, *next;
	struct timespec now;
	uint8_t *buf;
	int epfd, n, i, listening = 1, rc = 0;

	buf = malloc(CHUNK_MAX);
	if (!buf) {
		snprintf(err, errlen, "malloc: %s", strerror(errno));
		return -1;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || ep_watch(epfd, EPOLL_CTL_ADD, a->fd, EPOLLIN, NULL) < 0) {
		snprintf(err, errlen, "%s: %s", epfd < 0 ? "epoll_create1" : "epoll_ctl", strerror(errno));
		if (epfd >= 0)
			close(epfd);
		free(buf);
		return -1;
	}
	while (!stop_signal) {
		now_mono(&now);
		if (!listening && accepting(a, &now)) {
			if (ep_watch(epfd, EPOLL_CTL_ADD, a->fd, EPOLLIN, NULL) < 0) {
				snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
				rc = -1;
				break;
			}
			listening = 1;
		}
		n = epoll_pwait(epfd, evs, EVENTS_MAX, listening ? -1 : ms_until(&now, &a->resume), waitmask);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "epoll_pwait: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (!c) {
				ep_accept(a, o, epfd, &head, buf);
				if (a->paused && epoll_ctl(epfd, EPOLL_CTL_DEL, a->fd, NULL) == 0)
					listening = 0;
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLERR) || (evs[i].events & EPOLLHUP && !c->eof))
				conn_read(c, buf);
			conn_flush(c);
			ep_update(epfd, &head, c, buf);
		}
	}
	for (c = head; c; c = next) {
		next = c->next;
		if (!c->closing && !c->dead)
			snprintf(c->why, sizeof(c->why), "server stopping");
		conn_end(c, buf);
	}
	close(epfd);
	free(buf);
	if (a->log.held)
		log_msg("%lu more errors not shown", a->log.held);
	if (stop_signal && o->verbose)
		log_msg("signal %d (%s), exiting", (int)stop_signal, strsignal(stop_signal));
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct acceptor a;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	memset(&a, 0, sizeof(a));
	a.log.verbose = a.verbose = o.verbose;
	if (wc_addr_parse(o.bind, o.port, &addr, err, sizeof(err)) < 0 ||
	    setup_signals(&waitmask, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	if (raise_nofile(err, sizeof(err)) < 0)
		log_msg("cannot raise the limit of open files: %s", err);
	a.fd = open_listener(&addr, err, sizeof(err));
	if (a.fd < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	a.spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (o.verbose) {
		addr.len = sizeof(addr.ss);
		if (getsockname(a.fd, (struct sockaddr *)&addr.ss, &addr.len) < 0) {
			fprintf(stderr, PROG ": getsockname: %s\n", strerror(errno));
			close(a.fd);
			return 1;
		}
		wc_addr_str(&addr, err, sizeof(err));
		log_msg("listening on %s", err);
	}
	rc = serve(&a, &o, &waitmask, err, sizeof(err));
	close(a.fd);
	if (a.spare >= 0)
		close(a.spare);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	return 0;
}
