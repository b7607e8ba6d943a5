/* server.c - what every reference server does to start and to stop: signals, the "listening on" line, the last lines */
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "srvtx.h"

volatile sig_atomic_t wc_stop_signal;

static void on_stop(int sig)
{
	wc_stop_signal = sig;
}

/* Only wakes the wait of a fork loop, which then reaps. */
static void on_child(int sig)
{
	(void)sig;
}

int wc_server_signals(sigset_t *waitmask, int flags, char *err, size_t errlen)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (flags & WC_SIG_CHILD)
		sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0) {
		snprintf(err, errlen, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	if (flags & WC_SIG_CHILD)
		sigdelset(waitmask, SIGCHLD);
	sa.sa_handler = on_stop;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		goto fail;
	if (flags & WC_SIG_CHILD) {
		sa.sa_handler = on_child;
		sa.sa_flags = SA_NOCLDSTOP;
		if (sigaction(SIGCHLD, &sa, NULL) < 0)
			goto fail;
		sa.sa_flags = 0;
	}
	if (flags & WC_SIG_PIPE_IGNORE) {
		sa.sa_handler = SIG_IGN;
		if (sigaction(SIGPIPE, &sa, NULL) < 0)
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "sigaction: %s", strerror(errno));
	return -1;
}

int wc_server_start(const char *prog, const wc_serve_opts *o, int sigflags, wc_addr *addr, sigset_t *waitmask,
		    char *err, size_t errlen)
{
	wc_log_init(prog, o->verbose);
	/* the harness may ask for a transcript of our sockets (no capture where it runs) */
	if (wc_addr_parse(o->bind, o->port, addr, err, errlen) < 0 || wc_srvtx_open(err, errlen) < 0)
		return -1;
	return wc_server_signals(waitmask, sigflags, err, errlen);
}

int wc_server_listening(int fd, char *err, size_t errlen)
{
	char name[80];
	wc_addr a;

	if (!wc_log_verbose())
		return 0;
	memset(&a, 0, sizeof(a));
	a.len = sizeof(a.ss);
	if (getsockname(fd, (struct sockaddr *)&a.ss, &a.len) < 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	wc_addr_str(&a, name, sizeof(name));
	wc_log("listening on %s", name);
	return 0;
}

void wc_server_ending(const wc_errlog *l)
{
	if (l->held)
		wc_log("%lu more errors not shown", l->held);
	if (wc_stop_signal)
		wc_log_detail("signal %d (%s), exiting", (int)wc_stop_signal, strsignal(wc_stop_signal));
}

#define DGRAM_MAX 65536 /* more than any UDP payload, so MSG_TRUNC means a bug */
#define BATCH 32        /* datagrams taken by one recvmmsg() */

struct batch {
	struct mmsghdr in[BATCH], out[BATCH];
	struct iovec iov[BATCH], oiov[BATCH];
	wc_addr peer[BATCH];
	uint8_t *buf; /* BATCH buffers of DGRAM_MAX, touched as far as datagrams fill them */
};

/* Sends the n replies of b->out; a reply the system refuses is logged and
 * skipped, the rest still go. */
static void send_replies(int fd, struct batch *b, int n, wc_errlog *log)
{
	for (int done = 0; done < n;) {
		int k = sendmmsg(fd, b->out + done, (unsigned)(n - done), 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			char name[80];
			wc_addr a;
			memset(&a, 0, sizeof(a));
			memcpy(&a.ss, b->out[done].msg_hdr.msg_name, b->out[done].msg_hdr.msg_namelen);
			a.len = b->out[done].msg_hdr.msg_namelen;
			wc_addr_str(&a, name, sizeof(name));
			wc_errlog_say(log, "sendto %s: %s", name, k < 0 ? strerror(errno) : "nothing sent");
			done++;
			continue;
		}
		for (int i = done; i < done + k; i++) {
			wc_addr a;
			memset(&a, 0, sizeof(a));
			memcpy(&a.ss, b->out[i].msg_hdr.msg_name, b->out[i].msg_hdr.msg_namelen);
			wc_srvtx_udp(fd, "udp-out", &a, b->out[i].msg_hdr.msg_iov->iov_base,
				     b->out[i].msg_hdr.msg_iov->iov_len);
		}
		done += k;
	}
}

/* Makes b's BATCH buffers and addresses ready for a recvmmsg() */
static void arm_batch(struct batch *b)
{
	for (int i = 0; i < BATCH; i++) {
		memset(&b->in[i].msg_hdr, 0, sizeof(b->in[i].msg_hdr));
		memset(&b->peer[i], 0, sizeof(b->peer[i]));
		b->iov[i].iov_base = b->buf + (size_t)i * DGRAM_MAX;
		b->iov[i].iov_len = DGRAM_MAX;
		b->in[i].msg_hdr.msg_name = &b->peer[i].ss;
		b->in[i].msg_hdr.msg_namelen = sizeof(b->peer[i].ss);
		b->in[i].msg_hdr.msg_iov = &b->iov[i];
		b->in[i].msg_hdr.msg_iovlen = 1;
	}
}

/* Takes what is waiting (up to BATCH datagrams) and answers it. Returns how
 * many datagrams came, or -1 when fn asked to end. */
static int serve_batch(int fd, struct batch *b, wc_dgram_fn fn, wc_batch_fn done, void *ctx, wc_errlog *log)
{
	int n, nout = 0, stop = 0;

	arm_batch(b);
	do
		n = recvmmsg(fd, b->in, BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			wc_errlog_say(log, "recvmmsg: %s", strerror(errno));
		return 0;
	}
	for (int i = 0; i < n && !stop; i++) {
		uint8_t *p = b->iov[i].iov_base;
		size_t got = b->in[i].msg_len, len = got < DGRAM_MAX ? got : DGRAM_MAX;
		char name[80];
		long r;

		b->peer[i].len = b->in[i].msg_hdr.msg_namelen;
		/* the sender's name only for a line that says it (printf costs ~3% of a query) */
		name[0] = 0;
		if (wc_log_verbose() || (b->in[i].msg_hdr.msg_flags & MSG_TRUNC))
			wc_addr_str(&b->peer[i], name, sizeof(name));
		wc_log_chunk(p, len, name);
		wc_srvtx_udp(fd, "udp-in", &b->peer[i], p, len);
		if (b->in[i].msg_hdr.msg_flags & MSG_TRUNC)
			wc_errlog_say(log, "datagram of %zu bytes from %s cut to %zu", got, name, len);
		r = fn(ctx, p, len, DGRAM_MAX, &b->peer[i], log);
		if (r == WC_DGRAM_STOP) {
			stop = 1;
			break;
		}
		if (r < 0)
			continue;
		memset(&b->out[nout], 0, sizeof(b->out[nout]));
		b->oiov[nout].iov_base = p;
		b->oiov[nout].iov_len = (size_t)r;
		b->out[nout].msg_hdr.msg_name = &b->peer[i].ss;
		b->out[nout].msg_hdr.msg_namelen = b->peer[i].len;
		b->out[nout].msg_hdr.msg_iov = &b->oiov[nout];
		b->out[nout].msg_hdr.msg_iovlen = 1;
		nout++;
	}
	if (done)
		done(ctx, log);
	send_replies(fd, b, nout, log);
	return stop ? -1 : n;
}

int wc_udp_serve(int fd, const sigset_t *waitmask, wc_dgram_fn fn, wc_batch_fn done, void *ctx, char *err,
		 size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	struct batch *b = calloc(1, sizeof(*b));
	wc_errlog log = {0};
	int rc = 0;

	if (b)
		b->buf = malloc((size_t)BATCH * DGRAM_MAX);
	if (!b || !b->buf) {
		/* LCOV_EXCL_START: allocation failure */
		snprintf(err, errlen, "malloc: %s", strerror(errno));
		if (b)
			free(b);
		return -1;
		/* LCOV_EXCL_STOP */
	}
	while (!wc_stop_signal) {
		/* also when datagrams wait: the stop signals arrive only in here */
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "ppoll: %s", strerror(errno));
			rc = -1;
			break;
		}
		if (serve_batch(fd, b, fn, done, ctx, &log) < 0)
			break;
	}
	/* datagrams still queued as we stop were sent to us all the same: a
	 * transcript keeps them (unanswered), as a capture would have seen them */
	for (int n = BATCH; wc_srvtx_on() && n == BATCH;) {
		arm_batch(b);
		n = recvmmsg(fd, b->in, BATCH, MSG_DONTWAIT | MSG_TRUNC, NULL);
		for (int i = 0; i < n; i++) {
			b->peer[i].len = b->in[i].msg_hdr.msg_namelen;
			wc_srvtx_udp(fd, "udp-in", &b->peer[i], b->iov[i].iov_base,
				     b->in[i].msg_len < DGRAM_MAX ? b->in[i].msg_len : DGRAM_MAX);
		}
	}
	wc_server_ending(&log);
	free(b->buf);
	free(b);
	return rc;
}
