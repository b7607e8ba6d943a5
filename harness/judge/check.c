/* check.c - checks on the run record: UDP echoes matched frame by frame, exits, client output */
#include "judge/check.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "hexdump.h"
#include "dns.h"
#include "judge/compare.h"
#include "judge/faults.h"
#include "judge/judge_dns.h"
#include "judge/judge_http.h"
#include "scenario/lab.h"
#include "judge/stream.h"

#define TAIL_CHARS 300  /* of the program's stderr in a failure */

static void verdict(wc_verdict *v, enum wc_outcome o, int line, unsigned frame, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void verdict(wc_verdict *v, enum wc_outcome o, int line, unsigned frame, const char *fmt, ...)
{
	va_list ap;

	v->outcome = o;
	v->line = line;
	v->frame = frame;
	va_start(ap, fmt);
	vsnprintf(v->summary, sizeof(v->summary), fmt, ap);
	va_end(ap);
}

static void describe_prog(const wc_proc *p, wc_buf *out, const char *who)
{
	char how[160];
	const wc_buf *e = &p->err;

	wc_proc_describe(p, how, sizeof(how));
	wc_buf_printf(out, "  the %s %s\n", who, how);
	if (p->oom_kills > 0 && !p->oom_killed) {
		/* its children died of the limit, the program itself did not */
		char mem[160];
		wc_proc_mem_words(p, mem, sizeof(mem));
		wc_buf_printf(out, "  %s: the kernel killed %d of the %s's processes\n", mem, p->oom_kills, who);
	}
	if (p->out.dropped || p->err.dropped)
		wc_buf_printf(out, "  its output was cut: %zu bytes of stdout and %zu of stderr beyond the %zu kept\n",
			      p->out.dropped, p->err.dropped, p->out.max);
	if (e->len) {
		size_t from = e->len > TAIL_CHARS ? e->len - TAIL_CHARS : 0;
		wc_buf_printf(out, "  last stderr of the %s:\n", who);
		for (size_t i = from; i < e->len;) {
			const uint8_t *nl = memchr(e->p + i, '\n', e->len - i);
			size_t n = nl ? (size_t)(nl - (e->p + i)) : e->len - i;
			wc_buf_printf(out, "    | %.*s\n", (int)n, (const char *)e->p + i);
			i += n + 1;
		}
	}
}

/* Cuts the program's private folder ("/tmp/wirecheck-812-AbC123/work/") out of
 * the paths of s, so that a message names the same file in every run. */
static void strip_workdir(char *s)
{
	char *w;

	while ((w = strstr(s, "/work/")) != NULL) {
		char *start = w;
		while (start > s && !strchr(" '\"(=", start[-1]))
			start--;
		if (!memmem(start, (size_t)(w - start), "/wirecheck-", 11)) {
			s = w + 1;
			continue;
		}
		memmove(start, w + 6, strlen(w + 6) + 1);
		s = start;
	}
}

/* The last line of stderr that is not indented and not blank: the error a
 * traceback ends with ("IndexError: list index out of range"; Java's
 * "Exception in thread ..." comes before its indented "at" lines). Bytes that
 * are not printable become '?'. "" if there is none. */
static void last_error_line(const wc_buf *e, char *buf, size_t n)
{
	size_t end = e->len, k = 0;

	buf[0] = 0;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && e->p[start - 1] != '\n')
			start--;
		if (end > start && e->p[start] != ' ' && e->p[start] != '\t' && e->p[start] != '\r') {
			for (size_t i = start; i < end && e->p[i] != '\r' && k + 1 < n; i++)
				buf[k++] = e->p[i] >= 0x20 && e->p[i] < 0x7f ? (char)e->p[i] : '?';
			buf[k] = 0;
			strip_workdir(buf);
			return;
		}
		end = start ? start - 1 : 0;
	}
}

/* Did the program crash (end by itself with a status other than 0, or on a
 * signal)? Then buf says how, after "the server ": "crashed: IndexError: list
 * index out of range (exit status 1)", "crashed: killed by signal 11
 * (Segmentation fault)". The same words in every run: no time, no pid. */
static int crashed(const wc_proc *p, char *buf, size_t n)
{
	char line[160], how[260];

	if (!wc_proc_ended_by_itself(p) || (WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0))
		return 0;
	last_error_line(&p->err, line, sizeof(line));
	if (WIFEXITED(p->status))
		snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(p->status));
	else
		snprintf(how, sizeof(how), "killed by signal %d (%s)", WTERMSIG(p->status), strsignal(WTERMSIG(p->status)));
	if (p->oom_killed) {
		char mem[160];
		size_t l = strlen(how);
		wc_proc_mem_words(p, mem, sizeof(mem));
		snprintf(how + l, sizeof(how) - l, ": %s", mem);
	}
	if (line[0])
		snprintf(buf, n, "crashed: %s (%s)", line, how);
	else
		snprintf(buf, n, "crashed: %s", how);
	return 1;
}

static int is_harness_port(const wc_record *r, uint16_t port)
{
	for (int i = 0; i < r->sc->neps; i++)
		if (r->ep_port[i] && r->ep_port[i] == port)
			return 1;
	return 0;
}

static int same(const wc_pkt *pk, const wc_step *st)
{
	return pk->len == st->len && !memcmp(pk->payload, st->data, st->len);
}

static void pkt_line(wc_buf *out, const char *what, const wc_pkt *pk)
{
	char s[80], d[80];
	wc_pkt_src(pk, s, sizeof(s));
	wc_pkt_dst(pk, d, sizeof(d));
	wc_buf_printf(out, "  %s: frame %u, %s -> %s, %zu bytes\n", what, pk->frame, s, d, pk->len);
}

typedef struct judge {
	const wc_record *r;
	wc_verdict *v;
	const wc_trace *t;
	wc_conn *conns;        /* TCP connections of the capture */
	size_t nconns;
	size_t up_off[WC_MAX_ENDPOINTS];   /* TCP: bytes the endpoint sent so far */
	size_t down_off[WC_MAX_ENDPOINTS]; /* TCP: bytes of the server's stream judged so far */
	size_t wire_conn, wire_off;        /* client under test, TCP: where the next expect wire reads */
	int64_t *ts_of;        /* capture time of each frame, by frame number */
	int64_t until_us;      /* the step being judged ended then: later frames came too late */
	char *used;            /* per packet: matched to a step already */
	size_t last_send[WC_MAX_ENDPOINTS]; /* packet index of the endpoint's last request, +1 */
	long last_reply[WC_MAX_ENDPOINTS];  /* packet index of the endpoint's last reply, or -1 */
	size_t wire_next;      /* client: next client datagram to match */
	int nqueries;          /* client: DNS queries judged so far */
	int same_ids;          /* of which with the first one's ID */
	uint16_t first_id;
	int last_query_step;   /* the scenario's last 'expect wire dns-query' */
} judge;

static int in_time(const judge *j, unsigned frame)
{
	return frame && frame <= j->t->frames && j->ts_of[frame] <= j->until_us;
}

/* How far the stream reaches from 'off' with bytes that came in time. */
static size_t reach_in_time(const judge *j, const wc_stream *s, size_t off)
{
	size_t reach = off;
	int more = 1;

	while (more) {
		more = 0;
		for (size_t i = 0; i < s->nspans; i++) {
			const wc_span *sp = &s->spans[i];
			if (sp->off <= reach && reach < sp->off + sp->len && in_time(j, sp->frame)) {
				reach = sp->off + sp->len;
				more = 1;
			}
		}
	}
	return reach;
}

static const char *who(const wc_record *r)
{
	return r->sc->role == WC_TEST_SERVER ? "server" : "client";
}

/* How step i's wait ended with nothing, for a headline: " within 2000 ms", or
 * ": the server is blocked, nothing will wake it" when the driver proved that
 * (every thread asleep with no timeout, nothing in flight: issue 16). */
