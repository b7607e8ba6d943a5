/* driver.c - step execution: UDP and TCP endpoints, stdin, waits on events with deadlines; no verdicts here */
#include "run/driver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hexdump.h"
#include "http.h"
#include "judge/compare.h"
#include "sandbox/discover.h"
#include "sandbox/idle.h"
#include "sandbox/netns.h"

#define MAX_DGRAM 65536
#define SLOW_READ 256        /* bytes a 'slow' endpoint reads at a time */
#define SLOW_RCVBUF 2048     /* and its receive buffer */

typedef struct endpoint {
	int fd;
	int proto;
	int slow;
	wc_buf in;            /* TCP: bytes received */
	size_t used;          /* of which consumed by expectations */
	int eof, rst;         /* TCP: the server closed / reset */
	int kept_alive;       /* TCP: the last HTTP response said keep-alive, and the connection is open */
	int lines;            /* TCP, 'framing any': the server waits for a line end: messages go as lines */
	int sent_nl;          /* TCP: the last message sent ended in "\n" */
	int flow;             /* TCP: its connection in the record's transcript (r->tx), -1 none */
	wc_transcript *tx;    /* the record's transcript, NULL when a capture runs */
} endpoint;

typedef struct drive {
	wc_record *r;
	const wc_addr *target;
	int host;             /* host mode: this machine's ports, shared with the next scenario */
	int64_t deadline;
	pid_t netns_pid;      /* where the server's sockets are: 0 here */
	endpoint ep[WC_MAX_ENDPOINTS];
	uint8_t *buf;
	int wire_seen;        /* client test: chunks the reference has logged */
	int udp_sent;         /* datagrams the harness sent */
	int udp_got;          /* datagrams that came back to an expectation */
	wc_idle idle;         /* looks at the program under test while a wait goes on */
	int idle_init;
	wc_idle ref_idle;     /* and at the reference server (client under test) */
	int ref_idle_init;
	int64_t last_tx_ms;   /* when the harness last sent, connected, closed or wrote stdin */
	char blocked[200];    /* the last wait ended on proof that nothing will come: where
				 the program's threads wait */
	int64_t spin_cpu_ms, spin_wall_ms; /* the last wait ended because the program spent
				 the timeout's worth of CPU time: how much, in how long */
	char spin[200];       /* and what its threads were doing */
	int64_t step_ms;      /* when the current step began */
	size_t out_mark;      /* the client's standard output when it was last given input */
	size_t out_at_look, out_at_prev_look; /* and at the last two looks */
	int calm;             /* looks in a row, within this step, that found the program not working */
	int proofs;           /* looks in a row that proved the program blocked */
	int64_t look_cost_ms; /* what the last look took: looks are spaced ten times that at least
				 (a fork bomb's 256 processes are 1000 files to read) */
	wc_capture *cap;       /* the scenario's capture, told each endpoint's port; NULL: it keeps all */
	int flight_ok;        /* the namespace's packet counters tell what is on its way
				 (wc_netns_in_flight): a namespace of its own, loopback only */
} drive;

#define LOOK_MS 20 /* between two looks at a program that may close a kept-alive connection */
/*
 * A program proven blocked is looked at no sooner than QUIET_MS after the
 * harness's last transmission, and the two looks that prove it are at least
 * QUIET_MS apart. On loopback and veth the kernel delivers a datagram or a
 * segment inside the sender's own system call (the receive softirq runs when
 * the sender re-enables bottom halves), so the receiver is woken before
 * send() returns; QUIET_MS covers the rare deferral of that softirq to
 * ksoftirqd on a loaded machine, for the harness's sends and the reference
 * server's alike. For TCP the harness also has the proof itself: every byte
 * it sent was acknowledged by the program's kernel. In a namespace of its own
 * (not host mode, not two hosts) the harness needs no such margin: the
 * namespace's packet counters say when nothing is on its way
 * (nothing_in_flight), and looks can then be SETTLE_LOOK_MS apart.
 */
#define QUIET_MS 50
#define LOOK_MAX_MS 400 /* looks at a program that sleeps in timed calls: ever further apart, up to this */
#define SETTLE_LOOK_MS 2 /* looks where nothing_in_flight can tell (settle_look) */

/* Waits until 'ready' says so, the time runs out or the program ends. 'fd' (or
 * -1) is watched for input. Returns 1 if ready, 0 on timeout, -1 if the program
 * ended first.
 *
 * The wait ends early, with d->blocked saying where the program waits, when
 * the program under test is proven blocked (wc_idle_check: every thread asleep
 * in a call with no timeout of its own, no timer, nothing run between two
 * looks), the reference server too when one runs, and nothing the harness
 * sent is still in flight: then nothing can ever come (issue 16), and a
 * one-at-a-time server, a dropped request or a silent 'expect none' no longer
 * cost the scenario's whole timeout.
 *
 * The timeout ends the wait only when the program under test is idle: while
 * it works (a thread runnable, CPU spent between two looks QUIET_MS apart) the
 * wait goes on, up to the scenario's deadline. Under load a client may take
 * seconds to start (issue 13: a Python client at the quit variant had not yet
 * sent its first line when 2000 ms ran out); what it does then is still
 * judged, and the same verdict comes out as on an idle machine. */
typedef int (*ready_fn)(drive *d, int step);

/* Has everything sent on e reached the peer's kernel (acknowledged), the
 * connection opened? */
static int acked(const endpoint *e)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	return getsockopt(e->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 && ti.tcpi_state != TCP_SYN_SENT &&
	       ti.tcpi_unacked == 0;
}

/* Has every byte the harness sent on its TCP endpoints reached the program's
 * kernel (acknowledged), with no connection still being opened? */
static int tcp_all_delivered(const drive *d)
{
	for (int i = 0; i < WC_MAX_ENDPOINTS; i++)
		if (d->ep[i].fd >= 0 && d->ep[i].proto == IPPROTO_TCP && !acked(&d->ep[i]))
			return 0;
	return 1;
}

/* Is nothing on its way in the scenario's namespace, by its packet counters
 * (wc_netns_in_flight)? 0 where they cannot tell: host mode shares the
 * machine's counters, two hosts send from one namespace to another. Read
 * before a look, it covers what reached the program before the look: what
 * woke it shows as work. */
static int nothing_in_flight(const drive *d)
{
	return d->flight_ok && wc_netns_in_flight() == 0;
}

/* Is the look just taken of w the second of two that proved it blocked, with
 * nothing on its way between them (quiet: nothing_in_flight before the look)
 * or, where that cannot be told, QUIET_MS apart? */
static int proven(const wc_idle *w, wc_idle_state st, int quiet)
{
	return st == WC_IDLE_BLOCKED && (quiet || w->cur.at_ms - w->prev.at_ms >= QUIET_MS);
}

/* Did the last look of w find every thread asleep in a call with no timeout
 * (the first half of a proof)? */
static int all_blocked(const wc_idle *w)
{
	if (!w->cur.n || w->cur.note_timed)
		return 0;
	for (int i = 0; i < w->cur.n; i++)
		if (w->cur.th[i].cls != WC_THREAD_BLOCKED && w->cur.th[i].cls != WC_THREAD_DEAD)
			return 0;
	return 1;
}

/* One look at the program under test (its watch set up at the first), its cost kept. */
static wc_idle_state prog_look(drive *d, char *desc, size_t n)
{
	int64_t t0 = wc_now_ms();
	wc_idle_state st;

	if (!d->idle_init) {
		wc_idle_init_proc(&d->idle, &d->r->prog);
		d->idle_init = 1;
	}
	st = wc_idle_check(&d->idle, desc, n);
	d->look_cost_ms = wc_now_ms() - t0;
	return st;
}

