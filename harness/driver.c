/* driver.c - step execution: endpoints, sends, waits on events with deadlines; no verdicts here */
#include "driver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DGRAM 65536

typedef struct drive {
	wc_record *r;
	const wc_addr *target;
	int64_t deadline;
	int fd[WC_MAX_ENDPOINTS];
	uint8_t *buf;
	int wire_seen;         /* client test: datagrams the reference has logged */
} drive;

/* Waits until 'ready' says so, the time runs out or the program ends. 'fd' (or
 * -1) is watched for input. Returns 1 if ready, 0 on timeout, -1 if the program
 * ended first. */
typedef int (*ready_fn)(drive *d, int step);

static int wait_for(drive *d, int step, int fd, int timeout_ms, ready_fn ready)
{
	wc_record *r = d->r;
	int64_t until = wc_now_ms() + timeout_ms;

	if (until > d->deadline)
		until = d->deadline;
	for (;;) {
		struct pollfd pfd[10];
		int n = 0, rc;
		int64_t left;

		if (ready(d, step))
			return 1;
		if (r->prog.exited)
			return -1;
		left = until - wc_now_ms();
		if (left <= 0)
			return 0;
		if (fd >= 0) {
			pfd[n].fd = fd;
			pfd[n].events = POLLIN;
			n++;
		}
		n += wc_proc_pollfds(&r->prog, pfd + n, 4);
		if (r->ref_started)
			n += wc_proc_pollfds(&r->ref, pfd + n, 4);
		rc = poll(pfd, (nfds_t)n, (int)left);
		if (rc < 0 && errno != EINTR)
			return 0;
		if (rc > 0) {
			int first = fd >= 0 ? 1 : 0;
			wc_proc_service(&r->prog, pfd + first, n - first);
			if (r->ref_started)
				wc_proc_service(&r->ref, pfd + first, n - first);
		}
	}
}

/* A datagram waiting on the step's endpoint? Reads it if so. */
static int dgram_ready(drive *d, int step)
{
	wc_step *st = &d->r->sc->steps[step];
	ssize_t n = recv(d->fd[st->ep], d->buf, MAX_DGRAM, MSG_DONTWAIT);

	if (n >= 0) {
		d->r->ev[step].got = 1;
		return 1;
	}
	return 0;
}

static int never(drive *d, int step)
{
	(void)d;
	(void)step;
	return 0;
}

static int stdout_ready(drive *d, int step)
{
	wc_step *st = &d->r->sc->steps[step];
	wc_buf *out = &d->r->prog.out;

	return st->len == 0 || (out->len >= st->len && memmem(out->p, out->len, st->data, st->len));
}

/* The reference logs "N bytes from ADDR: ..." for each datagram it takes. */
static int wire_ready(drive *d, int step)
{
	wc_buf *log = &d->r->ref.err;
	int seen = 0;
	const char *s = wc_buf_cstr(log);

	(void)step;
	while ((s = strstr(s, " bytes from ")) != NULL) {
		seen++;
		s++;
	}
	if (seen > d->wire_seen) {
		d->wire_seen++;
		return 1;
	}
	return 0;
}

static int open_endpoint(drive *d, int step, char *err, size_t errlen)
{
	wc_record *r = d->r;
	wc_step *st = &r->sc->steps[step];
	wc_addr local;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd;

	/* any local address of the target's family: the route picks the source */
	if (wc_addr_parse(d->target->ss.ss_family == AF_INET6 ? "::" : "0.0.0.0", 0, &local, err, errlen) < 0)
		return -1;
	fd = wc_udp_socket(&local, err, errlen);
	if (fd < 0)
		return -1;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		close(fd);
		return -1;
	}
	d->fd[st->ep] = fd;
	r->ep_port[st->ep] = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							    : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

static int do_step(drive *d, int i, char *err, size_t errlen)
{
	wc_record *r = d->r;
	wc_step *st = &r->sc->steps[i];
	wc_event *ev = &r->ev[i];
	int rc;

	ev->t_ms = wc_now_ms();
	if (st->ep >= 0)
		ev->port = r->ep_port[st->ep];
	switch (st->kind) {
	case WC_STEP_OPEN:
		if (open_endpoint(d, i, err, errlen) < 0)
			return -1;
		ev->port = r->ep_port[st->ep];
		break;
	case WC_STEP_SEND:
		if (sendto(d->fd[st->ep], st->data, st->len, 0, (const struct sockaddr *)&d->target->ss,
			   d->target->len) < 0) {
			char to[80];
			wc_addr_str(d->target, to, sizeof(to));
			snprintf(err, errlen, "sendto %s: %s", to, strerror(errno));
			return -1;
		}
		break;
	case WC_STEP_EXPECT:
	case WC_STEP_EXPECT_NONE:
		rc = wait_for(d, i, d->fd[st->ep], r->sc->timeout_ms, dgram_ready);
		if (rc < 0 && dgram_ready(d, i)) /* sent just before it ended */
			rc = 1;
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_EXPECT_EXIT:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, never);
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_STDIN:
		if (wc_proc_write_stdin(&r->prog, st->data, st->len) < 0)
			ev->prog_gone = 1;
		break;
	case WC_STEP_CLOSE_STDIN:
		wc_proc_close_stdin(&r->prog);
		break;
	case WC_STEP_EXPECT_WIRE:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, wire_ready);
		if (rc < 0) {
			wc_proc_wait(&r->ref, 0);
			rc = wire_ready(d, i) ? 1 : -1;
		}
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_EXPECT_STDOUT:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, stdout_ready);
		if (rc < 0) {
			wc_proc_stop(&r->prog, 0); /* collect the last output */
			rc = stdout_ready(d, i) ? 1 : -1;
		}
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	}
	ev->done = 1;
	return 0;
}

int wc_drive(wc_record *r, const wc_addr *target, int64_t deadline, char *err, size_t errlen)
{
	drive d;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.target = target;
	d.deadline = deadline;
	for (int i = 0; i < WC_MAX_ENDPOINTS; i++)
		d.fd[i] = -1;
	d.buf = malloc(MAX_DGRAM);
	if (!d.buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->stopped_at = r->sc->nsteps;
	for (int i = 0; i < r->sc->nsteps; i++) {
		if (wc_now_ms() >= deadline) {
			r->stopped_at = i;
			break;
		}
		if (do_step(&d, i, err, errlen) < 0) {
			r->stopped_at = i;
			rc = -1;
			break;
		}
	}
	for (int i = 0; i < WC_MAX_ENDPOINTS; i++)
		if (d.fd[i] >= 0)
			close(d.fd[i]);
	free(d.buf);
	return rc;
}
