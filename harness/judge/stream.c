/* stream.c - TCP reassembly: segments placed by sequence number, holes counted, FIN and RST noted */
#include "judge/stream.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static int is_client(const wc_conn *c, const wc_pkt *pk)
{
	size_t alen = c->family == AF_INET ? 4 : 16;
	return pk->family == c->family && pk->sport == c->cport && !memcmp(pk->src, c->caddr, alen);
}

static int is_server_side(const wc_conn *c, const wc_pkt *pk)
{
	size_t alen = c->family == AF_INET ? 4 : 16;
	return pk->family == c->family && pk->dport == c->cport && !memcmp(pk->dst, c->caddr, alen);
}

static int is_covered(const wc_stream *s, size_t b)
{
	return b < s->len && (s->have[b >> 3] >> (b & 7) & 1);
}

/*
 * Makes room for bytes [0, need): data and the map of bytes seen. The new room
 * comes from calloc, zeroed by the system when it is fresh pages, so a stream
 * whose first segment lands far in costs the pages it uses, not its span; only
 * the bytes up to len are copied from the old room (the rest of it is zeros).
 */
static int grow(wc_stream *s, size_t need)
{
	size_t cap = s->cap ? s->cap : 4096;
	uint8_t *p, *h;

	if (need <= s->len)
		return 0;
	if (need > s->cap) {
		while (cap < need)
			cap *= 2;
		p = calloc(cap, 1);
		h = calloc(cap / 8, 1);
		if (!p || !h) {
			free(p);
			free(h);
			return -1;
		}
		if (s->len) {
			memcpy(p, s->data, s->len);
			memcpy(h, s->have, (s->len + 7) / 8);
		}
		free(s->data);
		free(s->have);
		s->data = p;
		s->have = h;
		s->cap = cap;
	}
	s->gaps += need - s->len; /* not carried until a segment marks them */
	s->len = need;
	return 0;
}

static int add_segment(wc_stream *s, const wc_pkt *pk)
{
	size_t off, len = pk->len;
	uint32_t rel;

	if (!s->have_isn) { /* the capture began mid-connection: start here */
		s->isn = pk->seq - 1;
		s->have_isn = 1;
	}
	rel = pk->seq - (s->isn + 1); /* modulo 2^32 */
	off = rel;
	if (pk->truncated)
		s->truncated = 1;
	if (len && (off >= WC_STREAM_MAX || len > WC_STREAM_MAX - off)) {
		s->truncated = 1;
		return 0;
	}
	if (pk->tcp_flags & TH_FIN) {
		s->fin = 1;
		s->fin_off = off + len;
		s->fin_frame = pk->frame;
	}
	if (len == 0)
		return 0;
	/* bytes seen before keep their first value; only new bytes are written */
	if (grow(s, off + len) < 0)
		return -1;
	for (size_t i = 0, b = off; i < len; i++, b++) {
		if (is_covered(s, b)) {
			s->retransmitted++;
			continue;
		}
		s->data[b] = pk->payload[i];
		s->have[b >> 3] |= (uint8_t)(1u << (b & 7));
		s->gaps--;
	}
	if (s->nspans == s->capspans) {
		size_t cap = s->capspans ? s->capspans * 2 : 16;
		wc_span *sp = realloc(s->spans, cap * sizeof(*sp));
		if (!sp)
			return -1;
		s->spans = sp;
		s->capspans = cap;
	}
	s->spans[s->nspans].off = off;
	s->spans[s->nspans].len = len;
	s->spans[s->nspans].frame = pk->frame;
	s->nspans++;
	return 0;
}

int wc_tcp_reassemble(const wc_trace *t, wc_conn **conns, size_t *n)
{
	wc_conn *cs = NULL;
	size_t nc = 0, cap = 0;

	*conns = NULL;
	*n = 0;
	for (size_t i = 0; i < t->n; i++) {
		const wc_pkt *pk = &t->pkts[i];
		wc_conn *c = NULL;
		wc_stream *s;
		int up = 0;

		if (pk->proto != IPPROTO_TCP)
			continue;
		for (size_t k = nc; k-- > 0;) { /* the newest first: ports are reused */
			if (is_client(&cs[k], pk)) {
				c = &cs[k];
				up = 1;
				break;
			}
			if (is_server_side(&cs[k], pk)) {
				c = &cs[k];
				break;
			}
		}
		if (c && up && (pk->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN && c->up.have_isn && c->up.isn != pk->seq &&
		    (c->up.fin || c->up.rst || c->down.rst))
			c = NULL; /* a new connection from the same port */
		if (!c) {
			if (nc == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				wc_conn *p = realloc(cs, ncap * sizeof(*p));
				if (!p)
					goto oom;
				cs = p;
				cap = ncap;
			}
			c = &cs[nc++];
			memset(c, 0, sizeof(*c));
			c->family = pk->family;
			/* the SYN's sender connects; a capture that began later: the first sender */
			if ((pk->tcp_flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
				memcpy(c->caddr, pk->dst, 16);
				c->cport = pk->dport;
				c->sport = pk->sport;
			} else {
				memcpy(c->caddr, pk->src, 16);
				c->cport = pk->sport;
				c->sport = pk->dport;
				up = 1;
			}
			if (pk->tcp_flags & TH_SYN)
				c->syn_frame = pk->frame;
		}
		s = up ? &c->up : &c->down;
		if (pk->tcp_flags & TH_RST) {
			s->rst = 1;
			if (!s->rst_frame)
				s->rst_frame = pk->frame;
			continue;
		}
		if (pk->tcp_flags & TH_SYN) {
			s->isn = pk->seq;
			s->have_isn = 1;
			if (pk->len == 0)
				continue;
		}
		if (add_segment(s, pk) < 0)
			goto oom;
	}
	*conns = cs;
	*n = nc;
	return 0;
oom:
	wc_conns_free(cs, nc);
	return -1;
}

void wc_conns_free(wc_conn *conns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(conns[i].up.data);
		free(conns[i].up.have);
		free(conns[i].up.spans);
		free(conns[i].down.data);
		free(conns[i].down.have);
		free(conns[i].down.spans);
	}
	free(conns);
}

const wc_conn *wc_conn_by_client_port(const wc_conn *conns, size_t n, uint16_t cport)
{
	for (size_t i = n; i-- > 0;)
		if (conns[i].cport == cport)
			return &conns[i];
	return NULL;
}

unsigned wc_stream_frame_at(const wc_stream *s, size_t off)
{
	for (size_t i = 0; i < s->nspans; i++)
		if (off >= s->spans[i].off && off < s->spans[i].off + s->spans[i].len)
			return s->spans[i].frame;
	return 0;
}

size_t wc_stream_gaps_in(const wc_stream *s, size_t from, size_t to)
{
	size_t end = to < s->len ? to : s->len, carried = 0, b = from;

	/* bits one by one up to a 64-bit boundary of the map, then 64 at a time */
	for (; b < end && (b & 63); b++)
		carried += (size_t)is_covered(s, b);
	for (; b < end && end - b >= 64; b += 64) {
		uint64_t w;

		memcpy(&w, s->have + (b >> 3), sizeof(w));
		carried += (size_t)__builtin_popcountll(w);
	}
	for (; b < end; b++)
		carried += (size_t)is_covered(s, b);
	return (from < end ? end - from - carried : 0) +
	       (to > s->len ? to - (from > s->len ? from : s->len) : 0);
}