/* One look at the program under test, in a wait that has taken *looks of them:
 * is it asleep, not working (wc_idle_working) since the wait's last look? The
 * first look of a wait only takes the measure, and answers no. */
static int asleep_seen(drive *d, int *looks, wc_idle_state *seen)
{
	*seen = prog_look(d, NULL, 0);
	return (*looks)++ > 0 && !wc_idle_working(&d->idle, *seen);
}

/* One look at the reference server (a client under test), its watch set up at the first. */
static wc_idle_state ref_look(drive *d)
{
	if (!d->ref_idle_init) {
		wc_idle_init_proc(&d->ref_idle, &d->r->ref);
		d->ref_idle_init = 1;
	}
	return wc_idle_check(&d->ref_idle, NULL, 0);
}

/*
 * Is nothing the server wrote on e's connection held back on its way to the
 * harness? Its end of the connection (sock_diag) holds nothing written and
 * not sent: Nagle's algorithm holds a small write back until the one before
 * is acknowledged, which the harness's kernel may delay 40 ms or more (socat's
 * reply ended in a '\n' of its own that waited so, sent after the harness had
 * proven the server blocked: it-witness-tcp). What was sent is in, or on its
 * way, which the namespace's counters see (nothing_in_flight); where they
 * cannot tell (host mode), a FIN or reset not yet acknowledged counts as on
 * its way too: under load the receiving side's work can wait in ksoftirqd,
 * and a server of one recv() that answered, closed and is back in accept() is
 * asleep before its FIN is in. Quiet, too, when the harness's socket holds
 * bytes it has not read and the wait does not read them (reading: it does;
 * a slow reader's server waits for its window) or when sock_diag cannot tell.
 */
/* The two ends of e's connection as its socket names them: the server's and
 * the harness's. 0, or -1. */
static int conn_ends(const endpoint *e, struct sockaddr_storage *server, struct sockaddr_storage *client)
{
	socklen_t sl = sizeof(*server), cl = sizeof(*client);

	if (getpeername(e->fd, (struct sockaddr *)server, &sl) < 0 ||
	    getsockname(e->fd, (struct sockaddr *)client, &cl) < 0)
		return -1;
	return 0;
}

