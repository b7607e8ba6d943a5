/* tcp-echo-server.c - reference server of the tcp-echo lab: a streaming uppercase echo, oneshot, per session or concurrent */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "echo.h"
#include "log.h"
#include "server.h"
#include "sock.h"
#include "tcpserv.h"

#define PROG "tcp-echo-server"
#define HOLD_MS 200 /* how long bytes at a line start that may be "quit" wait for more */

enum variant { V_ONESHOT, V_SESSION, V_CONCURRENT };
enum concurrency { C_EPOLL, C_THREADS, C_FORK };

struct opts {
	wc_serve_opts serve;
	enum variant variant;
	enum concurrency concurrency;
};

/* One client. Its input is echoed chunk by chunk as it comes, uppercased, into
 * base.out, which is sent as the socket takes it. */
struct conn {
	wc_client base;             /* first, so that a wc_client * is a struct conn * */
	enum variant variant;
	int bol;                    /* the next byte read starts a line */
	uint8_t held[8];            /* bytes at a line start that may yet be "quit" */
	size_t nheld;
	struct timespec held_until; /* when held bytes are echoed after all */
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
		WC_CLI_PORT, HOLD_MS);
}

/* The index of arg among names (NULL-ended), or -1 after saying on stderr
 * "PROG: unknown WHAT 'ARG' (want A, B or C)". */
static int choose(const char *what, const char *arg, const char *const names[])
{
	char want[160] = "";
	size_t n = 0;
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(arg, names[i]))
			return i;
	for (i = 0; names[i] && n < sizeof(want); i++)
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%s", i == 0 ? "" : names[i + 1] ? ", " : " or ",
				      names[i]);
	fprintf(stderr, PROG ": unknown %s '%s' (want %s)\n", what, arg, want);
	return -1;
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"variant", required_argument, NULL, 'V'},
		{"concurrency", required_argument, NULL, 'c'},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	/* in the order of enum variant and enum concurrency */
	static const char *const variants[] = {"oneshot", "session", "concurrent", NULL};
	static const char *const concurrencies[] = {"epoll", "threads", "fork", NULL};
	int c, i, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->variant = V_ONESHOT;
	o->concurrency = C_EPOLL;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1) {
		switch (c) {
		case 'V':
			if ((i = choose("variant", optarg, variants)) < 0)
				return wc_cli_usage_hint(PROG);
			o->variant = (enum variant)i;
			break;
		case 'c':
			if ((i = choose("concurrency", optarg, concurrencies)) < 0)
				return wc_cli_usage_hint(PROG);
			o->concurrency = (enum concurrency)i;
			break;
		default: rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
		}
	}
	return rc;
}

/* From now on input is dropped; the connection closes once its queue is sent. */
static void conn_finish(struct conn *c, const char *why)
{
	c->nheld = 0;
	wc_client_finish(&c->base, why);
}

/* Queues n bytes of echo, uppercased. */
static void conn_emit(struct conn *c, const uint8_t *p, size_t n)
{
	wc_bytes *out = &c->base.out;

	if (!n || c->base.dead)
		return;
	if (wc_bytes_reserve(out, n) < 0) {
		/* LCOV_EXCL_START: allocation failure */
		wc_client_fail(&c->base, "queueing the echo", ENOMEM);
		return;
		/* LCOV_EXCL_STOP */
	}
	wc_echo_upper(p, n, out->p + out->len);
	out->len += n;
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
		wc_clock_now(&c->held_until);
		wc_clock_add_ms(&c->held_until, HOLD_MS);
	}
}

/* Echoes held bytes whose wait is over; a held "quit" then counts as quit. */
static void conn_tick(wc_client *b, const struct timespec *now)
{
	struct conn *c = (struct conn *)b;

	if (!c->nheld || c->base.closing || wc_clock_ms_until(now, &c->held_until) > 0)
		return;
	if (held_is_quit(c)) {
		conn_finish(c, "quit received");
		return;
	}
	conn_emit(c, c->held, c->nheld);
	c->nheld = 0;
}

/* Milliseconds until conn_tick() has work, -1 for never. */
static int conn_wait_ms(const wc_client *b, const struct timespec *now)
{
	const struct conn *c = (const struct conn *)b;

	return c->nheld && !c->base.closing ? wc_clock_ms_until(now, &c->held_until) : -1;
}