static const char *waited(const judge *j, int i, char *buf, size_t n)
{
	const wc_record *r = j->r;

	if (r->ev[i].blocked[0])
		snprintf(buf, n, ": the %s is blocked, nothing will wake it", who(r));
	else if (r->ev[i].spin_cpu_ms)
		snprintf(buf, n, ": the %s kept a CPU busy without answering", who(r));
	else
		snprintf(buf, n, " within %d ms", r->sc->timeout_ms);
	return buf;
}

/* Under the headline: where the blocked program's threads wait, or how much
 * CPU the spinning one spent. */
static void blocked_detail(judge *j, int i)
{
	if (j->r->sc->framing == WC_FRAMING_RAW && j->r->ev[i].blocked[0])
		wc_buf_str(&j->v->detail, "  the course's rubric asks for messages without a line end (framing raw); "
					  "a server that reads lines (readLine(), readline()) waits for one\n");
	const wc_event *ev = &j->r->ev[i];

	if (ev->blocked[0])
		wc_buf_printf(&j->v->detail, "  the %s waits: %s\n", who(j->r), ev->blocked);
	else if (ev->spin_cpu_ms)
		wc_buf_printf(&j->v->detail, "  the %s spent %lld ms of CPU time in %lld ms past the %d ms timeout: %s\n",
			      who(j->r), (long long)ev->spin_cpu_ms, (long long)ev->spin_wall_ms, j->r->sc->timeout_ms,
			      ev->spin);
}

/* expect idle: with nothing sent to it, the program settles instead of spinning. */
static int j_idle(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];

	if (!r->ev[i].spin_cpu_ms)
		return 0;
	verdict(j->v, WC_FAIL, st->line, 0, "the %s keeps a CPU busy with nothing sent to it (a busy loop)", who(r));
	blocked_detail(j, i);
	wc_buf_str(&j->v->detail, "  a loop on recv() that returns b'' (the client left) never blocks again: "
				  "leave it and close that connection\n");
	return -1;
}

/* server under test: the datagram a SEND step put on the wire */
static int j_send(judge *j, int i)
{
	const wc_step *st = &j->r->sc->steps[i];
	uint16_t port = j->r->ep_port[st->ep];

	for (size_t k = j->last_send[st->ep]; k < j->t->n; k++) {
		const wc_pkt *pk = &j->t->pkts[k];
		if (pk->proto == IPPROTO_UDP && pk->sport == port && pk->dport == j->r->bound.port && !j->used[k] &&
		    same(pk, st)) {
			j->used[k] = 1;
			j->last_send[st->ep] = k + 1;
			return 0;
		}
	}
	verdict(j->v, WC_ERROR, st->line, 0, "the capture lacks the request of line %d (%u frames, %u dropped)",
		st->line, (unsigned)j->t->frames, j->v->drops);
	return -1;
}

/* Where the window of replies to an endpoint's request ends: at its next request. */
static size_t window_end(judge *j, size_t from, uint16_t port)
{
	for (size_t k = from; k < j->t->n; k++) {
		const wc_pkt *pk = &j->t->pkts[k];
		if (pk->proto == IPPROTO_UDP && pk->sport == port && pk->dport == j->r->bound.port)
			return k;
	}
	return j->t->n;
}

/* A datagram from the server (not from a harness endpoint) in [from, end), unmatched. */
static long server_dgram(judge *j, size_t from, size_t end, int want_port, uint16_t port)
{
	for (size_t k = from; k < end; k++) {
		const wc_pkt *pk = &j->t->pkts[k];
		if (pk->proto != IPPROTO_UDP || j->used[k] || is_harness_port(j->r, pk->sport) || !in_time(j, pk->frame))
			continue;
		if (want_port ? pk->dport == port : !is_harness_port(j->r, pk->dport))
			return (long)k;
	}
	return -1;
}

/* Does another 'expect' on the same endpoint follow before its next 'send'? */
static int more_expected(const wc_record *r, int i)
{
	const wc_scenario *sc = r->sc;
	int ep = sc->steps[i].ep;

	for (int n = i + 1; n < sc->nsteps; n++) {
		if (sc->steps[n].ep != ep)
			continue;
		return sc->steps[n].kind == WC_STEP_EXPECT;
	}
	return 0;
}

static const wc_step *last_send_step(const wc_scenario *sc, int i, int ep);

/* Takes back the detail a judge wrote after mark: the step passed. */
static void detail_back(wc_verdict *v, size_t mark)
{
	if (v->detail.len > mark) {
		v->detail.len = mark;
		v->detail.p[mark] = 0;
	}
}

