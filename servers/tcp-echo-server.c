/* tcp-echo-server.c - reference server of the tcp-echo lab: a streaming uppercase echo, oneshot, per session or concurrent */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cursor.h"
#include "echo.h"
#include "hexdump.h"
#include "sock.h"

#define PROG "tcp-echo-server"
#define DEFAULT_PORT 12000
#define CHUNK_MAX 65536         /* bytes taken from a connection by one read */
#define OUT_MAX (256 * 1024)    /* unsent bytes to a client above which we stop reading from it */
#define OUTQ_KEEP 65536         /* an emptied send queue bigger than this is freed */
#define HOLD_MS 200             /* how long bytes at a line start that may be "quit" wait for more */
#define DRAIN_MAX (1024 * 1024) /* unread input dropped before a close, so that it does not reset */
#define QUOTE_MAX 64            /* bytes of a chunk shown in a --verbose line */
#define PAUSE_MS 100            /* accepting rests this long after an error that would repeat at once */
#define EVENTS_MAX 64           /* epoll events taken per wait */
#define ACCEPT_BURST 64         /* connections taken per wake-up of the epoll loop */

enum variant { V_ONESHOT, V_SESSION, V_CONCURRENT };
enum concurrency { C_EPOLL, C_THREADS, C_FORK };

/* The signal that asked us to stop, 0 while serving. */
static volatile sig_atomic_t stop_signal;

struct opts {
	const char *bind;
	uint16_t port;
	enum variant variant;
	enum concurrency concurrency;
	int verbose;
};

/* Errors of the accepting loop: every one logged with --verbose, otherwise at
 * most one a second, with the count of those held back since the last one. Used
 * by the thread that accepts only. */
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

/* Bytes queued for a client: p[off..len) are still to be sent. */
struct outq {
	uint8_t *p;
	size_t off, len, cap;
};

/* One client. Its input is echoed chunk by chunk as it comes, uppercased, into
 * 'out', which is sent as the socket takes it. */
