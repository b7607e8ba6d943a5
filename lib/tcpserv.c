/* tcpserv.c - the reference TCP servers' machinery: accepting, clients with a send queue, the epoll loop */
#include "tcpserv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "server.h"
#include "srvtx.h"

#define OUT_MAX (256 * 1024)    /* unsent bytes to a client above which we stop reading from it */
#define DRAIN_MAX (1024 * 1024) /* unread input dropped before a close, so that it does not reset */
#define PAUSE_MS 100            /* accepting rests this long after an error that would repeat at once */
#define EVENTS_MAX 64           /* epoll events taken per wait */
#define ACCEPT_BURST 64         /* connections taken per wake-up of the epoll loop */

void wc_client_init(wc_client *c, int fd, const wc_addr *peer)
{
	c->fd = fd;
	wc_addr_str(peer, c->name, sizeof(c->name));
	wc_srvtx_accept(fd, peer, c->tx);
}

void wc_client_fail(wc_client *c, const char *what, int e)
{
	if (c->dead)
		return;
	c->dead = 1;
	snprintf(c->why, sizeof(c->why), "%s: %s", what, strerror(e));
}

void wc_client_finish(wc_client *c, const char *why)
{
	if (c->closing)
		return;
	c->closing = 1;
	if (!c->dead)
		snprintf(c->why, sizeof(c->why), "%s", why);
}

void wc_client_stopping(wc_client *c)
{
	if (!c->closing && !c->dead)
		snprintf(c->why, sizeof(c->why), "server stopping");
}

ssize_t wc_client_recv(wc_client *c, uint8_t *buf)
{
	ssize_t n;

	do
		n = recv(c->fd, buf, WC_CHUNK, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == ECONNRESET)
			wc_srvtx_event(c->tx, "reset");
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			wc_client_fail(c, "recv", errno);
		return 0;
	}
	if (n == 0) {
		wc_srvtx_event(c->tx, "eof");
		return -1;
	}
	wc_log_chunk(buf, (size_t)n, c->name);
	wc_srvtx_data(c->tx, "in", buf, (size_t)n);
	return c->closing ? 0 : n;
}

void wc_client_flush(wc_client *c)
{
	size_t from = c->out.off;
	int e;

	if (!c->dead && (e = wc_bytes_send(&c->out, c->fd)) != 0)
		wc_client_fail(c, "send", e);
	/* what the socket took: the queue's head moved past it */
	if (c->out.off > from)
		wc_srvtx_data(c->tx, "out", c->out.p + from, c->out.off - from);
	wc_bytes_trim(&c->out);
}

short wc_client_events(const wc_client *c)
{
	size_t pending = wc_bytes_used(&c->out);
	short ev = 0;

	if (c->dead)
		return 0;
	if (!c->eof && (c->closing || pending <= OUT_MAX))
		ev |= POLLIN;
	if (pending)
		ev |= POLLOUT;
	return ev;
}

int wc_client_over(const wc_client *c)
{
	return c->dead || (c->closing && !wc_bytes_used(&c->out));
}

void wc_client_end(wc_client *c, uint8_t *buf)
{
	size_t dropped = 0;
	ssize_t n;

	while (!c->dead && !c->eof && buf && dropped < DRAIN_MAX) {
		n = recv(c->fd, buf, WC_CHUNK, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		wc_log_chunk(buf, (size_t)n, c->name);
		wc_srvtx_data(c->tx, "in", buf, (size_t)n);
		dropped += (size_t)n;
	}
	wc_srvtx_event(c->tx, "close");
	wc_log_detail("connection from %s closed: %s", c->name, c->why[0] ? c->why : "closed");
	close(c->fd);
	c->fd = -1;
	wc_bytes_free(&c->out);
}

/* Raises the soft limit on open files to the hard one. Returns 0, or -1 with
 * the failed call in err. */
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

int wc_tcpserv_start(wc_tcpserv *s, const char *prog, const wc_serve_opts *o, int sigflags, const wc_client_ops *ops,
		     void *arg, char *err, size_t errlen)
{
	wc_addr addr;

	memset(s, 0, sizeof(*s));
	s->fd = s->spare = -1;
	s->ops = ops;
	s->arg = arg;
	if (wc_server_start(prog, o, sigflags, &addr, &s->waitmask, err, errlen) < 0)
		return -1;
	if (raise_nofile(err, errlen) < 0)
		wc_log("cannot raise the limit of open files: %s", err);
	s->fd = wc_tcp_server_socket(&addr, err, errlen);
	if (s->fd < 0)
		return -1;
	s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return wc_server_listening(s->fd, err, errlen);
}

void wc_tcpserv_close(wc_tcpserv *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->spare >= 0)
		close(s->spare);
	s->fd = s->spare = -1;
}