/* the next datagram to an endpoint, against st (the scenario's step, or a copy with its DNS ID set) */
static int expect_dgram(judge *j, int i, const wc_step *st)
{
	const wc_record *r = j->r;
	const wc_event *ev = &r->ev[i];
	const char *name = r->sc->eps[st->ep].name;
	uint16_t port = r->ep_port[st->ep];
	size_t end = window_end(j, j->last_send[st->ep], port);
	long k = server_dgram(j, j->last_send[st->ep], end, 1, port), prev;
	const wc_pkt *pk;

	if (st->kind == WC_STEP_EXPECT_NONE) {
		if (k < 0)
			return 0;
		pk = &j->t->pkts[k];
		j->used[k] = 1;
		verdict(j->v, WC_FAIL, st->line, pk->frame, "%s: no datagram was to come back, but %zu bytes did",
			name, pk->len);
		pkt_line(&j->v->detail, "unexpected datagram", pk);
		wc_buf_str(&j->v->detail, "  content: ");
		wc_quote(&j->v->detail, pk->payload, pk->len, 72);
		wc_buf_str(&j->v->detail, "\n");
		return -1;
	}
	if (st->match == WC_MATCH_DNS_NOT_HEX) {
		uint8_t spelled[4096];
		size_t sn;
		if (k < 0)
			return 0; /* no answer to text that is not DNS: as a server of RFC 1035 messages does */
		pk = &j->t->pkts[k];
		j->used[k] = 1;
		if (!wc_dns_is_ascii_hex(pk->payload, pk->len, spelled, sizeof(spelled), &sn) || sn != st->len ||
		    memcmp(spelled, st->data, sn))
			return 0;
		verdict(j->v, WC_FAIL, st->line, pk->frame,
			"%s: the server reads and writes ASCII hex text, not RFC 1035 messages: the query sent as hex "
			"text got the right response as hex text (%zu characters)", name, pk->len);
		snprintf(j->v->fault, sizeof(j->v->fault), "dns/ascii-hex");
		pkt_line(&j->v->detail, "reply", pk);
		wc_buf_str(&j->v->detail, "  content: ");
		wc_quote(&j->v->detail, pk->payload, pk->len, 72);
		wc_buf_str(&j->v->detail, "\n");
		return -1;
	}
	if (k < 0) {
		long stray = server_dgram(j, j->last_send[st->ep], end, 0, 0);
		if (stray >= 0) {
			char d[80];
			pk = &j->t->pkts[stray];
			j->used[stray] = 1;
			wc_pkt_dst(pk, d, sizeof(d));
			verdict(j->v, WC_FAIL, st->line, pk->frame,
				"%s: the reply went to %s, not to the sender's port %u", name, d, port);
			pkt_line(&j->v->detail, "misdirected reply", pk);
			wc_buf_str(&j->v->detail, "  a reply goes to the address and port recvfrom() returned\n");
			return -1;
		}
		if (j->v->drops && !(ev->prog_gone || r->prog_ended_early)) {
			/* not the program's fault: the capture lost frames */
			verdict(j->v, WC_ERROR, st->line, 0, "%s: the reply cannot be judged: the capture dropped %u frames",
				name, j->v->drops);
			return -1;
		}
		if (ev->prog_gone || r->prog_ended_early) {
			char how[300];
			if (crashed(&r->prog, how, sizeof(how)))
				verdict(j->v, WC_FAIL, st->line, 0, "%s: no reply: the server %s", name, how);
			else
				verdict(j->v, WC_FAIL, st->line, 0, "%s: no reply: the server ended before answering", name);
			describe_prog(&r->prog, &j->v->detail, "server");
		} else {
			char how[80];
			verdict(j->v, WC_FAIL, st->line, 0, "%s: no reply%s", name, waited(j, i, how, sizeof(how)));
			blocked_detail(j, i);
		}
		if (r->reconstructed)
			/* no reply either way, but where a stray one went only a capture shows */
			wc_buf_str(&j->v->detail, "  none reached the harness's socket; a reply sent to another address "
						  "or port is not in a reconstruction\n");
		if (st->match == WC_MATCH_DNS_RCODE) {
			wc_buf_printf(&j->v->detail, "  expected: a DNS response with RCODE %d (%s)\n", st->status,
				      wc_dns_rcode_str((unsigned)st->status));
			return -1;
		}
		wc_buf_str(&j->v->detail, "  expected: ");
		wc_quote(&j->v->detail, st->data, st->len, 72);
		wc_buf_printf(&j->v->detail, " (%zu bytes)\n", st->len);
		return -1;
	}
	pk = &j->t->pkts[k];
	j->used[k] = 1;
	if (pk->sport != r->bound.port) {
		verdict(j->v, WC_FAIL, st->line, pk->frame,
			"%s: the reply came from port %u, not from the server's port %u", name, pk->sport,
			r->bound.port);
		pkt_line(&j->v->detail, "reply", pk);
		wc_buf_str(&j->v->detail, "  answer from the socket the request arrived on\n");
		return -1;
	}
	if (pk->truncated) {
		verdict(j->v, WC_ERROR, st->line, pk->frame, "%s: the reply was cut in the capture", name);
		return -1;
	}
	if (!more_expected(r, i)) {
		long extra = server_dgram(j, (size_t)k + 1, end, 1, port);
		if (extra >= 0) {
			const wc_pkt *dup = &j->t->pkts[extra];
			j->used[extra] = 1;
			verdict(j->v, WC_FAIL, st->line, dup->frame,
				"%s: more than one datagram came back for one request (frames %u and %u)", name,
				pk->frame, dup->frame);
			pkt_line(&j->v->detail, "reply", pk);
			pkt_line(&j->v->detail, "and again", dup);
			wc_buf_str(&j->v->detail, "  answer each datagram with exactly one sendto()\n");
			return -1;
		}
	}
	if (st->match == WC_MATCH_DNS_RCODE) {
		char why[600];
		wc_faults f;
		j->last_reply[st->ep] = k;
		const wc_step *q = last_send_step(r->sc, i, st->ep);
		wc_faults_init(&f, r->sc->subject, j->v, st->line, pk->frame, why, sizeof(why));
		if (wc_judge_dns_rcode_sorted(pk->payload, pk->len, q ? q->data : NULL, q ? q->len : 0,
					      (unsigned)st->status, &j->v->detail, &f) == 0)
			return 0;
		verdict(j->v, WC_FAIL, st->line, pk->frame, "%s: %s", name, why);
		snprintf(j->v->fault, sizeof(j->v->fault), "%s", f.id);
		pkt_line(&j->v->detail, "reply", pk);
		return -1;
	}
	prev = j->last_reply[st->ep];
	j->last_reply[st->ep] = k;
	if (!same(pk, st) && prev >= 0 && pk->len == j->t->pkts[prev].len &&
	    !memcmp(pk->payload, j->t->pkts[prev].payload, pk->len)) {
		verdict(j->v, WC_FAIL, st->line, pk->frame,
			"%s: more than one datagram came back for one request (frames %u and %u)", name,
			j->t->pkts[prev].frame, pk->frame);
		pkt_line(&j->v->detail, "reply", &j->t->pkts[prev]);
		pkt_line(&j->v->detail, "and again", pk);
		wc_buf_str(&j->v->detail, "  answer each datagram with exactly one sendto()\n");
		return -1;
	}
	if (!same(pk, st)) {
		long d = wc_first_difference(st->data, st->len, pk->payload, pk->len);
		/* the reply itself may follow: then this one is an extra datagram */
		for (long m = k + 1; m < (long)end; m++) {
			const wc_pkt *later = &j->t->pkts[m];
			if (later->proto == IPPROTO_UDP && !j->used[m] && later->dport == port &&
			    !is_harness_port(r, later->sport) && same(later, st)) {
				j->used[m] = 1;
				verdict(j->v, WC_FAIL, st->line, pk->frame,
					"%s: an extra datagram (frame %u, %zu bytes) came before the reply (frame %u)",
					name, pk->frame, pk->len, later->frame);
				pkt_line(&j->v->detail, "extra", pk);
				wc_buf_str(&j->v->detail, "  content: ");
				wc_quote(&j->v->detail, pk->payload, pk->len, 72);
				wc_buf_str(&j->v->detail, "\n  answer each datagram with exactly one sendto()\n");
				return -1;
			}
		}
		if (st->match == WC_MATCH_DNS) {
			char why[600];
			uint8_t spelled[4096];
			size_t sn, mark = j->v->detail.len;
			wc_faults f;
			wc_faults_init(&f, r->sc->subject, j->v, st->line, pk->frame, why, sizeof(why));
			pkt_line(&j->v->detail, "reply", pk);
			if (wc_judge_dns_sorted(st->data, st->len, pk->payload, pk->len, &j->v->detail, &f) == 0) {
				/* the subject holds; what differs is graded elsewhere (the findings) */
				detail_back(j->v, mark);
				return 0;
			}
			verdict(j->v, WC_FAIL, st->line, pk->frame, "%s: %s", name, why);
			snprintf(j->v->fault, sizeof(j->v->fault), "%s", f.id);
			/* a rubric may give part of the points to text that spells the right bytes */
			if (r->sc->ascii_hex_credit &&
			    wc_dns_is_ascii_hex(pk->payload, pk->len, spelled, sizeof(spelled), &sn) && sn == st->len &&
			    !memcmp(spelled, st->data, sn)) {
				j->v->credit_pct = r->sc->ascii_hex_credit;
				wc_buf_printf(&j->v->detail, "  the text spells the right message: %d%% of the points "
							     "(the rubric's credit for ASCII hex)\n", j->v->credit_pct);
			}
			return -1;
		}
		if (st->len != pk->len)
			verdict(j->v, WC_FAIL, st->line, pk->frame, "%s: reply of %zu bytes, expected %zu", name,
				pk->len, st->len);
		else
			verdict(j->v, WC_FAIL, st->line, pk->frame, "%s: reply differs at byte %ld", name, d);
		pkt_line(&j->v->detail, "reply", pk);
		wc_compare_bytes(&j->v->detail, st->data, st->len, pk->payload, pk->len);
		return -1;
	}
	return 0;
}

/* A DNS expectation answers the query just sent: its ID is that query's. */
static int j_expect(judge *j, int i)
{
	const wc_step *st = &j->r->sc->steps[i], *sent = last_send_step(j->r->sc, i, st->ep);
	wc_step copy;
	int rc;

	if (st->match != WC_MATCH_DNS || !sent || sent->len < 2 || st->len < 2)
		return expect_dgram(j, i, st);
	copy = *st;
	copy.data = malloc(st->len);
	if (!copy.data) {
		verdict(j->v, WC_ERROR, st->line, 0, "out of memory");
		return -1;
	}
	memcpy(copy.data, st->data, st->len);
	memcpy(copy.data, sent->data, 2);
	rc = expect_dgram(j, i, &copy);
	free(copy.data);
	return rc;
}

static int j_exit(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const wc_event *ev = &r->ev[i];
	const wc_proc *p = &r->prog;

	if (!ev->prog_gone || p->killed) {
		char how[80];
		verdict(j->v, WC_FAIL, st->line, 0, "the %s did not end by itself%s", who(r),
			waited(j, i, how, sizeof(how)));
		blocked_detail(j, i);
		return -1;
	}
	if (st->status >= 0 && !(WIFEXITED(p->status) && WEXITSTATUS(p->status) == st->status)) {
		char how[160];
		wc_proc_describe(p, how, sizeof(how));
		verdict(j->v, WC_FAIL, st->line, 0, "the %s %s, expected exit status %d", who(r), how, st->status);
		describe_prog(p, &j->v->detail, who(r));
		return -1;
	}
	return 0;
}