struct conn {
	int fd;
	char name[80]; /* the client's address, "1.2.3.4:5" */
	enum variant variant;
	int verbose;
	struct outq out;
	int bol;                    /* the next byte read starts a line */
	uint8_t held[8];            /* bytes at a line start that may yet be "quit" */
	size_t nheld;
	struct timespec held_until; /* when held bytes are echoed after all */
	int closing;                /* echo no more: send what is queued, then close */
	int eof;                    /* the client has shut its side */
	int dead;                   /* an error: close at once */
	char why[160];              /* why the connection ends, for --verbose */
	uint32_t watched;           /* the epoll events asked for */
	struct conn *prev, *next;   /* the epoll loop's list */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--variant oneshot|session|concurrent]\n"
		"                       [--concurrency epoll|threads|fork] [--verbose]\n"
		"\n"
		"Echoes what TCP clients send with ASCII a-z turned into A-Z, chunk by chunk as\n"
		"it comes, so any message length and any segmentation is echoed whole.\n"
		"\n"
		"  --port N         TCP port to listen on, 0 lets the system choose (default %d)\n"
		"  --bind ADDR      address to bind; \"\" is any IPv4 address (default),\n"
		"                   \"::\" any IPv6 and IPv4 address\n"
		"  --variant V      oneshot: one client at a time, closed once its first line\n"
		"                     has been echoed (the slides' TCPServer.py, default);\n"
		"                   session: one client at a time, echoed until it sends \"quit\"\n"
		"                     (the second course), the next one waits in the backlog;\n"
		"                   concurrent: as session, with all clients served at once\n"
		"  --concurrency C  how the concurrent variant serves: epoll (one thread,\n"
		"                   default), threads (one per client) or fork (one process\n"
		"                   per client)\n"
		"  --verbose        log the address, each connection, each chunk read and each\n"
		"                   error to stderr\n"
		"  -h, --help       show this help\n"
		"\n"
		"\"quit\" is a line \"quit\" (ended by \"\\n\" or \"\\r\\n\") at the start of a line, or a\n"
		"read of exactly the bytes \"quit\" (the second course's client sends no line\n"
		"ends). The connection is closed without echoing it. Bytes at a line start that\n"
		"may still become \"quit\" wait up to %d ms for more before they are echoed.\n",
		DEFAULT_PORT, HOLD_MS);
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Only wakes the fork loop's ppoll(), which then reaps. */
static void on_child(int sig)
{
	(void)sig;
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

static void ms_to_ts(int ms, struct timespec *ts)
{
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (long)(ms % 1000) * 1000000;
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
		{"variant", required_argument, NULL, 'V'},
		{"concurrency", required_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->bind = "";
	o->port = DEFAULT_PORT;
	o->variant = V_ONESHOT;
	o->concurrency = C_EPOLL;
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
		case 'V':
			if (!strcmp(optarg, "oneshot"))
				o->variant = V_ONESHOT;
			else if (!strcmp(optarg, "session"))
				o->variant = V_SESSION;
			else if (!strcmp(optarg, "concurrent"))
				o->variant = V_CONCURRENT;
			else {
				fprintf(stderr, PROG ": unknown variant '%s' (want oneshot, session or concurrent)\n",
					optarg);
				goto bad;
			}
			break;
		case 'c':
			if (!strcmp(optarg, "epoll"))
				o->concurrency = C_EPOLL;
			else if (!strcmp(optarg, "threads"))
				o->concurrency = C_THREADS;
			else if (!strcmp(optarg, "fork"))
				o->concurrency = C_FORK;
			else {
				fprintf(stderr, PROG ": unknown concurrency '%s' (want epoll, threads or fork)\n",
					optarg);
				goto bad;
			}
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

/* Catches SIGTERM, SIGINT and SIGCHLD, blocked except while we wait (ppoll,
 * epoll_pwait), so that none is missed; threads inherit the block and leave the
 * signals to the main thread. Ignores SIGPIPE. *waitmask gets the mask to wait
 * with. Returns 0, or -1 with the failed call in err. */
static int setup_signals(sigset_t *waitmask, char *err, size_t errlen)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0) {
		snprintf(err, errlen, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGCHLD);
	sa.sa_handler = on_signal;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		goto fail;
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		goto fail;
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
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

/* Waits for a client to take, a signal, or the end of a pause in accepting.
 * Returns 1 when a client may be waiting, 0 otherwise, -1 with the failed call
 * in err. */
static int wait_listener(struct acceptor *a, const sigset_t *waitmask, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = a->fd, .events = POLLIN};
	struct timespec now, ts;
	int rc;

	now_mono(&now);
	if (!accepting(a, &now)) {
		pfd.fd = -1;
		ms_to_ts(ms_until(&now, &a->resume), &ts);
	}
	rc = ppoll(&pfd, 1, pfd.fd < 0 ? &ts : NULL, waitmask);
	if (rc < 0 && errno != EINTR) {
		snprintf(err, errlen, "ppoll: %s", strerror(errno));
		return -1;
	}
	return rc > 0 && (pfd.revents & POLLIN);
}

/* Appends n bytes, uppercased. Returns 0, or -1 with nothing appended when out
 * of memory. */
static int outq_put_upper(struct outq *q, const uint8_t *p, size_t n)
{
	size_t cap;
	uint8_t *np;

	if (q->off == q->len)
		q->off = q->len = 0;
	if (q->cap - q->len < n && q->off > 0) {
		memmove(q->p, q->p + q->off, q->len - q->off);
		q->len -= q->off;
		q->off = 0;
	}
	if (q->cap - q->len < n) {
		cap = q->cap ? q->cap : 4096;
		while (cap - q->len < n)
			cap *= 2;
		np = realloc(q->p, cap);
		if (!np)
			return -1;
		q->p = np;
		q->cap = cap;
	}
	wc_echo_upper(p, n, q->p + q->len);
	q->len += n;
	return 0;
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

/* From now on input is dropped; the connection closes once its queue is sent. */
static void conn_finish(struct conn *c, const char *why)
{
	if (c->closing)
		return;
	c->closing = 1;
	c->nheld = 0;
	if (!c->dead)
		snprintf(c->why, sizeof(c->why), "%s", why);
}

static void conn_emit(struct conn *c, const uint8_t *p, size_t n)
{
	if (n && !c->dead && outq_put_upper(&c->out, p, n) < 0)
		conn_fail(c, "queueing the echo", ENOMEM);
}

static int held_is_quit(const struct conn *c)
{
	return c->nheld == 4 && !memcmp(c->held, "quit", 4);
}

/* 2 when h[0..n) is a whole line "quit", 1 while it may still become one, 0
 * when it cannot. */
static int quit_match(const uint8_t *h, size_t n)
{
	if (n <= 4)
		return memcmp(h, "quit", n) ? 0 : 1;
	if (memcmp(h, "quit", 4))
		return 0;
	if (n == 5)
		return h[4] == '\n' ? 2 : h[4] == '\r';
	return n == 6 && h[4] == '\r' && h[5] == '\n' ? 2 : 0;
}

/* The oneshot variant: echo up to the first line end, then finish. */
static void feed_oneshot(struct conn *c, const uint8_t *p, size_t n)
{
	const uint8_t *nl = memchr(p, '\n', n);

	if (!nl) {
		conn_emit(c, p, n);
		return;
	}
	conn_emit(c, p, (size_t)(nl - p) + 1);
	conn_finish(c, "first line echoed");
}

/* The session variants: echo everything up to "quit". Bytes at a line start
 * that may become "quit" are held back until they do, or cannot, or HOLD_MS
 * pass without more (conn_tick), so "qu" + "it\n" in two reads is still quit. */
static void feed_session(struct conn *c, const uint8_t *p, size_t n)
{
	size_t i, start = 0;
	int m;

	if (n == 4 && !c->nheld && !memcmp(p, "quit", 4)) {
		conn_finish(c, "quit received");
		return;
	}
	for (i = 0; i < n; i++) {
		if (!c->bol && !c->nheld) {
			if (p[i] == '\n')
				c->bol = 1;
			continue;
		}
		if (!c->nheld)
			conn_emit(c, p + start, i - start);
		c->held[c->nheld++] = p[i];
		c->bol = 0;
		start = i + 1;
		m = quit_match(c->held, c->nheld);
		if (m == 2) {
			conn_finish(c, "quit received");
			return;
		}
		if (m == 1)
			continue;
		conn_emit(c, c->held, c->nheld);
		c->nheld = 0;
		c->bol = p[i] == '\n';
	}
	conn_emit(c, p + start, n - start);
	if (c->nheld) {
		now_mono(&c->held_until);
		add_ms(&c->held_until, HOLD_MS);
	}
}

/* Echoes held bytes whose wait is over; a held "quit" then counts as quit. */
static void conn_tick(struct conn *c, const struct timespec *now)
{
	if (!c->nheld || c->closing || ms_until(now, &c->held_until) > 0)
		return;
	if (held_is_quit(c)) {
		conn_finish(c, "quit received");
		return;
	}
	conn_emit(c, c->held, c->nheld);
	c->nheld = 0;
}

/* Milliseconds until conn_tick() has work, -1 for never. */
static int conn_wait_ms(const struct conn *c, const struct timespec *now)
{
	return c->nheld && !c->closing ? ms_until(now, &c->held_until) : -1;
}

static void conn_eof(struct conn *c)
{
	c->eof = 1;
	if (c->closing)
		return;
	if (held_is_quit(c)) {
		conn_finish(c, "quit received");
		return;
	}
	conn_emit(c, c->held, c->nheld);
	conn_finish(c, "closed by the client");
}

/* Reads one chunk and echoes it (or drops it once closing). */
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
	if (c->verbose)
		log_chunk(buf, (size_t)n, c->name);
	if (c->closing)
		return;
	if (c->variant == V_ONESHOT)
		feed_oneshot(c, buf, (size_t)n);
	else
		feed_session(c, buf, (size_t)n);
}

/* Sends as much of the queue as the socket takes now. */
static void conn_flush(struct conn *c)
{
	struct outq *q = &c->out;
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
	if (q->off == q->len) {
		q->off = q->len = 0;
		if (q->cap > OUTQ_KEEP) {
			free(q->p);
			q->p = NULL;
			q->cap = 0;
		}
	}
}

/* The poll events the connection waits for: input unless the client is done or
 * too much of our echo is still unsent to it (dropped input while closing, so
 * that a client busy sending cannot block our last sends), output while any is
 * queued. */
static short conn_events(const struct conn *c)
{
	short ev = 0;

	if (c->dead)
		return 0;
	if (!c->eof && (c->closing || pending(c) <= OUT_MAX))
		ev |= POLLIN;
	if (pending(c))
		ev |= POLLOUT;
	return ev;
}

static int conn_over(const struct conn *c)
{
	return c->dead || (c->closing && !pending(c));
}

static struct conn *conn_new(int fd, const wc_addr *peer, const struct opts *o)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	wc_addr_str(peer, c->name, sizeof(c->name));
	c->variant = o->variant;
	c->verbose = o->verbose;
	c->bol = 1;
	return c;
}

/* A connection for the client just taken, logged; NULL (fd closed, error
 * logged) when out of memory. */
static struct conn *conn_open(struct acceptor *a, int fd, const wc_addr *peer, const struct opts *o)
{
	struct conn *c = conn_new(fd, peer, o);
	char name[80];

	if (!c) {
		wc_addr_str(peer, name, sizeof(name));
		log_error(&a->log, "cannot serve %s: out of memory", name);
		close(fd);
		return NULL;
	}
	if (o->verbose)
		log_msg("connection from %s", c->name);
	return c;
}

/* Closes the connection and frees it. Input still waiting is read and dropped
 * first (up to DRAIN_MAX bytes): closing a socket with unread input resets the
 * connection, which can destroy our last echo on its way. */
static void conn_end(struct conn *c, uint8_t *buf)
{
	size_t dropped = 0;
	ssize_t n;

	while (!c->dead && !c->eof && buf && dropped < DRAIN_MAX) {
		n = recv(c->fd, buf, CHUNK_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (c->verbose)
			log_chunk(buf, (size_t)n, c->name);
		dropped += (size_t)n;
	}
	if (c->verbose)
		log_msg("connection from %s closed: %s", c->name, c->why[0] ? c->why : "closed");
	close(c->fd);
	free(c->out.p);
	free(c);
}

/* Says why a connection ends early, unless it was ending anyway. */
static void conn_stopping(struct conn *c)
{
	if (!c->closing && !c->dead)
		snprintf(c->why, sizeof(c->why), "server stopping");
}

/* Serves one connection to its end, waiting on it alone: the oneshot and
 * session variants, and each thread or child process of the concurrent one.
 * waitmask: the signal mask to wait with, and then a signal ends the service
 * too; NULL in the threads, which leave signals (and stop_signal) to the main
 * thread and end with the process. */
static void run_conn(struct conn *c, uint8_t *buf, const sigset_t *waitmask)
{
	struct pollfd pfd = {.fd = c->fd};
	struct timespec now, ts;
	int ms, rc;

	while (!conn_over(c)) {
		if (waitmask && stop_signal) {
			conn_stopping(c);
			break;
		}
		pfd.events = conn_events(c);
		now_mono(&now);
		ms = conn_wait_ms(c, &now);
		if (ms >= 0)
			ms_to_ts(ms, &ts);
		rc = ppoll(&pfd, 1, ms >= 0 ? &ts : NULL, waitmask);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			conn_fail(c, "ppoll", errno);
			break;
		}
		if (pfd.revents & (POLLIN | POLLERR) || (pfd.revents & POLLHUP && !c->eof))
			conn_read(c, buf);
		now_mono(&now);
		conn_tick(c, &now);
		conn_flush(c);
	}
}

/* The oneshot and session variants: one client at a time, the next ones wait in
 * the backlog. Returns 0 after a signal, or -1 with the failed call in err. */
static int serve_iterative(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, uint8_t *buf,
			   char *err, size_t errlen)
{
	struct conn *c;
	wc_addr peer;
	int fd, rc;

	while (!stop_signal) {
		rc = wait_listener(a, waitmask, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0 || stop_signal || (fd = take_client(a, &peer)) < 0)
			continue;
		c = conn_open(a, fd, &peer, o);
		if (!c)
			continue;
		run_conn(c, buf, waitmask);
		conn_end(c, buf);
	}
	return 0;
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	uint8_t *buf = malloc(CHUNK_MAX);

	if (buf)
		run_conn(c, buf, NULL);
	else
		conn_fail(c, "malloc", errno);
	conn_end(c, buf);
	free(buf);
	return NULL;
}

/* The concurrent variant with a detached thread per client. The threads are not
 * joined: on a signal the process ends with them. */
static int serve_threads(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, char *err,
			 size_t errlen)
{
	pthread_attr_t attr;
	pthread_t tid;
	struct conn *c;
	wc_addr peer;
	int fd, rc, e;

	rc = pthread_attr_init(&attr);
	if (rc == 0)
		rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (rc) {
		snprintf(err, errlen, "pthread_attr: %s", strerror(rc));
		return -1;
	}
	while (!stop_signal) {
		rc = wait_listener(a, waitmask, err, errlen);
		if (rc < 0)
			break;
		while (rc && !stop_signal && (fd = take_client(a, &peer)) >= 0) {
			c = conn_open(a, fd, &peer, o);
			if (!c)
				continue;
			e = pthread_create(&tid, &attr, conn_thread, c);
			if (e) {
				log_error(&a->log, "cannot start a thread for %s: %s", c->name, strerror(e));
				conn_fail(c, "pthread_create", e);
				conn_end(c, NULL);
			}
		}
	}
	pthread_attr_destroy(&attr);
	return rc < 0 ? -1 : 0;
}

/* The children of the fork loop still running. */
struct kids {
	pid_t *pid;
	size_t n, cap;
};

/* Makes room for one more child. Returns 0, or -1 when out of memory. */
static int kids_reserve(struct kids *k)
{
	size_t cap = k->cap ? k->cap * 2 : 64;
	pid_t *np;

	if (k->n < k->cap)
		return 0;
	np = realloc(k->pid, cap * sizeof(*np));
	if (!np)
		return -1;
	k->pid = np;
	k->cap = cap;
	return 0;
}

/* Reaps the children that have ended, so that no zombie stays. */
static void reap_children(struct kids *k)
{
	pid_t pid;
	size_t i;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < k->n && k->pid[i] != pid; i++)
			;
		if (i < k->n)
			k->pid[i] = k->pid[--k->n];
	}
}

