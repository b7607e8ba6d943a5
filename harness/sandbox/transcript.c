/* transcript.c - the harness's sockets' events recorded, and written as raw IP frames through libpcap's dumper */
#include "sandbox/transcript.h"

#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TX_SNAPLEN 262144
#define TX_MAX_TCP 65000 /* payload per synthetic segment: an IP packet holds at most 64 KiB */
#define TX_WINDOW 65535

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

void wc_transcript_init(wc_transcript *t)
{
	memset(t, 0, sizeof(*t));
	wc_buf_init(&t->data, 256u << 20);
}

void wc_transcript_free(wc_transcript *t)
{
	free(t->flows);
	free(t->ev);
	wc_buf_free(&t->data);
	memset(t, 0, sizeof(*t));
}

static int is_wildcard(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)ss)->sin6_addr);
	return ((const struct sockaddr_in *)ss)->sin_addr.s_addr == htonl(INADDR_ANY);
}

static void set_port(struct sockaddr_storage *ss, uint16_t port_be)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = port_be;
	else
		((struct sockaddr_in *)ss)->sin_port = port_be;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
					       : ((const struct sockaddr_in *)ss)->sin_port);
}

/* The local address of fd towards peer: its own, or for a socket bound to
 * every address, the one the kernel's route picks (a connected probe says
 * which), with fd's port. */
static void local_of(int fd, const struct sockaddr *peer, socklen_t plen, struct sockaddr_storage *out)
{
	socklen_t l = sizeof(*out);
	struct sockaddr_storage probe;
	int pfd;
	uint16_t port;

	memset(out, 0, sizeof(*out));
	if (getsockname(fd, (struct sockaddr *)out, &l) < 0 || !is_wildcard(out))
		return;
	port = out->ss_family == AF_INET6 ? ((struct sockaddr_in6 *)out)->sin6_port
					  : ((struct sockaddr_in *)out)->sin_port;
	pfd = socket(peer->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	l = sizeof(probe);
	if (pfd >= 0 && connect(pfd, peer, plen) == 0 && getsockname(pfd, (struct sockaddr *)&probe, &l) == 0) {
		*out = probe;
		set_port(out, port);
	}
	if (pfd >= 0)
		close(pfd);
}

static int same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr,
			       16) &&
		       port_of(a) == port_of(b);
	return ((const struct sockaddr_in *)a)->sin_addr.s_addr == ((const struct sockaddr_in *)b)->sin_addr.s_addr &&
	       port_of(a) == port_of(b);
}

static int add_flow(wc_transcript *t, int proto, const struct sockaddr_storage *local, const struct sockaddr *peer,
		    socklen_t plen)
{
	wc_tx_flow *nf = realloc(t->flows, (t->nflows + 1) * sizeof(*nf));

	if (!nf) {
		t->oom = 1;
		return -1;
	}
	t->flows = nf;
	memset(&nf[t->nflows], 0, sizeof(*nf));
	nf[t->nflows].proto = proto;
	nf[t->nflows].local = *local;
	memcpy(&nf[t->nflows].peer, peer, plen < sizeof(nf->peer) ? plen : sizeof(nf->peer));
	return (int)t->nflows++;
}

static void add_event(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len)
{
	struct timespec ts;
	wc_tx_event *e;

	if (flow < 0 || t->oom)
		return;
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		wc_tx_event *ne = realloc(t->ev, ncap * sizeof(*ne));
		if (!ne) {
			t->oom = 1;
			return;
		}
		t->ev = ne;
		t->cap = ncap;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	e = &t->ev[t->n++];
	e->ts_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	e->flow = flow;
	e->kind = kind;
	e->from_peer = from_peer;
	e->off = t->data.len;
	e->len = len;
	if (len)
		wc_buf_put(&t->data, p, len);
	if (wc_buf_failed(&t->data))
		t->oom = 1;
}

int wc_tx_tcp_open(wc_transcript *t, int fd, const struct sockaddr *peer, socklen_t plen)
{
	struct sockaddr_storage local;
	int flow;

	local_of(fd, peer, plen, &local);
	flow = add_flow(t, IPPROTO_TCP, &local, peer, plen);
	add_event(t, flow, WC_TX_SYN, 0, NULL, 0);
	return flow;
}