/* A client's DNS query: its fields, and an ID that changes from query to query. */
static int judge_query(judge *j, int i, const wc_pkt *pk)
{
	const wc_step *st = &j->r->sc->steps[i];
	char name[256], why[600];
	uint16_t id;

	wc_buf table;

	snprintf(name, sizeof(name), "%.*s", (int)st->len, (const char *)st->data);
	wc_buf_init(&table, 64 * 1024);
	if (wc_judge_dns_query(pk->payload, pk->len, name, st->rd0, &table, why, sizeof(why)) < 0) {
		verdict(j->v, WC_FAIL, st->line, pk->frame, "query for %s: %s", name, why);
		pkt_line(&j->v->detail, "query", pk);
		wc_buf_put(&j->v->detail, table.p, table.len);
		wc_buf_free(&table);
		return -1;
	}
	wc_buf_free(&table);
	id = (uint16_t)(pk->payload[0] << 8 | pk->payload[1]);
	if (j->nqueries && j->same_ids == j->nqueries && id == j->first_id && i == j->last_query_step) {
		/* every query of the scenario so far, and this last one, with the same ID */
		verdict(j->v, WC_FAIL, st->line, pk->frame,
			"query for %s: ID 0x%04x again: all %d queries carried the same ID", name, id, j->nqueries + 1);
		wc_buf_str(&j->v->detail, "  each query needs a new random ID (random.randint(0, 65535)), so that an "
					  "old answer cannot pass for a new one\n");
		return -1;
	}
	if (j->nqueries == 0)
		j->first_id = id;
	if (id == j->first_id)
		j->same_ids++;
	j->nqueries++;
	return 0;
}

static int j_wire(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];

	for (size_t k = j->wire_next; k < j->t->n; k++) {
		const wc_pkt *pk = &j->t->pkts[k];
		if (pk->proto != IPPROTO_UDP || pk->dport != r->bound.port || pk->sport == r->bound.port)
			continue;
		j->wire_next = k + 1;
		if (st->match == WC_MATCH_NONE) {
			verdict(j->v, WC_FAIL, st->line, pk->frame, "the client sent a datagram; it was to send nothing more");
			pkt_line(&j->v->detail, "datagram", pk);
			wc_buf_str(&j->v->detail, "  content: ");
			wc_quote(&j->v->detail, pk->payload, pk->len, 72);
			wc_buf_str(&j->v->detail, "\n");
			return -1;
		}
		if (st->match == WC_MATCH_DNS_QUERY)
			return judge_query(j, i, pk);
		if (same(pk, st))
			return 0;
		if (pk->len == st->len + 1 && pk->payload[st->len] == '\n' && !memcmp(pk->payload, st->data, st->len))
			verdict(j->v, WC_FAIL, st->line, pk->frame,
				"the datagram ends with a newline: send the line without its '\\n'");
		else if (pk->len == st->len + 2 && !memcmp(pk->payload + st->len, "\r\n", 2) &&
			 !memcmp(pk->payload, st->data, st->len))
			verdict(j->v, WC_FAIL, st->line, pk->frame,
				"the datagram ends with '\\r\\n': send the line without its line end");
		else
			verdict(j->v, WC_FAIL, st->line, pk->frame, "the client's datagram differs from the line typed");
		pkt_line(&j->v->detail, "datagram", pk);
		wc_compare_bytes(&j->v->detail, st->data, st->len, pk->payload, pk->len);
		return -1;
	}
	if (st->match == WC_MATCH_NONE)
		return 0;
	verdict(j->v, WC_FAIL, st->line, 0, "the client sent no datagram");
	describe_prog(&r->prog, &j->v->detail, "client");
	return -1;
}

static int j_stdout(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const wc_buf *out = &r->prog.out;

	if (st->loose ? wc_loose_find(out->p, out->len, st->data, st->len)
		      : st->len == 0 || (out->len >= st->len && memmem(out->p, out->len, st->data, st->len)))
		return 0;
	verdict(j->v, WC_FAIL, st->line, 0, "standard output lacks %s%s", st->text,
		st->loose ? " (in any case and spacing)" : "");
	wc_buf_str(&j->v->detail, "  standard output was: ");
	wc_quote(&j->v->detail, out->p ? out->p : (const uint8_t *)"", out->len, 200);
	wc_buf_str(&j->v->detail, "\n");
	describe_prog(&r->prog, &j->v->detail, "client");
	return -1;
}

/* ---- TCP ---- */

static const wc_conn *ep_conn(judge *j, int ep)
{
	return j->r->ep_port[ep] ? wc_conn_by_client_port(j->conns, j->nconns, j->r->ep_port[ep]) : NULL;
}

/* Other TCP endpoints still connected at step i, "A, B", for the concurrency hint. */
static int others_connected(judge *j, int i, int cur, char *buf, size_t n)
{
	const wc_scenario *sc = j->r->sc;
	int open[WC_MAX_ENDPOINTS] = {0}, count = 0;

	for (int s = 0; s < i; s++) {
		const wc_step *st = &sc->steps[s];
		if (st->kind == WC_STEP_OPEN && sc->eps[st->ep].proto == IPPROTO_TCP && !j->r->ev[s].err)
			open[st->ep] = 1;
		else if (st->kind == WC_STEP_CLOSE || st->kind == WC_STEP_RESET || st->kind == WC_STEP_EXPECT_CLOSED)
			open[st->ep] = 0;
	}
	buf[0] = 0;
	for (int e = 0; e < sc->neps; e++) {
		const wc_conn *c;
		if (e == cur || !open[e])
			continue;
		c = ep_conn(j, e);
		if (c && ((c->down.fin && in_time(j, c->down.fin_frame)) || (c->down.rst && in_time(j, c->down.rst_frame))))
			continue;
		snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", count ? ", " : "", sc->eps[e].name);
		count++;
	}
	return count;
}

/* The last SEND on endpoint ep before step i, or NULL. */
static const wc_step *last_send_step(const wc_scenario *sc, int i, int ep)
{
	for (int s = i - 1; s >= 0; s--)
		if (sc->steps[s].ep == ep && sc->steps[s].kind == WC_STEP_SEND)
			return &sc->steps[s];
	return NULL;
}

/* A server alive without its listening socket: the next client is refused, or
 * reset when it was queued before the close; the same words for both. */
static void not_listening(judge *j, int i)
{
	const wc_step *st = &j->r->sc->steps[i];

	verdict(j->v, WC_FAIL, st->line, 0, "%s: the server no longer listens on port %u (its listening socket "
		"is closed), though it is still running", j->r->sc->eps[st->ep].name, j->r->bound.port);
	wc_buf_str(&j->v->detail, "  close each client's socket after its response; the listening socket stays open "
				  "for the next client\n");
}

static int j_open_tcp(judge *j, int i)
{
	const wc_step *st = &j->r->sc->steps[i];
	const wc_event *ev = &j->r->ev[i];

	if (!ev->err)
		return 0;
	if (ev->prog_gone || j->r->prog_ended_early) {
		char how[300];
		if (crashed(&j->r->prog, how, sizeof(how)))
			verdict(j->v, WC_FAIL, st->line, 0, "%s: cannot connect to port %u: the server %s",
				j->r->sc->eps[st->ep].name, j->r->bound.port, how);
		else
			verdict(j->v, WC_FAIL, st->line, 0, "%s: cannot connect to port %u: the server ended before "
				"accepting", j->r->sc->eps[st->ep].name, j->r->bound.port);
		describe_prog(&j->r->prog, &j->v->detail, "server");
		return -1;
	}
	if (ev->not_listening) {
		not_listening(j, i);
		return -1;
	}
	verdict(j->v, WC_FAIL, st->line, 0, "%s: cannot connect to port %u: %s", j->r->sc->eps[st->ep].name,
		j->r->bound.port, strerror(ev->err));
	return -1;
}