static void conn_eof(struct conn *c)
{
	c->base.eof = 1;
	if (c->base.closing)
		return;
	if (held_is_quit(c)) {
		conn_finish(c, "quit received");
		return;
	}
	conn_emit(c, c->held, c->nheld);
	conn_finish(c, "closed by the client");
}

/* Reads one chunk and echoes it (or drops it once closing). */
static void conn_read(wc_client *b, uint8_t *buf)
{
	struct conn *c = (struct conn *)b;
	ssize_t n = wc_client_recv(b, buf);

	if (n < 0)
		conn_eof(c);
	else if (n > 0 && c->variant == V_ONESHOT)
		feed_oneshot(c, buf, (size_t)n);
	else if (n > 0)
		feed_session(c, buf, (size_t)n);
}

static wc_client *conn_open(int fd, const wc_addr *peer, void *arg)
{
	const struct opts *o = arg;
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL; /* LCOV_EXCL_LINE: allocation failure */
	wc_client_init(&c->base, fd, peer);
	c->variant = o->variant;
	c->bol = 1;
	return &c->base;
}

static void conn_free(wc_client *b)
{
	free(b);
}

static const wc_client_ops conn_ops = {
	.open = conn_open,
	.read = conn_read,
	.wait_ms = conn_wait_ms,
	.tick = conn_tick,
	.free = conn_free,
};

/* Serves one connection to its end, waiting on it alone: the oneshot and
 * session variants, and each thread or child process of the concurrent one.
 * waitmask: the signal mask to wait with, and then a signal ends the service
 * too; NULL in the threads, which leave signals (and wc_stop_signal) to the
 * main thread and end with the process. */
static void run_conn(wc_client *c, uint8_t *buf, const sigset_t *waitmask)
{
	struct pollfd pfd = {.fd = c->fd};
	struct timespec now, ts;
	int ms, rc;

	while (!wc_client_over(c)) {
		if (waitmask && wc_stop_signal) {
			wc_client_stopping(c);
			break;
		}
		pfd.events = wc_client_events(c);
		wc_clock_now(&now);
		ms = conn_wait_ms(c, &now);
		if (ms >= 0)
			wc_clock_ms_to_ts(ms, &ts);
		rc = ppoll(&pfd, 1, ms >= 0 ? &ts : NULL, waitmask);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			wc_client_fail(c, "ppoll", errno);
			break;
		}
		if (pfd.revents & (POLLIN | POLLERR) || (pfd.revents & POLLHUP && !c->eof))
			conn_read(c, buf);
		wc_clock_now(&now);
		conn_tick(c, &now);
		wc_client_flush(c);
	}
}

/* The oneshot and session variants: one client at a time, the next ones wait in
 * the backlog. Returns 0 after a signal, or -1 with the failed call in err. */
static int serve_iterative(wc_tcpserv *s, uint8_t *buf, char *err, size_t errlen)
{
	wc_client *c;
	int rc;

	while (!wc_stop_signal) {
		rc = wc_tcpserv_wait(s, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0 || wc_stop_signal || (c = wc_tcpserv_take(s)) == NULL)
			continue;
		run_conn(c, buf, &s->waitmask);
		wc_tcpserv_end(s, c, buf);
	}
	return 0;
}

static void *conn_thread(void *arg)
{
	wc_client *c = arg;
	uint8_t *buf = malloc(WC_CHUNK);

	if (buf)
		run_conn(c, buf, NULL);
	else
		wc_client_fail(c, "malloc", errno); /* LCOV_EXCL_LINE: allocation failure */
	wc_client_end(c, buf);
	conn_free(c);
	free(buf);
	return NULL;
}

/* The concurrent variant with a detached thread per client. The threads are not
 * joined: on a signal the process ends with them. */