/* Stops the children still running and reaps them: SIGTERM (they close their
 * client and end), then SIGKILL for those not gone within a second. */
static void end_children(struct kids *k)
{
	struct timespec deadline, now, ts;
	sigset_t chld;
	size_t i;

	reap_children(k);
	for (i = 0; i < k->n; i++)
		kill(k->pid[i], SIGTERM);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	now_mono(&deadline);
	add_ms(&deadline, 1000);
	for (;;) {
		reap_children(k);
		now_mono(&now);
		if (!k->n || ms_until(&now, &deadline) == 0)
			break;
		ms_to_ts(ms_until(&now, &deadline), &ts);
		/* SIGCHLD is blocked here: wait for it */
		sigtimedwait(&chld, NULL, &ts);
	}
	for (i = 0; i < k->n; i++) {
		kill(k->pid[i], SIGKILL);
		waitpid(k->pid[i], NULL, 0);
	}
	k->n = 0;
}

/* The concurrent variant with a child process per client, reaped as it ends;
 * on a signal the children are stopped and reaped too (and they end with their
 * parent anyway, PR_SET_PDEATHSIG). Returns 0 after a signal, or -1 with the
 * failed call in err; in a child, sets *child and returns 0 once its client is
 * served. */
static int serve_fork(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, uint8_t *buf,
		      int *child, char *err, size_t errlen)
{
	struct kids kids = {0};
	pid_t parent = getpid(), pid;
	struct conn *c;
	wc_addr peer;
	int fd, rc = 0;

	while (!stop_signal) {
		reap_children(&kids);
		rc = wait_listener(a, waitmask, err, errlen);
		if (rc < 0)
			break;
		while (rc && !stop_signal && (fd = take_client(a, &peer)) >= 0) {
			c = conn_open(a, fd, &peer, o);
			if (!c)
				continue;
			if (kids_reserve(&kids) < 0) {
				log_error(&a->log, "cannot serve %s: out of memory", c->name);
				conn_fail(c, "keeping a child's pid", ENOMEM);
				conn_end(c, NULL);
				continue;
			}
			pid = fork();
			if (pid == 0) {
				*child = 1;
				free(kids.pid);
				close(a->fd);
				a->fd = -1;
				if (a->spare >= 0)
					close(a->spare);
				a->spare = -1;
				if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
					stop_signal = SIGTERM;
				run_conn(c, buf, waitmask);
				conn_end(c, buf);
				return 0;
			}
			if (pid < 0) {
				log_error(&a->log, "cannot fork for %s: %s", c->name, strerror(errno));
				conn_fail(c, "fork", errno);
				conn_end(c, NULL);
				continue;
			}
			kids.pid[kids.n++] = pid;
			/* the child serves and logs it */
			close(c->fd);
			free(c);
		}
	}
	end_children(&kids);
	free(kids.pid);
	return rc < 0 ? -1 : 0;
}