void wc_tx_tcp(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len)
{
	wc_tx_flow *f;

	if (flow < 0 || (size_t)flow >= t->nflows)
		return;
	f = &t->flows[flow];
	if (f->rst || (kind == WC_TX_FIN && f->fin[from_peer]) || (kind == WC_TX_DATA && (!len || f->fin[from_peer])))
		return;
	if (kind == WC_TX_RST)
		f->rst = 1;
	if (kind == WC_TX_FIN)
		f->fin[from_peer] = 1;
	add_event(t, flow, kind, from_peer, p, len);
}

void wc_tx_udp(wc_transcript *t, int fd, const struct sockaddr *peer, socklen_t plen, int from_peer, const void *p,
	       size_t len)
{
	struct sockaddr_storage local, pe;
	int flow = -1;

	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, peer, plen < sizeof(pe) ? plen : sizeof(pe));
	local_of(fd, peer, plen, &local);
	for (size_t i = 0; i < t->nflows && flow < 0; i++)
		if (t->flows[i].proto == IPPROTO_UDP && same_addr(&t->flows[i].local, &local) &&
		    same_addr(&t->flows[i].peer, &pe))
			flow = (int)i;
	if (flow < 0)
		flow = add_flow(t, IPPROTO_UDP, &local, peer, plen);
	add_event(t, flow, WC_TX_DATA, from_peer, p, len);
}

/* The frames: raw IP */

typedef struct tcp_state {
	uint32_t nxt[2]; /* next sequence number of [harness, peer] */
} tcp_state;

/* One's complement sum of p[0..n), to be folded */
static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static const uint8_t *addr_bytes(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr
					 : (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
}

/*
 * Builds in buf the IP packet from src to dst carrying the transport header
 * th[0..thlen) (its checksum field at csum_at, zero) and payload p[0..n).
 * Returns its length.
 */
static size_t ip_packet(uint8_t *buf, int proto, const struct sockaddr_storage *src, const struct sockaddr_storage *dst,
			uint8_t *th, size_t thlen, size_t csum_at, const uint8_t *p, size_t n, uint16_t id)
{
	int v6 = src->ss_family == AF_INET6;
	size_t alen = v6 ? 16 : 4, hl = v6 ? 40 : 20, tlen = thlen + n;
	uint32_t s = 0;
	uint8_t pseudo[8];

	memset(buf, 0, hl);
	if (v6) {
		buf[0] = 0x60;
		put16(buf + 4, (uint16_t)tlen);
		buf[6] = (uint8_t)proto;
		buf[7] = 64;
		memcpy(buf + 8, addr_bytes(src), 16);
		memcpy(buf + 24, addr_bytes(dst), 16);
	} else {
		buf[0] = 0x45;
		put16(buf + 2, (uint16_t)(hl + tlen));
		put16(buf + 4, id);
		put16(buf + 6, 0x4000); /* don't fragment */
		buf[8] = 64;
		buf[9] = (uint8_t)proto;
		memcpy(buf + 12, addr_bytes(src), 4);
		memcpy(buf + 16, addr_bytes(dst), 4);
		put16(buf + 10, fold(sum16(0, buf, 20)));
	}
	/* the transport checksum covers the pseudo-header: addresses, protocol, length */
	s = sum16(s, addr_bytes(src), alen);
	s = sum16(s, addr_bytes(dst), alen);
	put32(pseudo, (uint32_t)tlen);
	put32(pseudo + 4, (uint32_t)proto);
	s = sum16(s, pseudo, 8);
	s = sum16(s, th, thlen);
	s = sum16(s, p, n);
	put16(th + csum_at, proto == IPPROTO_UDP && fold(s) == 0 ? 0xffff : fold(s));
	memcpy(buf + hl, th, thlen);
	if (n)
		memcpy(buf + hl + thlen, p, n);
	return hl + tlen;
}

typedef struct writer {
	pcap_dumper_t *dump;
	uint8_t *buf;
	uint16_t id;
	unsigned long frames;
} writer;

static void emit(writer *w, int64_t ts_us, size_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->dump, &h, w->buf);
	w->frames++;
}

/* A TCP segment of flow f from the harness (from_peer 0) or the peer */
static void tcp_segment(writer *w, const wc_tx_flow *f, tcp_state *st, int from_peer, uint8_t flags, int64_t ts,
			const uint8_t *p, size_t n)
{
	const struct sockaddr_storage *src = from_peer ? &f->peer : &f->local, *dst = from_peer ? &f->local : &f->peer;
	uint8_t th[20];

	memset(th, 0, sizeof(th));
	put16(th, port_of(src));
	put16(th + 2, port_of(dst));
	put32(th + 4, st->nxt[from_peer]);
	put32(th + 8, flags & TH_ACK ? st->nxt[!from_peer] : 0);
	th[12] = 5 << 4;
	th[13] = flags;
	put16(th + 14, TX_WINDOW);
	emit(w, ts, ip_packet(w->buf, IPPROTO_TCP, src, dst, th, sizeof(th), 16, p, n, w->id++));
	st->nxt[from_peer] += (uint32_t)n + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
}