static int j_send_tcp(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const wc_event *ev = &r->ev[i];
	const char *name = r->sc->eps[st->ep].name;
	const wc_conn *c = ep_conn(j, st->ep);
	size_t off = j->up_off[st->ep], have;

	if (!c) {
		verdict(j->v, WC_ERROR, st->line, 0, "%s: the capture shows no connection from port %u", name,
			r->ep_port[st->ep]);
		return -1;
	}
	have = c->up.len > off ? c->up.len - off : 0;
	if (have < st->len && ev->not_listening) {
		not_listening(j, i);
		return -1;
	}
	if (have < st->len && (ev->err == EPIPE || ev->err == ECONNRESET || c->down.rst)) {
		/* how far the sending had got is the clock's matter, not the server's:
		 * in the detail, not the headline (the same crash, word for word) */
		verdict(j->v, WC_FAIL, st->line, c->down.rst_frame,
			"%s: the server %s the connection before it had all %zu bytes of the message", name,
			c->down.rst ? "reset" : "closed", st->len);
		wc_buf_printf(&j->v->detail, "  %zu of the %zu bytes had been sent when it did\n", have, st->len);
		if (st->segments > 1)
			wc_buf_printf(&j->v->detail, "  the message went in %d segments; the server stopped reading "
						     "after the first (one recv() is not one message)\n", st->segments);
		return -1;
	}
	if (wc_stream_gaps_in(&c->up, off, off + st->len) || have < st->len) {
		verdict(j->v, WC_ERROR, st->line, 0, "%s: the capture lacks bytes the harness sent (%u frames dropped)",
			name, j->v->drops);
		return -1;
	}
	if (memcmp(wc_stream_at(&c->up, off), st->data, st->len) ||
	    (ev->nl_added && (have < st->len + 1 || *wc_stream_at(&c->up, off + st->len) != '\n'))) {
		verdict(j->v, WC_ERROR, st->line, wc_stream_frame_at(&c->up, off),
			"%s: the capture shows other bytes than the harness sent", name);
		return -1;
	}
	j->up_off[st->ep] = off + st->len + (ev->nl_added ? 1 : 0); /* as a line: 'framing any' */
	return 0;
}

/* How the server's side of the stream ends right after 'off', for messages. */
static void stream_end(const judge *j, const wc_stream *s, size_t off, char *buf, size_t n)
{
	if (s->rst && in_time(j, s->rst_frame))
		snprintf(buf, n, "; then the server reset the connection (frame %u)", s->rst_frame);
	else if (s->fin && s->fin_off <= off && in_time(j, s->fin_frame))
		snprintf(buf, n, "; then the server closed the connection (frame %u)", s->fin_frame);
	else
		buf[0] = 0;
}

static void no_bytes(judge *j, int i, const char *what)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const wc_conn *c = ep_conn(j, st->ep);
	const char *name = r->sc->eps[st->ep].name;
	char others[128], end[96] = "", how[300];

	if (c)
		stream_end(j, &c->down, j->down_off[st->ep], end, sizeof(end));
	if (r->ev[i].not_listening) {
		not_listening(j, i);
	} else if ((r->ev[i].prog_gone || r->prog_ended_early) && crashed(&r->prog, how, sizeof(how))) {
		verdict(j->v, WC_FAIL, st->line, 0, "%s: no %s: the server %s", name, what, how);
		describe_prog(&r->prog, &j->v->detail, "server");
	} else if (r->ev[i].prog_gone || r->prog_ended_early) {
		verdict(j->v, WC_FAIL, st->line, 0, "%s: no %s: the server ended before answering", name, what);
		describe_prog(&r->prog, &j->v->detail, "server");
	} else if (end[0]) {
		verdict(j->v, WC_FAIL, st->line, c->down.rst ? c->down.rst_frame : c->down.fin_frame, "%s: no %s%s",
			name, what, end);
	} else if (others_connected(j, i, st->ep, others, sizeof(others))) {
		verdict(j->v, WC_FAIL, st->line, 0,
			"%s: no %s while %s stayed connected: the server serves one client at a time", name, what,
			others);
		wc_buf_str(&j->v->detail, "  a concurrent server answers each client while others are connected: a "
					  "thread, a process or an event loop per client\n");
		if (!r->ev[i].blocked[0])
			wc_buf_printf(&j->v->detail, "  waited %d ms\n", r->sc->timeout_ms);
		blocked_detail(j, i);
	} else {
		verdict(j->v, WC_FAIL, st->line, 0, "%s: no %s%s", name, what, waited(j, i, how, sizeof(how)));
		blocked_detail(j, i);
	}
}

/* Bytes past [off, off + len) carried by the segment that first carried the
 * stream's byte off + len - 1, when it came in time: more than the reply, sent
 * with it in one write (a 1024-byte buffer sent whole for a 3-byte message).
 * Bytes of a later segment are the next step's to judge. */
static size_t same_segment_extra(const judge *j, const wc_stream *s, size_t off, size_t len)
{
	size_t last = off + len - 1;

	if (len == 0)
		return 0;
	for (size_t k = 0; k < s->nspans; k++) {
		const wc_span *sp = &s->spans[k];
		if (sp->off <= last && last < sp->off + sp->len)
			return in_time(j, sp->frame) ? sp->off + sp->len - (off + len) : 0;
	}
	return 0;
}

/* Is the step before step i on its endpoint an HTTP response? */
static int after_http_response(const wc_scenario *sc, int i)
{
	for (int s = i - 1; s >= 0; s--)
		if (sc->steps[s].ep == sc->steps[i].ep)
			return sc->steps[s].kind == WC_STEP_EXPECT_HTTP;
	return 0;
}