static int conn_quiet(drive *d, endpoint *e, int reading)
{
	struct sockaddr_storage server, client;
	struct pollfd p = {.fd = e->fd, .events = POLLIN};
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	wc_tcp_end end;
	int found;

	if (e->fd < 0 || e->proto != IPPROTO_TCP || e->eof || e->rst)
		return 1;
	if (poll(&p, 1, 0) > 0)
		return !reading; /* the wait that reads them goes on: a server blocked on a slow
				    reader's full window was proven blocked while it read */
	if (conn_ends(e, &server, &client) < 0)
		return 1;
	found = wc_tcp_end_of(d->netns_pid, &server, &client, &end);
	if (found < 0)
		return 1;
	if (found)
		return (end.notsent >= 0 ? end.notsent : end.wqueue) == 0 &&
		       (d->flight_ok || (end.state != TCP_FIN_WAIT1 && end.state != TCP_LAST_ACK && end.state != TCP_CLOSING));
	/* its socket is gone (a close with bytes unread resets): the reset is in
	 * once this end is closed too */
	return getsockopt(e->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 && ti.tcpi_state == TCP_CLOSE;
}

/* Has every byte written on a TCP connection of the scenario left its
 * socket? The harness's connections: the server's ends hold nothing back
 * (conn_quiet; the harness's own ends: tcp_all_delivered). A client
 * scenario's: nothing unsent either way on the connections with the reference
 * server's port (a client's small last line held back by Nagle's algorithm is
 * not on the wire yet), and where the counters cannot tell, nothing
 * unacknowledged (sent, but maybe not in yet). fd: the socket the wait reads
 * (conn_quiet's reading), or -1. */
static int tcp_quiet(drive *d, int fd)
{
	wc_record *r = d->r;

	for (int i = 0; i < WC_MAX_ENDPOINTS; i++)
		if (!conn_quiet(d, &d->ep[i], fd >= 0 && d->ep[i].fd == fd))
			return 0;
	if (r->ref_started && r->have_bound && r->bound.proto == IPPROTO_TCP) {
		wc_tcp_pending p;
		if (wc_tcp_port_pending(r->bound.port, &p) == 0 &&
		    (p.unsent || (!d->flight_ok && p.unacked)))
			return 0;
	}
	return 1;
}

/* Has everything the client sent reached the reference server's sockets?
 * tcp_quiet, then by the namespace's counters nothing on its way; where they
 * cannot tell (host mode), TCP's acknowledgements are all there is (the line a
 * client sent as it exited was still on its way under load, the reference was
 * stopped asleep before it came, and the capture reconstructed from the
 * reference's sockets lacked it, "the client sent no bytes"), and a datagram
 * cannot be told (0: the slow way). */
static int ref_quiet(drive *d)
{
	if (!tcp_quiet(d, -1))
		return 0;
	return d->flight_ok ? nothing_in_flight(d) : d->r->bound.proto == IPPROTO_TCP;
}

/* One look at the program (and the reference, when one runs): 1 when they are
 * proven blocked and nothing sent is in flight, with where the program waits
 * in d->blocked; else 0, and *busy says whether the program works (a thread on
 * a CPU, or progress since the look before). fd: the socket the wait reads,
 * or -1. desc keeps the look's line. */
static int look_blocked(drive *d, int fd, int *busy, char *desc, size_t descn)
{
	wc_record *r = d->r;
	wc_idle_state st;
	int quiet = nothing_in_flight(d), written = tcp_quiet(d, fd), delivered;

	st = prog_look(d, desc, descn);
	d->out_at_prev_look = d->out_at_look;
	d->out_at_look = r->prog.out.len;
	*busy = wc_idle_working(&d->idle, st);
	/* what the harness sent has arrived (by the counters, or QUIET_MS on),
	 * and what the programs wrote on TCP too (read before the look: what
	 * came after it came from a program that ran) */
	delivered = tcp_all_delivered(d) && written && (quiet || d->idle.cur.at_ms >= d->last_tx_ms + QUIET_MS);
	if (*busy || d->idle.prev.at_ms < d->step_ms || !delivered)
		d->calm = 0;
	else
		d->calm++;
	/* proven twice in a row (three looks): one proof has once been seen
	 * where a later look found the program had moved on */
	if (!proven(&d->idle, st, quiet) || !delivered) {
		d->proofs = 0;
		return 0;
	}
	if (++d->proofs < 2)
		return 0;
	if (r->ref_started && !r->ref.exited && !proven(&d->ref_idle, ref_look(d), quiet))
		return 0;
	snprintf(d->blocked, sizeof(d->blocked), "%s", desc);
	return 1;
}

/* After the timeout: has one thread of the program spent WC_IDLE_SPIN_CPU_MS of
 * CPU time (or the timeout's worth, if longer) since the wait's first look
 * without the event, or has the program worked on up to the scenario's
 * deadline (at_deadline)? Then it kept a CPU busy without answering; d->spin*
 * say how much, in how long, doing what. A CPU budget, not a wall-clock one:
 * a loaded machine slows the program down but gives the same verdict. */
static int spun(drive *d, int64_t start, int timeout_ms, const char *desc, int at_deadline)
{
	int64_t cpu = wc_idle_busiest_ms(&d->idle);

	if (!at_deadline && cpu < (timeout_ms > WC_IDLE_SPIN_CPU_MS ? timeout_ms : WC_IDLE_SPIN_CPU_MS))
		return 0;
	d->spin_cpu_ms = cpu;
	d->spin_wall_ms = wc_now_ms() - start;
	snprintf(d->spin, sizeof(d->spin), "%s", desc);
	return 1;
}

/* Polls fd (or -1) for input and both programs' output, status and end for
 * up to ms, and takes what came. Returns poll's answer (-1 with errno). */
static int poll_procs(drive *d, int fd, int ms)
{
	wc_record *r = d->r;
	struct pollfd pfd[9];
	int n = 0, rc;

	if (fd >= 0) {
		pfd[n].fd = fd;
		pfd[n].events = POLLIN;
		n++;
	}
	n += wc_proc_pollfds(&r->prog, pfd + n, 4);
	if (r->ref_started)
		n += wc_proc_pollfds(&r->ref, pfd + n, 4);
	rc = poll(pfd, (nfds_t)n, ms);
	if (rc > 0) {
		int first = fd >= 0 ? 1 : 0;
		wc_proc_service(&r->prog, pfd + first, n - first);
		if (r->ref_started)
			wc_proc_service(&r->ref, pfd + first, n - first);
	}
	return rc;
}

static int wait_for(drive *d, int step, int fd, int timeout_ms, ready_fn ready)
{
	wc_record *r = d->r;
	int64_t now = wc_now_ms(), start = now, until = now + timeout_ms, next_look;
	int64_t gap = d->flight_ok ? SETTLE_LOOK_MS : QUIET_MS;
	int calm = 0, marked = 0; /* looks in a row that found the program not working */

	d->blocked[0] = d->spin[0] = 0;
	d->spin_cpu_ms = d->spin_wall_ms = 0;
	if (until > d->deadline)
		until = d->deadline;
	/* the first look: at once where the counters tell what is on its way,
	 * else QUIET_MS after the harness's last transmission */
	if (d->flight_ok)
		next_look = now + 10 * d->look_cost_ms;
	else
		next_look = (now > d->last_tx_ms ? now : d->last_tx_ms) +
			    (QUIET_MS > 10 * d->look_cost_ms ? QUIET_MS : 10 * d->look_cost_ms);
	for (;;) {
		int64_t wake;

		if (ready(d, step))
			return 1;
		if (r->prog.exited)
			return -1;
		now = wc_now_ms();
		if (now >= until && !r->prog_started)
			return 0;
		if (r->prog_started && (now >= next_look || now >= d->deadline)) {
			char desc[200];
			int busy, at_deadline = now >= d->deadline;
			if (look_blocked(d, fd, &busy, desc, sizeof(desc))) {
				if (!ready(d, step))
					return 0;
				d->blocked[0] = 0; /* it came between the last test and the proof */
				return 1;
			}
			if (!marked++)
				wc_idle_mark(&d->idle);
			/* the time is up: it ends when the program is asleep (two looks,
			 * not working), or has kept a CPU busy through WC_IDLE_SPIN_CPU_MS (or
			 * up to the deadline) */
			calm = busy ? 0 : calm + 1;
			if (now >= until &&
			    (calm >= WC_IDLE_CALM_LOOKS || spun(d, start, timeout_ms, desc, at_deadline && busy)))
				return 0;
			if (at_deadline)
				return 0;
			/* past the time, every QUIET_MS; a program found with every
			 * thread blocked, SETTLE_LOOK_MS on where the counters can prove
			 * it (else QUIET_MS: a proof is two pairs of looks that far
			 * apart); one asleep in a timed call, QUIET_MS on; one that
			 * works, ever further apart (it is not blocked yet); never more
			 * than a tenth of the harness's time spent looking */
			if (now >= until)
				gap = QUIET_MS;
			else if (!busy && d->flight_ok && all_blocked(&d->idle))
				gap = SETTLE_LOOK_MS;
			else if (!busy)
				gap = QUIET_MS;
			else if (gap < LOOK_MAX_MS)
				gap *= 2;
			next_look = now + (gap > 10 * d->look_cost_ms ? gap : 10 * d->look_cost_ms);
		} else if (now >= d->deadline) {
			return 0;
		}
		wake = now < until ? until : d->deadline;
		if (r->prog_started && next_look < wake)
			wake = next_look;
		if (poll_procs(d, fd, (int)(wake > now ? wake - now : 0)) < 0 && errno != EINTR)
			return 0;
	}
}

/* expect idle: the program settles. Waits, with nothing sent, until two looks
 * of this step, QUIET_MS apart, find it not working, or it has spent the
 * timeout's worth of CPU time (it spins: recorded as for a wait), or the
 * deadline. */
static int settled(drive *d, int step)
{
	(void)step;
	return d->calm > 0;
}

/* The capture's clock: packet timestamps are realtime. */
static int64_t realtime_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static endpoint *step_ep(drive *d, int step)
{
	return &d->ep[d->r->sc->steps[step].ep];
}

/* Reads what a TCP endpoint has (a slow one: a little). */
static void tcp_fill(endpoint *e)
{
	char chunk[65536];

	while (e->fd >= 0 && !e->eof && !e->rst) {
		ssize_t n = recv(e->fd, chunk, e->slow ? SLOW_READ : sizeof(chunk), MSG_DONTWAIT);
		if (e->tx && (n >= 0 || errno == ECONNRESET))
			wc_tx_tcp(e->tx, e->flow, n > 0 ? WC_TX_DATA : n == 0 ? WC_TX_FIN : WC_TX_RST, 1, chunk,
				  n > 0 ? (size_t)n : 0);
		if (n > 0) {
			wc_buf_put(&e->in, chunk, (size_t)n);
			if (e->slow)
				return;
			continue;
		}
		if (n == 0)
			e->eof = 1;
		else if (errno == ECONNRESET)
			e->rst = 1;
		else if (errno == EINTR)
			continue;
		return;
	}
}

static size_t unread(const endpoint *e)
{
	return e->in.len - e->used;
}

/* Where the unread bytes start (an empty string before anything came: no
 * offset applied to the NULL of a buffer never filled). */
static const uint8_t *unread_at(const endpoint *e)
{
	return e->in.p ? e->in.p + e->used : (const uint8_t *)"";
}

/* UDP: a datagram waiting on the step's endpoint? Reads it if so. */
static int dgram_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(e->fd, d->buf, MAX_DGRAM, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);

	if (n >= 0 && e->tx)
		wc_tx_udp(e->tx, e->fd, (struct sockaddr *)&from, fl, 1, d->buf, (size_t)n);
	if (n >= 0) {
		d->r->ev[step].got = 1;
		return 1;
	}
	return 0;
}

/* TCP: as many bytes as the step expects, or the connection's end. */
static int bytes_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);

	size_t want = d->r->sc->steps[step].len;

	tcp_fill(e);
	if (e->lines && unread(e) == want && !e->eof && !e->rst)
		return 0; /* a server of lines: its line end may follow (else the wait ends on proof) */
	return unread(e) >= want || e->eof || e->rst;
}

static int line_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);

	tcp_fill(e);
	return (unread(e) && memchr(unread_at(e), '\n', unread(e))) || e->eof || e->rst;
}

static int closed_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);

	tcp_fill(e);
	return e->eof || e->rst;
}