static void udp_datagram(writer *w, const wc_tx_flow *f, int from_peer, int64_t ts, const uint8_t *p, size_t n)
{
	const struct sockaddr_storage *src = from_peer ? &f->peer : &f->local, *dst = from_peer ? &f->local : &f->peer;
	uint8_t uh[8];

	if (n > 65535 - 8 - 40)
		n = 65535 - 8 - 40; /* more than an IP packet holds: the harness never sends it */
	memset(uh, 0, sizeof(uh));
	put16(uh, port_of(src));
	put16(uh + 2, port_of(dst));
	put16(uh + 4, (uint16_t)(8 + n));
	emit(w, ts, ip_packet(w->buf, IPPROTO_UDP, src, dst, uh, sizeof(uh), 6, p, n, w->id++));
}

static void tcp_event(writer *w, const wc_transcript *t, const wc_tx_event *e, tcp_state *st)
{
	const wc_tx_flow *f = &t->flows[e->flow];
	const uint8_t *p = t->data.p ? t->data.p + e->off : NULL;
	int who = e->from_peer;

	switch (e->kind) {
	case WC_TX_SYN:
		/* initial sequence numbers of their own, one pair per flow */
		st->nxt[0] = 0x10000000u * (uint32_t)(e->flow % 15 + 1);
		st->nxt[1] = 0x80000000u + 0x1000000u * (uint32_t)(e->flow % 127);
		tcp_segment(w, f, st, 0, TH_SYN, e->ts_us, NULL, 0);
		break;
	case WC_TX_ACCEPTED:
		tcp_segment(w, f, st, 1, TH_SYN | TH_ACK, e->ts_us, NULL, 0);
		tcp_segment(w, f, st, 0, TH_ACK, e->ts_us, NULL, 0);
		break;
	case WC_TX_DATA:
		for (size_t done = 0; done < e->len; done += TX_MAX_TCP) {
			size_t n = e->len - done < TX_MAX_TCP ? e->len - done : TX_MAX_TCP;
			tcp_segment(w, f, st, who, TH_PSH | TH_ACK, e->ts_us, p + done, n);
		}
		break;
	case WC_TX_FIN:
		tcp_segment(w, f, st, who, TH_FIN | TH_ACK, e->ts_us, NULL, 0);
		break;
	case WC_TX_RST:
		tcp_segment(w, f, st, who, TH_RST | TH_ACK, e->ts_us, NULL, 0);
		break;
	}
}

int wc_transcript_write_pcap(const wc_transcript *t, const char *path, wc_capture_stats *st, char *err,
			     size_t errlen)
{
	writer w;
	pcap_t *dead;
	tcp_state *tcp;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	memset(&w, 0, sizeof(w));
	if (t->oom) {
		snprintf(err, errlen, "out of memory recording the harness's sockets");
		return -1;
	}
	if (wc_mkdir_parents(path) < 0) {
		snprintf(err, errlen, "cannot make the folder of '%s': %s", path, strerror(errno));
		return -1;
	}
	tcp = calloc(t->nflows + 1, sizeof(*tcp));
	w.buf = malloc(65536 + 64);
	dead = pcap_open_dead(DLT_RAW, TX_SNAPLEN);
	if (!tcp || !w.buf || !dead) {
		snprintf(err, errlen, "out of memory writing '%s'", path);
		rc = -1;
		goto out;
	}
	w.dump = pcap_dump_open(dead, path);
	if (!w.dump) {
		snprintf(err, errlen, "cannot write '%s': %s", path, pcap_geterr(dead));
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < t->n; i++) {
		const wc_tx_event *e = &t->ev[i];
		if (t->flows[e->flow].proto == IPPROTO_TCP)
			tcp_event(&w, t, e, &tcp[e->flow]);
		else
			udp_datagram(&w, &t->flows[e->flow], e->from_peer, e->ts_us,
				     t->data.p ? t->data.p + e->off : NULL, e->len);
	}
	if (pcap_dump_flush(w.dump) < 0) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		rc = -1;
	}
	pcap_dump_close(w.dump);
	st->frames = w.frames;
out:
	if (dead)
		pcap_close(dead);
	free(w.buf);
	free(tcp);
	return rc;
}