static int j_expect_tcp(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const char *name = r->sc->eps[st->ep].name;
	const wc_conn *c = ep_conn(j, st->ep);
	size_t off = j->down_off[st->ep], have;
	const wc_step *sent = last_send_step(r->sc, i, st->ep);
	char end[96];
	size_t extra, eol = 0;

	if (!c) {
		no_bytes(j, i, "reply");
		return -1;
	}
	if (r->ev[i].nl_sent && c->up.len > j->up_off[st->ep] && *wc_stream_at(&c->up, j->up_off[st->ep]) == '\n')
		j->up_off[st->ep]++; /* the line end the harness added for a server of lines */
	have = c->down.len > off ? c->down.len - off : 0;
	if (c->down.fin && c->down.fin_off >= off && c->down.fin_off - off < have)
		have = c->down.fin_off - off;
	if (wc_stream_gaps_in(&c->down, off, off + (have < st->len ? have : st->len))) {
		verdict(j->v, WC_ERROR, st->line, 0, "%s: the reply cannot be judged: the capture lacks bytes (%u frames "
						     "dropped)", name, j->v->drops);
		return -1;
	}
	/* only what came before the step's wait ended counts */
	if (reach_in_time(j, &c->down, off) - off < have)
		have = reach_in_time(j, &c->down, off) - off;
	if (st->kind == WC_STEP_EXPECT_NONE) {
		if (have == 0)
			return 0;
		if (after_http_response(r->sc, i))
			verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off),
				"%s: %zu bytes came after the body that Content-Length announced", name, have);
		else
			verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off),
				"%s: nothing was to come back, but %zu bytes did", name, have);
		wc_buf_str(&j->v->detail, "  content: ");
		wc_quote(&j->v->detail, wc_stream_at(&c->down, off), have, 72);
		wc_buf_str(&j->v->detail, "\n");
		return -1;
	}
	if (st->kind == WC_STEP_EXPECT_CLOSED) {
		if (c->down.fin && c->down.fin_off == off && in_time(j, c->down.fin_frame) &&
		    !(c->down.rst && in_time(j, c->down.rst_frame)))
			return 0;
		if (have) {
			verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off),
				"%s: %zu more bytes came before the end of the connection", name, have);
			wc_buf_str(&j->v->detail, "  content: ");
			wc_quote(&j->v->detail, wc_stream_at(&c->down, off), have, 72);
			wc_buf_str(&j->v->detail, "\n");
		} else if (c->down.rst && in_time(j, c->down.rst_frame)) {
			verdict(j->v, WC_FAIL, st->line, c->down.rst_frame,
				"%s: the server reset the connection (RST) instead of closing it", name);
			wc_buf_str(&j->v->detail, "  close() with unread bytes resets the connection: read the whole "
						  "message first\n");
		} else {
			char how[80];
			verdict(j->v, WC_FAIL, st->line, 0, "%s: the server did not close the connection%s", name,
				waited(j, i, how, sizeof(how)));
			blocked_detail(j, i);
		}
		return -1;
	}
	if (st->kind == WC_STEP_EXPECT_LINE) {
		const uint8_t *p = wc_stream_at(&c->down, off);
		const uint8_t *nl = have ? memchr(p, '\n', have) : NULL;
		size_t n;

		if (!nl) {
			if (have == 0) {
				no_bytes(j, i, "reply line");
				return -1;
			}
			stream_end(j, &c->down, off + have, end, sizeof(end));
			verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off),
				"%s: %zu bytes but no end of line%s", name, have, end[0] ? end : " within the time");
			wc_buf_str(&j->v->detail, "  got: ");
			wc_quote(&j->v->detail, p, have, 120);
			wc_buf_str(&j->v->detail, "\n");
			return -1;
		}
		n = (size_t)(nl - p);
		j->down_off[st->ep] = off + n + 1;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == st->len && !memcmp(p, st->data, n))
			return 0;
		verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off), "%s: the reply line differs", name);
		wc_compare_bytes(&j->v->detail, st->data, st->len, p, n);
		return -1;
	}
	/* WC_STEP_EXPECT: the next st->len bytes */
	if (have == 0) {
		no_bytes(j, i, "reply");
		return -1;
	}
	if (have < st->len) {
		stream_end(j, &c->down, off + have, end, sizeof(end));
		verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off), "%s: %zu of the %zu bytes came back%s",
			name, have, st->len, end[0] ? end : "");
		if (sent && sent->segments > 1)
			wc_buf_printf(&j->v->detail, "  the message went in %d segments: TCP is a byte stream, keep "
						     "reading until the message is whole (its '\\n')\n", sent->segments);
		wc_compare_bytes(&j->v->detail, st->data, st->len, wc_stream_at(&c->down, off), have);
		j->down_off[st->ep] = off + have;
		return -1;
	}
	j->down_off[st->ep] = off + st->len;
	if (memcmp(wc_stream_at(&c->down, off), st->data, st->len)) {
		long d = wc_first_difference(st->data, st->len, wc_stream_at(&c->down, off), st->len);
		verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off + (size_t)d),
			"%s: reply differs at byte %ld", name, d);
		/* what arrived, all of it: never a copy cut to the expected length */
		wc_compare_bytes(&j->v->detail, st->data, st->len, wc_stream_at(&c->down, off), have);
		return -1;
	}
	if (r->ev[i].lines) {
		/* a server of lines ends its reply with a line end: part of the reply */
		const uint8_t *p = wc_stream_at(&c->down, off + st->len);
		eol = have > st->len && p[0] == '\n'                      ? 1
		      : have > st->len + 1 && p[0] == '\r' && p[1] == '\n' ? 2
									  : 0;
		j->down_off[st->ep] += eol;
	}
	extra = more_expected(r, i) ? 0 : same_segment_extra(j, &c->down, off, st->len + eol);
	if (extra && r->reconstructed) {
		/* one recv() of the harness may hold several of the server's segments */
		verdict(j->v, WC_ERROR, st->line, 0,
			"%s: %zu more bytes came after the reply of %zu; whether in the same segment only the wire "
			"shows, and this run's capture is a reconstruction from the harness's sockets",
			name, extra, st->len + eol);
		return -1;
	}
	if (extra) {
		verdict(j->v, WC_FAIL, st->line, wc_stream_frame_at(&c->down, off + st->len - 1),
			"%s: reply of %zu bytes, expected %zu: %zu more came in the same segment", name,
			st->len + eol + extra, st->len + eol, extra);
		wc_compare_bytes(&j->v->detail, st->data, st->len, wc_stream_at(&c->down, off), st->len + eol + extra);
		wc_buf_str(&j->v->detail, "  send exactly the reply's bytes: send(fd, buf, n, 0) with n what recv() "
					  "returned, not sizeof buf\n");
		j->down_off[st->ep] = off + st->len + eol + extra;
		return -1;
	}
	return 0;
}