static int any_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);

	if (e->proto == IPPROTO_UDP)
		return dgram_ready(d, step);
	tcp_fill(e);
	return unread(e) > 0 || e->eof || e->rst;
}

/* Where an HTTP response in p[0..n) ends, for waiting and reading (judged by the checks). */
typedef struct http_frame {
	int bad;              /* not a response head */
	size_t head;          /* head length; 0 while incomplete */
	uint64_t body;        /* Content-Length, or 0 */
	int until_close;      /* no length: the body runs to the end of the connection */
	int close, keep;      /* what its Connection header says */
} http_frame;

static void http_frame_of(const uint8_t *p, size_t n, int head_req, http_frame *f)
{
	wc_http_head h;
	const wc_http_header *cl, *conn;
	int rc = wc_http_parse_response((const char *)p, n, 0, &h, NULL, 0);

	memset(f, 0, sizeof(*f));
	if (rc == WC_HTTP_INCOMPLETE)
		return;
	if (rc < 0) {
		f->bad = 1;
		return;
	}
	f->head = (size_t)rc;
	conn = wc_http_find(&h, "connection");
	if (conn) {
		f->close = wc_http_has_token(conn->value, conn->value_len, "close");
		f->keep = wc_http_has_token(conn->value, conn->value_len, "keep-alive");
	}
	if (head_req || h.status / 100 == 1 || h.status == 204 || h.status == 304)
		return;
	cl = wc_http_find(&h, "content-length");
	if (!cl || wc_http_content_length(cl->value, cl->value_len, &f->body) < 0)
		f->until_close = 1;
}

/* TCP: a whole HTTP response (and the connection's end when it says close and the
 * step judges what comes after the head), or the connection's end. */
static int http_ready(drive *d, int step)
{
	endpoint *e = step_ep(d, step);
	http_frame f;

	tcp_fill(e);
	if (e->eof || e->rst)
		return 1;
	http_frame_of(unread_at(e), unread(e), d->r->sc->steps[step].head, &f);
	if (f.bad)
		return 1;
	/* after 'close', wait for the end too when the step judges what follows the
	 * head: the Connection header, or a HEAD response's missing body */
	if (!f.head || f.until_close || (f.close && (d->r->sc->steps[step].conn || d->r->sc->steps[step].head)))
		return 0;
	return unread(e) - f.head >= f.body;
}

/*
 * The looks of a settle (the end of what a program does with what it was
 * given), SETTLE_LOOK_MS apart: the program is done once a look finds it
 * asleep (not working) and not put on a CPU since the look before, with
 * nothing on its way to it (quiet: nothing_in_flight before the look);
 * else, as where the counters cannot tell or a program wakes often (a timer,
 * a runtime's housekeeping thread), once a look LOOK_MS or more after the
 * first finds it not working. Looks of a few milliseconds suffice: a thread
 * woken by what it was sent is running or ready to run (working) from the
 * moment the kernel queued the bytes, and one that has not been on a CPU
 * between two looks has done nothing in between.
 */
static int settle_look(const wc_idle *w, wc_idle_state st, int quiet, int *looks, int64_t *first)
{
	if ((*looks)++ == 0) {
		*first = w->cur.at_ms;
		return 0;
	}
	return !wc_idle_working(w, st) && ((quiet && !wc_idle_progressed(w)) || w->cur.at_ms - *first >= LOOK_MS);
}

/* The pause between two looks of a settle: SETTLE_LOOK_MS, or ten times what
 * a look costs; LOOK_MS where the counters cannot tell (only the slow way
 * settles then). */
static int settle_gap(const drive *d)
{
	if (!d->flight_ok)
		return LOOK_MS;
	return SETTLE_LOOK_MS > 10 * d->look_cost_ms ? SETTLE_LOOK_MS : (int)(10 * d->look_cost_ms);
}

/* Services the program's output for LOOK_MS (less at the deadline), or until it ends. */
static void watch_prog(drive *d, int ms)
{
	int64_t until = wc_now_ms() + ms;

	if (until > d->deadline)
		until = d->deadline;
	while (!d->r->prog.exited && wc_now_ms() < until)
		wc_proc_wait(&d->r->prog, (int)(until - wc_now_ms()));
}

/*
 * A connection ended before what was expected, a reply is missing, or the
 * steps are done: did the program die? Decided on evidence before any verdict
 * is written (issue 15: the same crash was named in some runs and "then the
 * server closed the connection" in others, as its FIN came before its exit):
 * the wait ends when the program has ended (its exit status is in), or when it
 * is alive and asleep (settle_look: what was on its way to it has come, and
 * it has not run between two looks; or not working at a look LOOK_MS on), or when it
 * has spent the step's timeout in CPU since (a busy loop, alive), or at the
 * scenario's deadline. A program seen GONE (zombies only) is waited for: its
 * exit status is on its way. Returns 1 if the program has ended.
 */
static int settle_prog(drive *d)
{
	wc_record *r = d->r;
	int looks = 0;
	int64_t first = 0, cpu0 = -1;

	if (!r->prog_started)
		return 0;
	while (!r->prog.exited && wc_now_ms() < d->deadline) {
		int quiet = nothing_in_flight(d);
		wc_idle_state seen = prog_look(d, NULL, 0);

		if (settle_look(&d->idle, seen, quiet, &looks, &first)) /* never for GONE: that counts as working */
			return 0;
		if (cpu0 < 0)
			cpu0 = wc_idle_cpu_ms(&d->idle);
		else if (seen == WC_IDLE_BUSY && wc_idle_cpu_ms(&d->idle) - cpu0 >= r->sc->timeout_ms)
			return 0;
		watch_prog(d, settle_gap(d));
	}
	return r->prog.exited;
}

/* Services the output of both programs for ms (less at the deadline). */
static void watch_both(drive *d, int ms)
{
	int64_t now = wc_now_ms(), until = now + ms;

	if (until > d->deadline)
		until = d->deadline;
	while (now < until) {
		poll_procs(d, -1, (int)(until - now));
		now = wc_now_ms();
	}
}

/*
 * A client scenario's steps are done: the exchange the client began runs to
 * its end before anything is stopped. The reference server takes what the
 * client sent (nothing on its way, ref_quiet, and its port holds nothing
 * unread) and answers (settle_look, with its port still empty), then the
 * client does what it does with the answer (it exits, or sleeps:
 * settle_prog). Stopped at once, a client whose last step was
 * what it sent ('expect wire') was gone before the answer came in some runs and
 * not in others: the reply met a closed port, and the capture held an ICMP
 * port unreachable quoting it (udp-echo/client-no-newline, about 1 run in 10).
 */
static void settle_exchange(drive *d)
{
	wc_record *r = d->r;
	int looks = 0;
	int64_t first = 0;

	while (r->ref_started && r->have_bound && !r->ref.exited && wc_now_ms() < d->deadline) {
		if (wc_port_unread(r->bound.proto, r->bound.port) > 0) {
			looks = 0; /* not taken yet: it is not done */
		} else {
			int quiet = ref_quiet(d);
			if (settle_look(&d->ref_idle, ref_look(d), quiet, &looks, &first))
				break;
		}
		watch_both(d, SETTLE_LOOK_MS);
	}
	settle_prog(d);
}

/* Does the server under test still have the listening socket it got ready with? */
static int still_listening(drive *d)
{
	wc_bound now[64];
	int n = wc_discover(d->r->bound.proto, d->netns_pid, now, 64);

	for (int i = 0; i < n; i++)
		if (now[i].inode == d->r->bound.inode)
			return 1;
	return 0;
}