static void pause_accepting(wc_tcpserv *s)
{
	s->paused = 1;
	wc_clock_now(&s->resume);
	wc_clock_add_ms(&s->resume, PAUSE_MS);
}

/* Ends a pause in accepting once its time has come. Returns 1 when accepting. */
static int accepting(wc_tcpserv *s, const struct timespec *now)
{
	if (s->paused && wc_clock_ms_until(now, &s->resume) == 0)
		s->paused = 0;
	return !s->paused;
}

int wc_tcpserv_wait(wc_tcpserv *s, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
	struct timespec now, ts;
	int rc;

	wc_clock_now(&now);
	if (!accepting(s, &now)) {
		pfd.fd = -1;
		wc_clock_ms_to_ts(wc_clock_ms_until(&now, &s->resume), &ts);
	}
	rc = ppoll(&pfd, 1, pfd.fd < 0 ? &ts : NULL, &s->waitmask);
	if (rc < 0 && errno != EINTR) {
		snprintf(err, errlen, "ppoll: %s", strerror(errno));
		return -1;
	}
	return rc > 0 && (pfd.revents & POLLIN);
}

/* Takes one waiting connection. Returns its fd (non-blocking, close-on-exec)
 * with the client's address in *peer, or -1 when there is none to take now:
 * none waiting, or an error (logged; a repeating one pauses accepting). */