/* A file of the lab's docroot, whole. NULL when it cannot be read. */
static uint8_t *docroot_file(const wc_record *r, const char *file, size_t *len)
{
	char dir[600], path[1400];
	const wc_lab *lab = wc_lab_find(r->sc->lab);
	FILE *f;
	wc_buf b;
	uint8_t chunk[65536];
	size_t n;

	wc_scenario_dir(r->sc, 0, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s/%s", dir, lab && lab->docroot ? lab->docroot : "docroot", file);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	wc_buf_init(&b, 64u << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wc_buf_put(&b, chunk, n);
	fclose(f);
	if (wc_buf_failed(&b)) {
		wc_buf_free(&b);
		return NULL;
	}
	if (b.len == 0) {
		wc_buf_free(&b);
		*len = 0;
		return calloc(1, 1);
	}
	return wc_buf_take(&b, len);
}

/* The next HTTP response on a connection: status, headers, body (judge_http.c). */
static int j_expect_http(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	const char *name = r->sc->eps[st->ep].name;
	const wc_conn *c = ep_conn(j, st->ep);
	size_t off = j->down_off[st->ep], have, used = 0, reach;
	wc_http_want w;
	uint8_t *file = NULL;
	size_t flen = 0;
	unsigned frame;
	int closed, rc;
	char why[1000];
	wc_faults f;
	size_t mark;

	if (!c) {
		no_bytes(j, i, "response");
		return -1;
	}
	have = c->down.len > off ? c->down.len - off : 0;
	if (c->down.fin && c->down.fin_off >= off && c->down.fin_off - off < have)
		have = c->down.fin_off - off;
	if (wc_stream_gaps_in(&c->down, off, off + have)) {
		verdict(j->v, WC_ERROR, st->line, 0, "%s: the response cannot be judged: the capture lacks bytes (%u "
						     "frames dropped)", name, j->v->drops);
		return -1;
	}
	reach = reach_in_time(j, &c->down, off);
	if (reach - off < have)
		have = reach - off;
	if (have == 0) {
		no_bytes(j, i, "response");
		return -1;
	}
	closed = c->down.fin && c->down.fin_off == off + have && in_time(j, c->down.fin_frame);
	frame = wc_stream_frame_at(&c->down, off);
	memset(&w, 0, sizeof(w));
	w.statuses = st->statuses;
	w.nstatuses = st->nstatuses;
	w.head = st->head;
	w.conn = st->conn;
	w.canary = WC_CANARY_TEXT;
	w.mtime = WC_DOCROOT_MTIME;
	w.wire_us = frame && frame <= j->t->frames ? j->ts_of[frame] : 0;
	if (st->file[0]) {
		file = docroot_file(r, st->file, &flen);
		if (!file) {
			verdict(j->v, WC_ERROR, st->line, 0, "cannot read '%s' of the lab's docroot", st->file);
			return -1;
		}
		w.file = st->file;
		w.body = file;
		w.body_len = flen;
	}
	wc_faults_init(&f, r->sc->subject, j->v, st->line, frame, why, sizeof(why));
	w.faults = &f;
	mark = j->v->detail.len;
	rc = wc_judge_http(&w, wc_stream_at(&c->down, off), have, closed, &used, &j->v->detail, why, sizeof(why));
	free(file);
	j->down_off[st->ep] = off + used;
	if (rc == 0) {
		detail_back(j->v, mark); /* the findings carry what was seen */
		return 0;
	}
	verdict(j->v, WC_FAIL, st->line, frame, "%s: %s", name, why);
	snprintf(j->v->fault, sizeof(j->v->fault), "%s", f.id);
	return -1;
}

/* What the server printed (Request:/Response: hex) against the datagrams on the wire, in order. */
static int j_printed(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	wc_printed blk[256];
	wc_buf bytes;
	int n, next[2] = {0, 0}, rc = 0;

	wc_buf_init(&bytes, 16u << 20);
	n = wc_printed_parse(r->prog.out.p ? r->prog.out.p : (const uint8_t *)"", r->prog.out.len, &bytes, blk, 256);
	for (size_t k = 0; k < j->t->n && rc == 0; k++) {
		const wc_pkt *pk = &j->t->pkts[k];
		int resp;
		const wc_printed *b = NULL;

		if (pk->proto != IPPROTO_UDP || !in_time(j, pk->frame))
			continue;
		if (pk->dport == r->bound.port && is_harness_port(r, pk->sport))
			resp = 0;
		else if (pk->sport == r->bound.port && is_harness_port(r, pk->dport))
			resp = 1;
		else
			continue;
		while (next[resp] < n && !b) {
			if (blk[next[resp]].response == resp)
				b = &blk[next[resp]];
			next[resp]++;
		}
		/* the next block of the other kind starts after this one: keep them in step */
		if (!b) {
			verdict(j->v, WC_FAIL, st->line, pk->frame, "the server printed no %s for the datagram of frame %u",
				resp ? "'Response:'" : "'Request:'", pk->frame);
			wc_buf_str(&j->v->detail, "  print each request and response as hex, 16 bytes a line, under "
						  "'Request:' and 'Response:'\n  standard output was: ");
			wc_quote(&j->v->detail, r->prog.out.p ? r->prog.out.p : (const uint8_t *)"", r->prog.out.len, 300);
			wc_buf_str(&j->v->detail, "\n");
			rc = -1;
		} else if (b->len != pk->len || memcmp(bytes.p + b->off, pk->payload, pk->len)) {
			verdict(j->v, WC_FAIL, st->line, pk->frame,
				"the %s printed at line %d of the output is not the datagram of frame %u", resp ? "response" : "request",
				b->line, pk->frame);
			wc_compare_bytes(&j->v->detail, pk->payload, pk->len, bytes.p + b->off, b->len);
			rc = -1;
		} else if (b->bad_line) {
			verdict(j->v, WC_FAIL, st->line, pk->frame,
				"the %s printed at line %d of the output has %d bytes on its line %d; the lab prints 16 "
				"bytes a line", resp ? "response" : "request", b->line, b->bad_count, b->bad_line);
			wc_buf_str(&j->v->detail, "  print the hex in lines of 16 bytes: ' '.join(...) for each "
						  "data[i:i+16]\n");
			rc = -1;
		}
	}
	wc_buf_free(&bytes);
	if (rc)
		snprintf(j->v->fault, sizeof(j->v->fault), "dns/printed-hex");
	return rc;
}

/* Client under test, TCP: the client's bytes to the reference, over all its connections in order. */
static int j_wire_tcp(judge *j, int i)
{
	const wc_record *r = j->r;
	const wc_step *st = &r->sc->steps[i];
	wc_buf got;

	wc_buf_init(&got, 0);
	while (got.len < st->len && j->wire_conn < j->nconns) {
		const wc_conn *c = &j->conns[j->wire_conn];
		size_t take;
		if (c->sport != r->bound.port || c->cport == r->bound.port || j->wire_off >= c->up.len) {
			j->wire_conn++;
			j->wire_off = 0;
			continue;
		}
		take = c->up.len - j->wire_off;
		if (take > st->len - got.len)
			take = st->len - got.len;
		wc_buf_put(&got, wc_stream_at(&c->up, j->wire_off), take);
		j->wire_off += take;
	}
	if (got.len == st->len && !memcmp(got.p, st->data, st->len)) {
		wc_buf_free(&got);
		return 0;
	}
	if (got.len == 0) {
		verdict(j->v, WC_FAIL, st->line, 0, "the client sent no bytes");
		describe_prog(&r->prog, &j->v->detail, "client");
	} else {
		verdict(j->v, WC_FAIL, st->line, 0, "the client's bytes differ from the line typed");
		wc_compare_bytes(&j->v->detail, st->data, st->len, got.p, got.len);
	}
	wc_buf_free(&got);
	return -1;
}

/* A failure whose headline does not say the server crashed, when it did
 * (the server reset a connection as it died, a reply came cut): it is said
 * after the headline, so that a crash is named in every run it happens. */
static void name_crash(const wc_record *r, wc_verdict *v)
{
	char how[300];
	size_t len = strlen(v->summary);

	if (!r->prog_ended_early || !crashed(&r->prog, how, sizeof(how)) || strstr(v->summary, how))
		return;
	snprintf(v->summary + len, sizeof(v->summary) - len, "; the server %s", how);
	describe_prog(&r->prog, &v->detail, "server");
}

static void found(const wc_record *r, wc_verdict *v)
{
	char b[96];

	if (!r->have_bound)
		return;
	wc_bound_str(&r->bound, b, sizeof(b));
	if (r->sc->role == WC_TEST_SERVER) {
		int lines = 0;
		for (int i = 0; i < r->sc->nsteps && r->sc->framing_any; i++)
			lines |= r->ev[i].nl_sent;
		snprintf(v->found, sizeof(v->found), "server bound %s (ready in %lld ms)%s", b, (long long)r->ready_ms,
			 lines ? "; messages as lines: it waited for a line end" : "");
		return;
	}
	if (r->ntargets == 0 && r->targets_by_shim) {
		/* reported, not guessed: it sent nothing, or sent past the shim */
		snprintf(v->found, sizeof(v->found),
			 "client reached no address the shim recorded (host mode: the client's targets could not be "
			 "recorded if it is a static binary, which ignores LD_PRELOAD)");
		return;
	}
	if (r->ntargets == 0) {
		snprintf(v->found, sizeof(v->found), "client reached no address");
		return;
	}
	{
		const wc_target *t = &r->targets[0];
		char more[48] = "";
		if (r->ntargets > 1)
			snprintf(more, sizeof(more), " and %zu more", r->ntargets - 1);
		snprintf(v->found, sizeof(v->found), "client sent to %s%s%s:%u (%s)%s", t->family == AF_INET6 ? "[" : "",
			 t->addr, t->family == AF_INET6 ? "]" : "", t->port, t->proto == IPPROTO_TCP ? "tcp" : "udp", more);
	}
}

/* A run of hex text (wc_record.hex): every UDP datagram that is hex text is
 * judged as the bytes it spells, in a copy of the trace whose payloads are in
 * *mem. Returns how many of the server's datagrams were hex text, or -1 when
 * out of memory. */
static int unspell(const wc_record *r, wc_trace *copy, uint8_t **mem)
{
	const wc_trace *t = &r->trace;
	size_t total = 0, used = 0;
	int spelled = 0;

	*copy = *t;
	for (size_t k = 0; k < t->n; k++)
		total += t->pkts[k].len / 2;
	copy->pkts = malloc((t->n + 1) * sizeof(*copy->pkts));
	*mem = malloc(total + 1);
	if (!copy->pkts || !*mem) {
		free(copy->pkts);
		free(*mem);
		return -1;
	}
	for (size_t k = 0; k < t->n; k++) {
		wc_pkt *pk = &copy->pkts[k];
		size_t n;
		*pk = t->pkts[k];
		if (pk->proto != IPPROTO_UDP || pk->truncated ||
		    !(n = wc_hex_read(pk->payload, pk->len, *mem + used, total - used)))
			continue;
		pk->payload = *mem + used;
		pk->len = n;
		used += n;
		if (!is_harness_port(r, pk->sport))
			spelled++;
	}
	return spelled;
}

static void check_record(const wc_record *r, wc_verdict *v);

void wc_check(const wc_record *r, wc_verdict *v)
{
	check_record(r, v);
	if (!r->reconstructed)
		return;
	/* every verdict of it says what its pcap is, passed or not */
	v->reconstructed = 1;
	wc_buf_printf(&v->detail, "  note: %s\n", WC_TRANSCRIPT_NOTE);
	if (r->sc->role == WC_TEST_CLIENT)
		/* the client talked to the reference server, not to the harness's sockets */
		wc_buf_str(&v->detail, "  note: the sockets are the reference server's: what it wrote down of them\n");
}

static void check_record(const wc_record *r, wc_verdict *v)
{
	judge j;
	const wc_scenario *sc = r->sc;
	int expects_exit = 0, spelled = 0;
	wc_trace read_as_bytes;
	uint8_t *spelled_mem = NULL;

	v->outcome = WC_PASS;
	snprintf(v->pcap, sizeof(v->pcap), "%s", r->pcap);
	v->frames = r->cst.frames;
	v->drops = r->cst.drop + r->cst.ifdrop;
	v->ms = r->ended_ms - r->started_ms;
	found(r, v);
	if (r->prog_started && r->prog.start_err[0]) {
		/* the sandbox could not start the program: the harness's failure,
		 * and the cause of any setup error that followed */
		verdict(v, WC_ERROR, 0, 0, "cannot start the %s: %s", who(r), r->prog.start_err);
		return;
	}
	if (r->setup_err[0]) {
		verdict(v, WC_ERROR, 0, 0, "%s", r->setup_err);
		return;
	}
	if (r->ready_err[0]) {
		verdict(v, WC_FAIL, 0, 0, "%s", r->ready_err);
		if (r->ready_blocked[0])
			wc_buf_printf(&v->detail, "  the %s, at the last look: %s\n", who(r), r->ready_blocked);
		if (r->prog_started)
			describe_prog(&r->prog, &v->detail, who(r));
		return;
	}
	if (!r->have_trace) {
		verdict(v, WC_ERROR, 0, 0, "no capture to judge");
		return;
	}
	if (v->drops)
		wc_buf_printf(&v->detail, "  note: the capture dropped %u frames\n", v->drops);
	if (r->cst.over)
		wc_buf_printf(&v->detail,
			      "  note: the capture stopped writing at %lld MiB: %lu more frames (%llu bytes) were "
			      "counted, not written nor judged\n",
			      WC_CAPTURE_MAX_BYTES >> 20, r->cst.over, r->cst.over_bytes);

	memset(&j, 0, sizeof(j));
	for (int e = 0; e < WC_MAX_ENDPOINTS; e++)
		j.last_reply[e] = -1;
	j.r = r;
	j.v = v;
	j.t = &r->trace;
	if (r->hex) {
		if ((spelled = unspell(r, &read_as_bytes, &spelled_mem)) < 0) {
			verdict(v, WC_ERROR, 0, 0, "out of memory");
			return;
		}
		j.t = &read_as_bytes;
	}
	j.used = calloc(r->trace.n + 1, 1);
	j.ts_of = calloc((size_t)r->trace.frames + 1, sizeof(*j.ts_of));
	if (!j.used || !j.ts_of || wc_tcp_reassemble(&r->trace, &j.conns, &j.nconns) < 0) {
		free(j.used);
		free(j.ts_of);
		if (r->hex) {
			free(read_as_bytes.pkts);
			free(spelled_mem);
		}
		verdict(v, WC_ERROR, 0, 0, "out of memory");
		return;
	}
	for (size_t p = 0; p < r->trace.n; p++)
		j.ts_of[r->trace.pkts[p].frame] = r->trace.pkts[p].ts_us;
	j.last_query_step = -1;
	for (int i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].match == WC_MATCH_DNS_QUERY)
			j.last_query_step = i;
	for (int i = 0; i < sc->nsteps; i++) {
		const wc_step *st = &sc->steps[i];
		int rc = 0;

		if (st->kind == WC_STEP_EXPECT_EXIT)
			expects_exit = 1;
		if (i >= r->stopped_at) {
			if (r->stopped_after_timeout)
				verdict(v, WC_FAIL, st->line, 0, "not reached: the wait of line %d ran out",
					sc->steps[r->stopped_at - 1].line);
			else
				verdict(v, WC_FAIL, st->line, 0, "the scenario's deadline (%d ms) passed before this step",
					sc->deadline_ms);
			break;
		}
		if (r->ev[i].skipped)
			continue;
		int tcp = st->ep >= 0 && sc->eps[st->ep].proto == IPPROTO_TCP;
		j.until_us = r->ev[i].end_us ? r->ev[i].end_us : INT64_MAX;
		switch (st->kind) {
		case WC_STEP_OPEN: rc = tcp ? j_open_tcp(&j, i) : 0; break;
		case WC_STEP_SEND: rc = tcp ? j_send_tcp(&j, i) : j_send(&j, i); break;
		case WC_STEP_EXPECT:
		case WC_STEP_EXPECT_NONE: rc = tcp ? j_expect_tcp(&j, i) : j_expect(&j, i); break;
		case WC_STEP_EXPECT_LINE:
		case WC_STEP_EXPECT_CLOSED: rc = j_expect_tcp(&j, i); break;
		case WC_STEP_EXPECT_EXIT: rc = j_exit(&j, i); break;
		case WC_STEP_EXPECT_IDLE: rc = j_idle(&j, i); break;
		case WC_STEP_EXPECT_WIRE: rc = r->bound.proto == IPPROTO_TCP ? j_wire_tcp(&j, i) : j_wire(&j, i); break;
		case WC_STEP_EXPECT_STDOUT: rc = j_stdout(&j, i); break;
		case WC_STEP_EXPECT_HTTP: rc = j_expect_http(&j, i); break;
		case WC_STEP_EXPECT_PRINTED: rc = j_printed(&j, i); break;
		default: break;
		}
		if (rc < 0)
			break;
	}
	if (v->outcome == WC_PASS && !expects_exit && sc->role == WC_TEST_SERVER && r->prog_ended_early) {
		char how[300];
		if (crashed(&r->prog, how, sizeof(how)))
			verdict(v, WC_FAIL, 0, 0, "the server %s during the scenario; it must keep serving", how);
		else
			verdict(v, WC_FAIL, 0, 0, "the server ended during the scenario; it must keep serving");
		describe_prog(&r->prog, &v->detail, "server");
	} else if (v->outcome == WC_FAIL && !expects_exit && sc->role == WC_TEST_SERVER) {
		name_crash(r, v);
	}
	if (r->hex && v->outcome == WC_PASS && spelled) {
		/* right, but in hex text: the rubric's part of the points */
		verdict(v, WC_FAIL, 0, 0, "the server reads and writes ASCII hex text, not RFC 1035 messages: the "
			"queries sent as hex text got the right responses as hex text");
		snprintf(v->fault, sizeof(v->fault), "dns/malformed");
		v->credit_pct = sc->ascii_hex_credit;
		wc_buf_printf(&v->detail, "  %d of the server's datagrams were hex text; read as the bytes they spell, "
			      "every one was right\n", spelled);
		wc_buf_printf(&v->detail, "  the text spells the right messages: %d%% of the points (the rubric's "
			      "credit for ASCII hex)\n", v->credit_pct);
	}
	if (r->prog_started && r->prog.oom_kills > 0) {
		/* the limit killed the program, or some of its processes while it
		 * went on: said in every report, passed or not, and in its detail */
		v->oom_kills = r->prog.oom_kills;
		v->oom_killed = r->prog.oom_killed;
		v->mem_limit = r->prog.mem_limit;
		if (!v->detail.len || !memmem(v->detail.p, v->detail.len, "memory limit", 12)) {
			char mem[160];
			wc_proc_mem_words(&r->prog, mem, sizeof(mem));
			if (r->prog.oom_killed)
				wc_buf_printf(&v->detail, "  note: %s: the kernel killed the %s%s\n", mem, who(r),
					      r->prog.oom_kills > 1 ? " and more of its processes" : "");
			else
				wc_buf_printf(&v->detail, "  note: %s: the kernel killed %d of the %s's processes\n", mem,
					      r->prog.oom_kills, who(r));
		}
	}
	if (r->hex) {
		free(read_as_bytes.pkts);
		free(spelled_mem);
	}
	free(j.used);
	free(j.ts_of);
	wc_conns_free(j.conns, j.nconns);
}