/* After a step that did not get what it waited for: settles whether the
 * program died, and if it lives, whether it still listens (a server that
 * closed its listening socket refuses the next client, or resets it when it
 * was already queued: either way the same fault). */
static void settle_step(drive *d, wc_event *ev)
{
	if (!ev->prog_gone && settle_prog(d))
		ev->prog_gone = 1;
	if (!ev->prog_gone && d->r->have_bound && d->r->bound.proto == IPPROTO_TCP && d->r->sc->role == WC_TEST_SERVER)
		ev->not_listening = !still_listening(d);
}

/* TCP: has the step's expectation arrived whole (before it is taken)? */
static int expectation_met(drive *d, int step)
{
	const wc_step *st = &d->r->sc->steps[step];
	endpoint *e = step_ep(d, step);

	if (st->kind == WC_STEP_EXPECT)
		return unread(e) >= st->len;
	if (st->kind == WC_STEP_EXPECT_LINE)
		return unread(e) && memchr(unread_at(e), '\n', unread(e));
	return 1; /* 'closed' and 'none' wait for the end or for nothing */
}

/*
 * Waits until the program under test has done what it does with what it got
 * on e's connection, so that the harness never races it (issue 16):
 * - a response that said keep-alive, on a step that judges the Connection
 *   header: a server that says keep-alive and then closes passed or failed by
 *   which FIN the capture showed first;
 * - a piece of a segmented send, read: a server of one recv() answered and
 *   closed before the next piece in one run and after it in another.
 * The wait ends when the server closes or resets the connection, or when the
 * program is done (settle_look) with nothing of it still on its way
 * (conn_quiet), or the program ends, or when it has spent the step's timeout
 * in CPU since (a busy loop), or at the scenario's deadline.
 */
static void settle_conn(drive *d, endpoint *e)
{
	int looks = 0;
	int64_t first = 0, cpu0 = -1;

	while (e->fd >= 0 && d->r->prog_started && !d->r->prog.exited && wc_now_ms() < d->deadline) {
		struct pollfd p = {.fd = e->fd, .events = POLLIN};
		int64_t left = d->deadline - wc_now_ms(), gap = looks ? settle_gap(d) : 0;
		wc_idle_state st;
		int quiet;

		if (poll(&p, 1, (int)(left < gap ? left : gap)) > 0)
			tcp_fill(e);
		if (e->eof || e->rst)
			return;
		quiet = nothing_in_flight(d);
		st = prog_look(d, NULL, 0);
		if (settle_look(&d->idle, st, quiet, &looks, &first) && conn_quiet(d, e, 0)) {
			p.revents = 0;
			if (poll(&p, 1, 0) > 0)
				tcp_fill(e); /* what came with the evidence */
			return;
		}
		if (cpu0 < 0)
			cpu0 = wc_idle_cpu_ms(&d->idle);
		else if (st == WC_IDLE_BUSY && wc_idle_cpu_ms(&d->idle) - cpu0 >= d->r->sc->timeout_ms)
			return;
		wc_proc_wait(&d->r->prog, 0);
	}
}

/* Counts lines of out holding 'marker' (case-insensitive). */
static int count_marked(wc_buf *out, const char *marker)
{
	const char *s = wc_buf_cstr(out);
	size_t m = strlen(marker);
	int n = 0;

	for (; *s; s++)
		if (!strncasecmp(s, marker, m))
			n++;
	return n;
}

/* The server under test has printed a Request for each datagram sent, and a Response for each reply. */
static int printed_ready(drive *d, int step)
{
	(void)step;
	return count_marked(&d->r->prog.out, "request") >= d->udp_sent &&
	       count_marked(&d->r->prog.out, "response") >= d->udp_got;
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

	if (st->loose)
		return wc_loose_find(out->p, out->len, st->data, st->len);
	return st->len == 0 || (out->len >= st->len && memmem(out->p, out->len, st->data, st->len));
}

/* stdin if-asked WORD: does the client's output since its last input hold WORD (any case)? */
static int asked_for(drive *d, int step)
{
	const wc_buf *out = &d->r->prog.out;
	const char *w = d->r->sc->steps[step].ask;
	size_t from = d->out_mark < out->len ? d->out_mark : out->len;

	if (!out->p)
		return 0;
	return wc_loose_find(out->p + from, out->len - from, (const uint8_t *)w, strlen(w));
}

/* Does a thread of the program wait in read() on its standard input, at the last
 * look and the one before (QUIET_MS apart, both in this step), with no output
 * between them? Then the client waits for input: it has asked all it will ask. */
static int reads_stdin(drive *d)
{
	const wc_idle *w = &d->idle;

	if (!d->idle_init || w->looks < 2 || w->prev.at_ms < d->step_ms || d->out_at_look != d->out_at_prev_look)
		return 0;
	for (int i = 0; i < w->cur.n; i++) {
		const wc_idle_thread *t = &w->cur.th[i];
		if (t->fd != 0 || t->cls != WC_THREAD_BLOCKED)
			continue;
		for (int k = 0; k < w->prev.n; k++)
			if (w->prev.th[k].tid == t->tid && w->prev.th[k].fd == 0 && w->prev.th[k].cls == WC_THREAD_BLOCKED)
				return 1;
	}
	return 0;
}

static int ask_ready(drive *d, int step)
{
	return asked_for(d, step) || reads_stdin(d);
}

/* The reference logs "N bytes from ADDR: ..." for each datagram or read. */
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
		d->wire_seen = seen;
		return 1;
	}
	return 0;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return 0;
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					      : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Writes down, where no capture runs, how a connection the harness opened
 * went: its SYN, then accepted (SYN-ACK, ACK) or refused (a reset). A SYN
 * not answered in time leaves only the SYN. */
static void tx_connected(drive *d, endpoint *e, int err)
{
	if (!e->tx)
		return;
	e->flow = wc_tx_tcp_open(e->tx, e->fd, (const struct sockaddr *)&d->target->ss, d->target->len);
	if (!err)
		wc_tx_tcp(e->tx, e->flow, WC_TX_ACCEPTED, 1, NULL, 0);
	else if (err == ECONNREFUSED || err == ECONNRESET)
		wc_tx_tcp(e->tx, e->flow, WC_TX_RST, 1, NULL, 0);
}

/* A TCP connection to the target, within the step's timeout. The errno of a
 * refused or timed-out connection goes into the event, not err: it is the
 * server's doing. */