static uint32_t epoll_events(short ev)
{
	return (ev & POLLIN ? EPOLLIN : 0) | (ev & POLLOUT ? EPOLLOUT : 0);
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
		want = epoll_events(conn_events(c));
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

/* The concurrent variant in one thread: non-blocking sockets and epoll. Returns
 * 0 after a signal, or -1 with the failed call in err. */
static int serve_epoll(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, uint8_t *buf,
		       char *err, size_t errlen)
{
	struct epoll_event evs[EVENTS_MAX];
	struct conn *head = NULL, *c, *next;
	struct timespec now;
	int epfd, n, i, ms, timeout, listening = 1, rc = 0;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		return -1;
	}
	if (ep_watch(epfd, EPOLL_CTL_ADD, a->fd, EPOLLIN, NULL) < 0) {
		snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
		close(epfd);
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
		timeout = listening ? -1 : ms_until(&now, &a->resume);
		for (c = head; c; c = c->next) {
			ms = conn_wait_ms(c, &now);
			if (ms >= 0 && (timeout < 0 || ms < timeout))
				timeout = ms;
		}
		n = epoll_pwait(epfd, evs, EVENTS_MAX, timeout, waitmask);
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
		now_mono(&now);
		for (c = head; c; c = next) {
			next = c->next;
			if (conn_wait_ms(c, &now) == 0) {
				conn_tick(c, &now);
				conn_flush(c);
				ep_update(epfd, &head, c, buf);
			}
		}
	}
	for (c = head; c; c = next) {
		next = c->next;
		conn_stopping(c);
		conn_end(c, buf);
	}
	close(epfd);
	return rc;
}