static int serve_threads(wc_tcpserv *s, char *err, size_t errlen)
{
	pthread_attr_t attr;
	pthread_t tid;
	wc_client *c;
	int rc, e;

	rc = pthread_attr_init(&attr);
	if (rc == 0)
		rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (rc) {
		snprintf(err, errlen, "pthread_attr: %s", strerror(rc));
		return -1;
	}
	while (!wc_stop_signal) {
		rc = wc_tcpserv_wait(s, err, errlen);
		if (rc < 0)
			break;
		while (rc && !wc_stop_signal && (c = wc_tcpserv_take(s)) != NULL) {
			e = pthread_create(&tid, &attr, conn_thread, c);
			if (e) {
				wc_errlog_say(&s->log, "cannot start a thread for %s: %s", c->name, strerror(e));
				wc_client_fail(c, "pthread_create", e);
				wc_tcpserv_end(s, c, NULL);
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
		return -1; /* LCOV_EXCL_LINE: allocation failure */
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
	wc_clock_now(&deadline);
	wc_clock_add_ms(&deadline, 1000);
	for (;;) {
		reap_children(k);
		wc_clock_now(&now);
		if (!k->n || wc_clock_ms_until(&now, &deadline) == 0)
			break;
		wc_clock_ms_to_ts(wc_clock_ms_until(&now, &deadline), &ts);
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
static int serve_fork(wc_tcpserv *s, uint8_t *buf, int *child, char *err, size_t errlen)
{
	struct kids kids = {0};
	pid_t parent = getpid(), pid;
	wc_client *c;
	int rc = 0;

	while (!wc_stop_signal) {
		reap_children(&kids);
		rc = wc_tcpserv_wait(s, err, errlen);
		if (rc < 0)
			break;
		while (rc && !wc_stop_signal && (c = wc_tcpserv_take(s)) != NULL) {
			if (kids_reserve(&kids) < 0) {
				/* LCOV_EXCL_START: allocation failure */
				wc_errlog_say(&s->log, "cannot serve %s: out of memory", c->name);
				wc_client_fail(c, "keeping a child's pid", ENOMEM);
				wc_tcpserv_end(s, c, NULL);
				continue;
				/* LCOV_EXCL_STOP */
			}
			pid = fork();
			if (pid == 0) {
				*child = 1;
				free(kids.pid);
				wc_tcpserv_close(s);
				if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
					wc_stop_signal = SIGTERM;
				run_conn(c, buf, &s->waitmask);
				wc_tcpserv_end(s, c, buf);
				return 0;
			}
			if (pid < 0) {
				wc_errlog_say(&s->log, "cannot fork for %s: %s", c->name, strerror(errno));
				wc_client_fail(c, "fork", errno);
				wc_tcpserv_end(s, c, NULL);
				continue;
			}
			kids.pid[kids.n++] = pid;
			/* the child serves and logs it */
			close(c->fd);
			conn_free(c);
		}
	}
	end_children(&kids);
	free(kids.pid);
	return rc < 0 ? -1 : 0;
}

/* Serves until a signal. Returns 0, or -1 with the failed call in err; *child is
 * set in a child process of the fork loop, which has served its client. */
static int serve(wc_tcpserv *s, const struct opts *o, int *child, char *err, size_t errlen)
{
	uint8_t *buf = NULL;
	int rc;

	if (o->variant != V_CONCURRENT || o->concurrency == C_FORK) {
		buf = malloc(WC_CHUNK);
		if (!buf) {
			/* LCOV_EXCL_START: allocation failure */
			snprintf(err, errlen, "malloc: %s", strerror(errno));
			return -1;
			/* LCOV_EXCL_STOP */
		}
	}
	if (o->variant != V_CONCURRENT)
		rc = serve_iterative(s, buf, err, errlen);
	else if (o->concurrency == C_EPOLL)
		rc = wc_tcpserv_epoll(s, err, errlen);
	else if (o->concurrency == C_THREADS)
		rc = serve_threads(s, err, errlen);
	else
		rc = serve_fork(s, buf, child, err, errlen);
	free(buf);
	if (!*child)
		wc_server_ending(&s->log);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	wc_tcpserv s;
	char err[WC_ERRLEN];
	int rc, child = 0;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_tcpserv_start(&s, PROG, &o.serve, WC_SIG_CHILD | WC_SIG_PIPE_IGNORE, &conn_ops, &o, err, sizeof(err)) < 0 ||
	    serve(&s, &o, &child, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	wc_tcpserv_close(&s);
	return rc;
}