static int tcp_connect(drive *d, int step, endpoint *e, char *err, size_t errlen)
{
	wc_event *ev = &d->r->ev[step];
	int fd = socket(d->target->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1, soerr = 0;
	socklen_t sl = sizeof(soerr);
	struct pollfd pfd;

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (e->slow) {
		int rcv = SLOW_RCVBUF;
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	e->fd = fd;
	/* a course that requires lines (a rubric's 'framing LAB lines') gets every message as one */
	e->lines = d->r->sc->framing_any && d->r->sc->framing == WC_FRAMING_LINES;
	if (connect(fd, (const struct sockaddr *)&d->target->ss, d->target->len) < 0 && errno != EINPROGRESS) {
		ev->err = errno;
		tx_connected(d, e, ev->err);
		return 0;
	}
	d->r->ep_port[d->r->sc->steps[step].ep] = local_port(fd);
	if (d->cap && wc_capture_keep_port(d->cap, local_port(fd), err, errlen) < 0)
		return -1;
	/* The handshake takes what the kernel's SYN retries take (1 s, 3 s, ...):
	 * a SYN dropped while a slow server had its accept queue full is sent
	 * again, and that is no fault of the server (issue 16: a forked server
	 * with listen(1), beside CPU hogs, failed concurrent-three on "Connection
	 * timed out" at 800 ms). Only the scenario's deadline ends the wait. */
	pfd.fd = fd;
	pfd.events = POLLOUT;
	for (;;) {
		int64_t left = d->deadline - wc_now_ms();
		int rc = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (rc > 0)
			break;
		if (rc < 0 && errno == EINTR)
			continue;
		ev->err = ETIMEDOUT;
		return 0;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr)
		ev->err = soerr ? soerr : errno;
	tx_connected(d, e, ev->err);
	return 0;
}

static int open_endpoint(drive *d, int step, char *err, size_t errlen)
{
	wc_record *r = d->r;
	wc_step *st = &r->sc->steps[step];
	const wc_endpoint *def = &r->sc->eps[st->ep];
	endpoint *e = &d->ep[st->ep];
	wc_addr local;

	e->proto = def->proto;
	e->slow = def->slow;
	if (e->proto == IPPROTO_TCP)
		return tcp_connect(d, step, e, err, errlen);
	/* any local address of the target's family: the route picks the source */
	if (wc_addr_parse(d->target->ss.ss_family == AF_INET6 ? "::" : "0.0.0.0", 0, &local, err, errlen) < 0)
		return -1;
	e->fd = wc_udp_socket(&local, err, errlen);
	if (e->fd < 0)
		return -1;
	r->ep_port[st->ep] = local_port(e->fd);
	/* its replies are the scenario's, from whatever port they come */
	if (d->cap && wc_capture_keep_port(d->cap, r->ep_port[st->ep], err, errlen) < 0)
		return -1;
	return 0;
}

/* Writes all of p on a non-blocking TCP socket within the step's time; the
 * errno that stopped it (EPIPE, ECONNRESET, ETIMEDOUT) or 0. */
static int tcp_write(drive *d, endpoint *e, const uint8_t *p, size_t n)
{
	int64_t until = wc_now_ms() + d->r->sc->timeout_ms;

	while (n > 0) {
		ssize_t w = send(e->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		/* EPIPE where the harness has not shut its side: the server's
		 * reset, after its FIN (tcp_reset in CLOSE_WAIT) */
		if (e->tx && (w > 0 || (w < 0 && (errno == ECONNRESET ||
						  (errno == EPIPE && !e->tx->flows[e->flow].fin[0])))))
			wc_tx_tcp(e->tx, e->flow, w > 0 ? WC_TX_DATA : WC_TX_RST, w < 0, p, w > 0 ? (size_t)w : 0);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return errno;
		if (wc_now_ms() >= until)
			return ETIMEDOUT;
		{
			/* the server is not reading: keep our side drained while waiting */
			struct pollfd pfd = {e->fd, POLLOUT | POLLIN, 0};
			poll(&pfd, 1, (int)(until - wc_now_ms()));
			if (pfd.revents & POLLIN)
				tcp_fill(e);
		}
	}
	return 0;
}

/* After a piece of a segmented send: waits until the piece is acknowledged
 * and the server's socket has read everything (its receive queue is empty),
 * so the next piece arrives as a separate read. A piece sent to a socket the
 * server has closed is never acknowledged (its kernel resets instead): an
 * empty queue on the closed socket is no read. Gives up on evidence that the server will not read it: the
 * connection ended or a reply came, the server ended, it is asleep elsewhere
 * (a server of one recv() back in accept()), or it has spent the step's
 * timeout in CPU since; at the latest at the scenario's deadline (issue 16: a
 * fixed 1 s wait let a crashing server's reset come after 2 pieces in one run
 * and 7 in another). Returns 1 if the server read it. */
static int await_read(drive *d, endpoint *e, uint16_t port)
{
	int64_t next_look = wc_now_ms() + LOOK_MS, cpu0 = -1;
	int pause = 1, looks = 0;
	struct sockaddr_storage server, client;
	int named = conn_ends(e, &server, &client) == 0;

	for (;;) {
		long q = named ? wc_tcp_unread(d->netns_pid, &server, &client)
			       : wc_tcp_rx_queue(d->netns_pid, d->r->bound.port, port);
		struct pollfd pfd = {e->fd, POLLIN, 0};

		if (q == 0 && acked(e))
			return 1;
		if (wc_now_ms() >= d->deadline || d->r->prog.exited || !d->r->prog_started)
			return 0;
		if (poll(&pfd, 1, pause) > 0) {
			tcp_fill(e);
			if (e->eof || e->rst)
				return 0;
		}
		pause = 2; /* a look costs ~50 us (sock_diag) */
		if (wc_now_ms() >= next_look) {
			wc_idle_state seen;
			wc_proc_wait(&d->r->prog, 0);
			if (d->r->prog.exited || asleep_seen(d, &looks, &seen))
				return 0;
			if (cpu0 < 0)
				cpu0 = wc_idle_cpu_ms(&d->idle);
			else if (seen == WC_IDLE_BUSY && wc_idle_cpu_ms(&d->idle) - cpu0 >= d->r->sc->timeout_ms)
				return 0;
			next_look = wc_now_ms() + LOOK_MS;
		}
	}
}

static void tcp_send(drive *d, int i, endpoint *e)
{
	wc_step *st = &d->r->sc->steps[i];
	wc_event *ev = &d->r->ev[i];
	size_t done = 0, len = st->len;
	const uint8_t *data = st->data;
	uint8_t *line = NULL;

	if (e->fd < 0) {
		ev->err = EBADF;
		return;
	}
	if (e->lines && !(len && data[len - 1] == '\n') && (line = malloc(len + 1))) {
		/* a server that reads lines gets each message as a line: the line end
		 * goes in the message's own (last) segment, so that a server that
		 * replies to whatever it reads sees the message and its end at once */
		if (len)
			memcpy(line, data, len);
		line[len++] = '\n';
		data = line;
		ev->nl_added = 1;
	}
	for (int k = 0; k < st->segments && !ev->err; k++) {
		size_t end = len * (size_t)(k + 1) / (size_t)st->segments;
		ev->err = tcp_write(d, e, data + done, end - done);
		done = end;
		if (k + 1 >= st->segments || ev->err)
			continue;
		if (await_read(d, e, d->r->ep_port[st->ep]))
			settle_conn(d, e); /* what it does with the piece, done before the next */
		else
			ev->unread_pieces++;
	}
	if (ev->err)
		ev->nl_added = 0;
	e->sent_nl = len && data[len - 1] == '\n';
	free(line);
	ev->peer_closed = e->eof || e->rst;
}

/* Has the peer closed its side (its FIN is in)? */
static int peer_finished(const endpoint *e)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);

	return getsockopt(e->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
	       (ti.tcpi_state == TCP_CLOSE_WAIT || ti.tcpi_state == TCP_LAST_ACK);
}

/* Did the peer reset the connection, its RST in without a read or write of
 * ours having returned it? The kernel's pending error says so: ECONNRESET,
 * or EPIPE where the peer's FIN was in first (tcp_reset in CLOSE_WAIT).
 * (Reading it clears it: only as the endpoint closes.) */
static int peer_reset_unseen(const endpoint *e)
{
	int err = 0;
	socklen_t el = sizeof(err);

	return getsockopt(e->fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && (err == ECONNRESET || err == EPIPE);
}

/*
 * Closes an endpoint (WC_STEP_CLOSE, or WC_STEP_RESET: with a reset).
 *
 * Host mode shares this machine's ports between scenarios: a connection the
 * server closed first would leave its side in TIME_WAIT on the hard-coded
 * port for a minute, and the next scenario's server, without SO_REUSEADDR
 * (the slides'), could not bind it ("exited with status 1 before binding" in
 * 8 of 10 tcp-echo scenarios of the slides' one-shot server). Such a
 * connection, the server's FIN in, is closed with a reset: the server's side
 * (FIN_WAIT_2) ends at once, and the program, which has closed, sees nothing.
 * The harness's own port keeps the TIME_WAIT when it closes first.
 */
static void tcp_close(const drive *d, endpoint *e, int how)
{
	int queued = 0, reset;

	if (e->fd < 0)
		return;
	if (e->proto != IPPROTO_TCP) {
		close(e->fd);
		e->fd = -1;
		return;
	}
	reset = how == WC_STEP_RESET || (how == WC_STEP_CLOSE && d->host && peer_finished(e));
	if (e->tx) {
		/* the server's reset of bytes the harness sent after the server
		 * closed (a one-recv() server): a capture holds it, so does the
		 * reconstruction (it said "closed" where the capture said "reset") */
		if (how != WC_STEP_SHUTDOWN && peer_reset_unseen(e))
			wc_tx_tcp(e->tx, e->flow, WC_TX_RST, 1, NULL, 0);
		/* a close with bytes still unread resets, as the kernel does */
		if (how == WC_STEP_CLOSE && ioctl(e->fd, FIONREAD, &queued) < 0)
			queued = 0;
		wc_tx_tcp(e->tx, e->flow, reset || queued > 0 ? WC_TX_RST : WC_TX_FIN, 0, NULL, 0);
	}
	if (how == WC_STEP_SHUTDOWN) {
		shutdown(e->fd, SHUT_WR);
		return;
	}
	if (reset) {
		struct linger lg = {1, 0};
		setsockopt(e->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	close(e->fd);
	e->fd = -1;
}

/* Does a step of this kind only wait and read (nothing goes to the program)? */
static int steps_wait(enum wc_step_kind k)
{
	switch (k) {
	case WC_STEP_EXPECT:
	case WC_STEP_EXPECT_LINE:
	case WC_STEP_EXPECT_CLOSED:
	case WC_STEP_EXPECT_NONE:
	case WC_STEP_EXPECT_HTTP:
	case WC_STEP_EXPECT_PRINTED:
	case WC_STEP_EXPECT_EXIT:
	case WC_STEP_EXPECT_WIRE:
	case WC_STEP_EXPECT_STDOUT:
	case WC_STEP_EXPECT_IDLE:
		return 1;
	default:
		return 0;
	}
}

/* sendto the target, written down where no capture runs. 0, or -1 with errno. */
static int udp_sendto(drive *d, endpoint *e, const uint8_t *p, size_t n)
{
	const struct sockaddr *to = (const struct sockaddr *)&d->target->ss;

	if (sendto(e->fd, p, n, 0, to, d->target->len) < 0)
		return -1;
	if (e->tx)
		wc_tx_udp(e->tx, e->fd, to, d->target->len, 0, p, n);
	return 0;
}

/* A datagram to the program: its bytes, or in a run of hex text their ASCII hex spelling */
static int udp_send(drive *d, endpoint *e, const wc_step *st)
{
	uint8_t *hex;
	ssize_t w;

	if (!d->r->hex || st->as_hex)
		return udp_sendto(d, e, st->data, st->len);
	if (!(hex = wc_hex_spell(st->data, st->len)))
		return -1;
	w = udp_sendto(d, e, hex, st->len * 2);
	free(hex);
	return w < 0 ? -1 : 0;
}

static int do_step(drive *d, int i, char *err, size_t errlen)
{
	wc_record *r = d->r;
	wc_step *st = &r->sc->steps[i];
	wc_event *ev = &r->ev[i];
	endpoint *e = st->ep >= 0 ? &d->ep[st->ep] : NULL;
	ready_fn ready = never;
	int rc;

	ev->t_ms = wc_now_ms();
	if (st->ep >= 0)
		ev->port = r->ep_port[st->ep];
	d->blocked[0] = d->spin[0] = 0;
	d->spin_cpu_ms = d->spin_wall_ms = 0;
	d->step_ms = ev->t_ms;
	d->calm = d->proofs = 0;
	switch (st->kind) {
	case WC_STEP_OPEN:
		if (open_endpoint(d, i, err, errlen) < 0)
			return -1;
		ev->port = r->ep_port[st->ep];
		if (ev->err)
			settle_step(d, ev);
		break;
	case WC_STEP_SEND:
		if (e->proto == IPPROTO_TCP) {
			tcp_send(d, i, e);
			if (ev->err || ev->peer_closed)
				settle_step(d, ev);
			break;
		}
		d->udp_sent++;
		if (udp_send(d, e, st) < 0) {
			char to[80];
			wc_addr_str(d->target, to, sizeof(to));
			snprintf(err, errlen, "sendto %s: %s", to, strerror(errno));
			return -1;
		}
		break;
	case WC_STEP_EXPECT:
	case WC_STEP_EXPECT_LINE:
	case WC_STEP_EXPECT_CLOSED:
	case WC_STEP_EXPECT_NONE:
		if (st->kind == WC_STEP_EXPECT_NONE)
			ready = any_ready;
		else if (e->proto == IPPROTO_UDP)
			ready = dgram_ready;
		else
			ready = st->kind == WC_STEP_EXPECT ? bytes_ready : st->kind == WC_STEP_EXPECT_LINE ? line_ready
													  : closed_ready;
		if (e->fd < 0) {
			ev->peer_closed = 1;
			break;
		}
		rc = wait_for(d, i, e->fd, r->sc->timeout_ms, ready);
		if (rc == 0 && d->blocked[0] && r->sc->framing_any && r->sc->framing != WC_FRAMING_RAW &&
		    e->proto == IPPROTO_TCP && !e->lines &&
		    !e->sent_nl && unread(e) == 0 && !e->eof && !e->rst &&
		    (st->kind == WC_STEP_EXPECT || st->kind == WC_STEP_EXPECT_CLOSED)) {
			/* proven blocked on a message without a line end: a server that reads
			 * lines (readLine(), makefile().readline()) gets the line end, once */
			if (tcp_write(d, e, (const uint8_t *)"\n", 1) == 0) {
				e->lines = e->sent_nl = 1;
				ev->nl_sent = 1;
				d->last_tx_ms = wc_now_ms();
				d->blocked[0] = 0;
				d->calm = d->proofs = 0;
				rc = wait_for(d, i, e->fd, r->sc->timeout_ms, ready);
			}
		}
		if (rc < 0 && ready(d, i)) /* sent just before it ended */
			rc = 1;
		if (rc == 0 && e->lines && st->kind == WC_STEP_EXPECT && expectation_met(d, i))
			rc = 1; /* the reply came whole; no line end was to follow it */
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		if (e->proto == IPPROTO_UDP && st->kind == WC_STEP_EXPECT && ev->got)
			d->udp_got++;
		if (e->proto == IPPROTO_UDP ? st->kind == WC_STEP_EXPECT && !ev->got : !expectation_met(d, i))
			settle_step(d, ev);
		if (e->proto == IPPROTO_TCP) {
			size_t take = unread(e);
			if (st->kind == WC_STEP_EXPECT && take > st->len) {
				/* a line's end after the reply is part of it, for a server of lines */
				const uint8_t *u = unread_at(e);
				size_t eol = take > st->len && u[st->len] == '\n'                                ? 1
					     : take > st->len + 1 && u[st->len] == '\r' && u[st->len + 1] == '\n' ? 2
														    : 0;
				take = st->len + (e->lines ? eol : 0);
			}
			ev->lines = e->lines;
			if (st->kind == WC_STEP_EXPECT_LINE && take) {
				const uint8_t *nl = memchr(unread_at(e), '\n', take);
				if (nl)
					take = (size_t)(nl - unread_at(e)) + 1;
			}
			ev->got = take > 0;
			e->used += take;
			ev->peer_closed = e->eof || e->rst;
		}
		break;
	case WC_STEP_EXPECT_HTTP:
		if (e->fd < 0) {
			ev->peer_closed = 1;
			break;
		}
		rc = wait_for(d, i, e->fd, r->sc->timeout_ms, http_ready);
		if (rc < 0 && http_ready(d, i))
			rc = 1;
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		{
			http_frame f;
			size_t take = unread(e);
			http_frame_of(unread_at(e), take, st->head, &f);
			if (!f.head || (!f.until_close && take - f.head < f.body))
				settle_step(d, ev);
			if (rc == 1 && st->conn && f.head && f.keep && !f.close && !e->eof && !e->rst) {
				settle_conn(d, e);
				take = unread(e);
			}
			if (f.head && !f.until_close && f.head + f.body < take)
				take = f.head + (size_t)f.body;
			ev->got = take > 0;
			e->used += take;
			ev->peer_closed = e->eof || e->rst;
			e->kept_alive = f.head && f.keep && !f.close && !e->eof && !e->rst;
		}
		break;
	case WC_STEP_EXPECT_PRINTED:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, printed_ready);
		if (rc < 0) {
			wc_proc_stop(&r->prog, 0); /* collect the last output */
			rc = printed_ready(d, i) ? 1 : -1;
		}
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_EXPECT_EXIT:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, never);
		ev->timed_out = rc == 0;
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_EXPECT_IDLE:
		rc = wait_for(d, i, -1, r->sc->timeout_ms, settled);
		/* proven blocked is settled too; only a spin or the deadline is not */
		ev->timed_out = rc == 0 && !d->blocked[0];
		ev->prog_gone = rc < 0;
		break;
	case WC_STEP_CLOSE:
	case WC_STEP_SHUTDOWN:
	case WC_STEP_RESET:
		tcp_close(d, e, st->kind);
		/* a reset a server may die of: the next step comes once it has
		 * (or is waiting again), not in a race with its end. The slides'
		 * server that dies of ConnectionResetError was told "B: no reply"
		 * in some runs and "B: cannot connect" in others */
		if (st->kind == WC_STEP_RESET && r->sc->role == WC_TEST_SERVER)
			settle_prog(d);
		break;
	case WC_STEP_STDIN:
		if (st->ask[0]) {
			/* typed only when asked: wait for the question, or for the
			 * client waiting on its input without having asked */
			wait_for(d, i, -1, r->sc->timeout_ms, ask_ready);
			if (!asked_for(d, i)) {
				ev->skipped = 1;
				break;
			}
		}
		if (wc_proc_write_stdin(&r->prog, st->data, st->len) < 0)
			ev->prog_gone = 1;
		d->out_mark = r->prog.out.len;
		break;
	case WC_STEP_CLOSE_STDIN:
		wc_proc_close_stdin(&r->prog);
		break;
	case WC_STEP_EXPECT_WIRE:
		if (st->match == WC_MATCH_NONE)
			break; /* judged on what the capture holds */
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
	if (!steps_wait(st->kind))
		d->last_tx_ms = wc_now_ms(); /* it sent, connected, closed or wrote: in flight from now */
	snprintf(ev->blocked, sizeof(ev->blocked), "%s", d->blocked);
	snprintf(ev->spin, sizeof(ev->spin), "%s", d->spin);
	ev->spin_cpu_ms = d->spin_cpu_ms;
	ev->spin_wall_ms = d->spin_wall_ms;
	ev->done = 1;
	ev->end_us = realtime_us();
	return 0;
}

/* Does an 'expect exit' come at or after step i? */
static int exit_expected(const wc_scenario *sc, int i)
{
	for (; i < sc->nsteps; i++)
		if (sc->steps[i].kind == WC_STEP_EXPECT_EXIT)
			return 1;
	return 0;
}

int wc_drive(wc_record *r, const wc_addr *target, wc_capture *cap, int host, int64_t deadline, char *err,
	     size_t errlen)
{
	drive d;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.r = r;
	d.host = host;
	d.cap = cap;
	d.target = target;
	d.deadline = deadline;
	d.netns_pid = r->sc->hosts == 2 ? r->prog.init : 0;
	d.flight_ok = !host && r->sc->hosts != 2;
	for (int i = 0; i < WC_MAX_ENDPOINTS; i++) {
		d.ep[i].fd = -1;
		d.ep[i].flow = -1;
		d.ep[i].tx = r->tx;
		wc_buf_init(&d.ep[i].in, 64u << 20);
	}
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
		if (r->sc->steps[i].if_kept_alive && !d.ep[r->sc->steps[i].if_kept_alive - 1].kept_alive) {
			r->ev[i].skipped = r->ev[i].done = 1;
			continue;
		}
		if (do_step(&d, i, err, errlen) < 0) {
			r->stopped_at = i;
			rc = -1;
			break;
		}
		/* an expectation whose wait ran out decides the scenario: stop here
		 * rather than wait out the rest (none but 'expect none' waits to time out) */
		if (r->ev[i].timed_out && r->sc->steps[i].kind != WC_STEP_EXPECT_NONE) {
			/* unless all that is left is for a connection kept alive, and it was not */
			int k = i + 1;
			while (k < r->sc->nsteps && r->sc->steps[k].if_kept_alive &&
			       !d.ep[r->sc->steps[k].if_kept_alive - 1].kept_alive)
				k++;
			if (k == r->sc->nsteps)
				continue;
			r->stopped_at = i + 1;
			r->stopped_after_timeout = 1;
			break;
		}
		/* a server that ended with no 'expect exit' to come has decided the
		 * scenario too: sending on would only flood the capture with
		 * datagrams to a closed port */
		if (r->ev[i].prog_gone && r->sc->role == WC_TEST_SERVER && !exit_expected(r->sc, i)) {
			r->stopped_at = i + 1;
			r->stopped_after_timeout = 1;
			break;
		}
	}
	/* a server that dies of the last step's exchange is seen to, before it is stopped */
	if (rc == 0 && r->sc->role == WC_TEST_SERVER)
		settle_prog(&d);
	else if (rc == 0)
		settle_exchange(&d);
	if (r->prog_started && !r->prog.exited)
		wc_proc_wait(&r->prog, 0);
	r->prog_outlived_steps = rc == 0 && r->prog_started && !r->prog.exited;
	for (int i = 0; i < WC_MAX_ENDPOINTS; i++) {
		tcp_close(&d, &d.ep[i], WC_STEP_CLOSE);
		wc_buf_free(&d.ep[i].in);
	}
	free(d.buf);
	if (d.idle_init)
		wc_idle_free(&d.idle);
	if (d.ref_idle_init)
		wc_idle_free(&d.ref_idle);
	return rc;
}