/* Serves until a signal. Returns 0, or -1 with the failed call in err; *child is
 * set in a child process of the fork loop, which has served its client. */
static int serve(struct acceptor *a, const struct opts *o, const sigset_t *waitmask, int *child, char *err,
		 size_t errlen)
{
	uint8_t *buf = NULL;
	int rc;

	if (o->variant != V_CONCURRENT || o->concurrency != C_THREADS) {
		buf = malloc(CHUNK_MAX);
		if (!buf) {
			snprintf(err, errlen, "malloc: %s", strerror(errno));
			return -1;
		}
	}
	if (o->variant != V_CONCURRENT)
		rc = serve_iterative(a, o, waitmask, buf, err, errlen);
	else if (o->concurrency == C_EPOLL)
		rc = serve_epoll(a, o, waitmask, buf, err, errlen);
	else if (o->concurrency == C_THREADS)
		rc = serve_threads(a, o, waitmask, err, errlen);
	else
		rc = serve_fork(a, o, waitmask, buf, child, err, errlen);
	free(buf);
	if (*child)
		return rc;
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
	int rc, child = 0;

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
	rc = serve(&a, &o, &waitmask, &child, err, sizeof(err));
	if (a.fd >= 0)
		close(a.fd);
	if (a.spare >= 0)
		close(a.spare);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	return 0;
}