static int take_fd(wc_tcpserv *s, wc_addr *peer)
{
	int fd, e;

	for (;;) {
		memset(peer, 0, sizeof(*peer));
		peer->len = sizeof(peer->ss);
		fd = accept4(s->fd, (struct sockaddr *)&peer->ss, &peer->len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		e = errno;
		if (e == EINTR)
			continue;
		if (e == EAGAIN || e == EWOULDBLOCK)
			return -1;
		if ((e == EMFILE || e == ENFILE) && s->spare >= 0) {
			/* out of descriptors: free the spare to take the client and close it */
			close(s->spare);
			fd = accept(s->fd, NULL, NULL);
			if (fd >= 0)
				close(fd);
			s->spare = open("/dev/null", O_RDONLY | O_CLOEXEC);
			wc_errlog_say(&s->log, "accept: %s; a client was turned away", strerror(e));
			if (fd < 0 || s->spare < 0)
				pause_accepting(s);
			return -1;
		}
		wc_errlog_say(&s->log, "accept: %s", strerror(e));
		/* these concern one client; the next one may be fine */
		if (e != ECONNABORTED && e != EPROTO && e != EPERM && e != ENETDOWN && e != EHOSTUNREACH &&
		    e != ENETUNREACH && e != EHOSTDOWN && e != ENONET && e != EOPNOTSUPP && e != ETIMEDOUT)
			pause_accepting(s);
		return -1;
	}
}

wc_client *wc_tcpserv_take(wc_tcpserv *s)
{
	char name[80];
	wc_client *c;
	wc_addr peer;
	int fd;

	while ((fd = take_fd(s, &peer)) >= 0) {
		c = s->ops->open(fd, &peer, s->arg);
		if (c) {
			wc_log_detail("connection from %s", c->name);
			return c;
		}
		wc_addr_str(&peer, name, sizeof(name));
		wc_errlog_say(&s->log, "cannot serve %s: out of memory", name);
		close(fd);
	}
	return NULL;
}

void wc_tcpserv_end(wc_tcpserv *s, wc_client *c, uint8_t *buf)
{
	wc_client_end(c, buf);
	s->ops->free(c);
}

static int ep_watch(int epfd, int op, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = ptr;
	return epoll_ctl(epfd, op, fd, &ev);
}

static uint32_t epoll_events(short ev)
{
	return (ev & POLLIN ? EPOLLIN : 0) | (ev & POLLOUT ? EPOLLOUT : 0);
}

static void ep_unlink(wc_client **head, wc_client *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		*head = c->next;
	if (c->next)
		c->next->prev = c->prev;
}

/* After something happened to c: ends it when it is over, else watches for
 * what it now waits for. */
static void ep_update(wc_tcpserv *s, int epfd, wc_client **head, wc_client *c, uint8_t *buf)
{
	uint32_t want;

	if (!wc_client_over(c)) {
		want = epoll_events(wc_client_events(c));
		if (want == c->watched)
			return;
		if (ep_watch(epfd, EPOLL_CTL_MOD, c->fd, want, c) == 0) {
			c->watched = want;
			return;
		}
		wc_client_fail(c, "epoll_ctl", errno);
	}
	ep_unlink(head, c);
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	wc_tcpserv_end(s, c, buf);
}

/* Takes the waiting clients (ACCEPT_BURST at most) into the loop. */
static void ep_accept(wc_tcpserv *s, int epfd, wc_client **head, uint8_t *buf)
{
	wc_client *c;
	int i;

	for (i = 0; i < ACCEPT_BURST && !s->paused && (c = wc_tcpserv_take(s)) != NULL; i++) {
		if (ep_watch(epfd, EPOLL_CTL_ADD, c->fd, EPOLLIN, c) < 0) {
			wc_errlog_say(&s->log, "cannot watch %s: epoll_ctl: %s", c->name, strerror(errno));
			wc_client_fail(c, "epoll_ctl", errno);
			wc_tcpserv_end(s, c, buf);
			continue;
		}
		c->watched = EPOLLIN;
		c->next = *head;
		if (*head)
			(*head)->prev = c;
		*head = c;
	}
}

/* The epoll timeout: until accepting resumes (-1: it has not stopped) or the
 * first client's timer, whichever is first. */
static int ep_timeout(const wc_tcpserv *s, int listening, const wc_client *head, const struct timespec *now)
{
	int timeout = listening ? -1 : wc_clock_ms_until(now, &s->resume), ms;

	for (; s->ops->wait_ms && head; head = head->next) {
		ms = s->ops->wait_ms(head, now);
		if (ms >= 0 && (timeout < 0 || ms < timeout))
			timeout = ms;
	}
	return timeout;
}

/* Runs the timers of the clients whose time has come. */
static void ep_tick(wc_tcpserv *s, int epfd, wc_client **head, uint8_t *buf)
{
	struct timespec now;
	wc_client *c, *next;

	if (!s->ops->wait_ms)
		return;
	wc_clock_now(&now);
	for (c = *head; c; c = next) {
		next = c->next;
		if (s->ops->wait_ms(c, &now) == 0) {
			s->ops->tick(c, &now);
			wc_client_flush(c);
			ep_update(s, epfd, head, c, buf);
		}
	}
}

/* The epoll loop of wc_tcpserv_epoll(), on epfd, with buf to read into. */
static int ep_loop(wc_tcpserv *s, int epfd, uint8_t *buf, char *err, size_t errlen)
{
	struct epoll_event evs[EVENTS_MAX];
	wc_client *head = NULL, *c, *next;
	struct timespec now;
	int n, i, listening = 1, rc = 0;

	while (!wc_stop_signal) {
		wc_clock_now(&now);
		if (!listening && accepting(s, &now)) {
			if (ep_watch(epfd, EPOLL_CTL_ADD, s->fd, EPOLLIN, NULL) < 0) {
				snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
				rc = -1;
				break;
			}
			listening = 1;
		}
		n = epoll_pwait(epfd, evs, EVENTS_MAX, ep_timeout(s, listening, head, &now), &s->waitmask);
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
				ep_accept(s, epfd, &head, buf);
				if (s->paused && epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL) == 0)
					listening = 0;
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLERR) || (evs[i].events & EPOLLHUP && !c->eof))
				s->ops->read(c, buf);
			wc_client_flush(c);
			ep_update(s, epfd, &head, c, buf);
		}
		ep_tick(s, epfd, &head, buf);
	}
	for (c = head; c; c = next) {
		next = c->next;
		wc_client_stopping(c);
		wc_tcpserv_end(s, c, buf);
	}
	return rc;
}

int wc_tcpserv_epoll(wc_tcpserv *s, char *err, size_t errlen)
{
	uint8_t *buf = malloc(WC_CHUNK);
	int epfd = -1, rc = -1;

	if (!buf)
		snprintf(err, errlen, "malloc: %s", strerror(errno)); /* LCOV_EXCL_LINE: allocation failure */
	else if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
	else if (ep_watch(epfd, EPOLL_CTL_ADD, s->fd, EPOLLIN, NULL) < 0)
		snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
	else
		rc = ep_loop(s, epfd, buf, err, errlen);
	if (epfd >= 0)
		close(epfd);
	free(buf);
	return rc;
}
