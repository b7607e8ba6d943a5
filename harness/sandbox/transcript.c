/* transcript.c - the harness's sockets' events recorded, and written as raw IP frames through libpcap's dumper */
#include "sandbox/transcript.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sock.h"
#include "srvtx.h"

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

/* *out, an address bound to every address, made the one the kernel's route
 * towards peer picks (a connected probe says which), with out's port */
static void unwild(const struct sockaddr *peer, socklen_t plen, struct sockaddr_storage *out)
{
	socklen_t l = sizeof(struct sockaddr_storage);
	struct sockaddr_storage probe;
	int pfd;
	uint16_t port;

	if (!is_wildcard(out))
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

/* The local address of fd towards peer: its own, or for a socket bound to
 * every address, the one the route picks, with fd's port. */
static void local_of(int fd, const struct sockaddr *peer, socklen_t plen, struct sockaddr_storage *out)
{
	socklen_t l = sizeof(*out);

	memset(out, 0, sizeof(*out));
	if (getsockname(fd, (struct sockaddr *)out, &l) == 0)
		unwild(peer, plen, out);
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

/* An event at ts_us (realtime microseconds), or now for -1 */
static void add_event_at(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len,
			 int64_t ts_us)
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
	if (ts_us < 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	e = &t->ev[t->n++];
	e->ts_us = ts_us;
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

static void add_event(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len)
{
	add_event_at(t, flow, kind, from_peer, p, len, -1);
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

/* wc_tx_tcp at ts_us (-1: now) */
static void tcp_add(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len,
		    int64_t ts_us)
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
	add_event_at(t, flow, kind, from_peer, p, len, ts_us);
}

void wc_tx_tcp(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len)
{
	tcp_add(t, flow, kind, from_peer, p, len, -1);
}

/* The UDP flow between local and peer, found or added; -1 when out of memory */
static int udp_flow(wc_transcript *t, const struct sockaddr_storage *local, const struct sockaddr *peer,
		    socklen_t plen)
{
	struct sockaddr_storage pe;
	int flow = -1;

	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, peer, plen < sizeof(pe) ? plen : sizeof(pe));
	for (size_t i = 0; i < t->nflows && flow < 0; i++)
		if (t->flows[i].proto == IPPROTO_UDP && same_addr(&t->flows[i].local, local) &&
		    same_addr(&t->flows[i].peer, &pe))
			flow = (int)i;
	return flow >= 0 ? flow : add_flow(t, IPPROTO_UDP, local, peer, plen);
}

void wc_tx_udp(wc_transcript *t, int fd, const struct sockaddr *peer, socklen_t plen, int from_peer, const void *p,
	       size_t len)
{
	struct sockaddr_storage local;

	local_of(fd, peer, plen, &local);
	add_event(t, udp_flow(t, &local, peer, plen), WC_TX_DATA, from_peer, p, len);
}

/* A reference server's transcript (lib/srvtx.h) */

#define TX_CONNS_MAX 4096 /* connections one scenario's file may name */
#define TX_HEAD_MAX 200   /* the longest record line: two IPv6 addresses with ports, and room */

typedef struct tx_conn {
	char name[32];
	int flow;
} tx_conn;

/* A decimal number of at most 18 digits, no sign, into *out; 0 or -1 */
static int dec(const char *s, int64_t max, int64_t *out)
{
	int64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
		return -1;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* ADDR PORT into *ss: IPv4 or IPv6, a v4-mapped one made IPv4 (what the wire
 * carried); 0 or -1 */
static int addr_port(const char *a, const char *p, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	uint16_t port;

	memset(ss, 0, sizeof(*ss));
	if (wc_parse_port(p, &port) < 0)
		return -1;
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) != 1)
		return -1;
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		struct in_addr v4;
		memcpy(&v4, &s6->sin6_addr.s6_addr[12], 4);
		memset(ss, 0, sizeof(*ss));
		s4->sin_family = AF_INET;
		s4->sin_addr = v4;
		s4->sin_port = htons(port);
		return 0;
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	return 0;
}

static socklen_t ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* The file at path, whole, at most WC_TX_FILE_MAX bytes: *p (to free) and *n */
static int read_bounded(const char *path, uint8_t **p, size_t *n, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	size_t cap = 1 << 16, len = 0;
	uint8_t *b = NULL, *nb;
	ssize_t r;

	*p = NULL;
	*n = 0;
	if (fd < 0) {
		snprintf(err, errlen, "cannot read it: %s", strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap || !b) {
			if (b)
				cap *= 2;
			if (cap > WC_TX_FILE_MAX + 1)
				cap = WC_TX_FILE_MAX + 1;
			nb = realloc(b, cap);
			if (!nb) {
				snprintf(err, errlen, "out of memory reading it");
				goto fail;
			}
			b = nb;
		}
		r = read(fd, b + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "cannot read it: %s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > WC_TX_FILE_MAX) {
			snprintf(err, errlen, "longer than %u bytes", WC_TX_FILE_MAX);
			goto fail;
		}
	}
	close(fd);
	*p = b;
	*n = len;
	return 0;
fail:
	close(fd);
	free(b);
	return -1;
}

/* The flow of connection name, or -1 (none such: *slot is where a new one goes) */
static int conn_flow(const tx_conn *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return c[i].flow;
	return -1;
}

/* One record of the file, its line in head (NUL-ended, '\n' cut); its bytes
 * taken from cur. 0, or -1 with what is wrong in err. */
static int load_record(wc_transcript *t, char *head, wc_cur *cur, tx_conn *conns, size_t *nconns, int64_t *last,
		       char *err, size_t errlen)
{
	char *f[9], *save = NULL;
	int nf = 0, flow, from_peer;
	int64_t ts, len = 0;
	const uint8_t *p = NULL;
	struct sockaddr_storage local, peer;

	for (char *w = strtok_r(head, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (nf == 9) {
			snprintf(err, errlen, "too many fields");
			return -1;
		}
		f[nf++] = w;
	}
	if (nf < 3 || dec(f[0], INT64_MAX / 2, &ts) < 0 || strlen(f[1]) >= sizeof(conns->name)) {
		snprintf(err, errlen, "not 'TIME CONNECTION KIND ...'");
		return -1;
	}
	/* the frames keep the file's order: a time never goes back */
	ts = ts < *last ? *last : ts;
	*last = ts;
	if (!strcmp(f[2], "accept")) {
		if (nf != 7 || addr_port(f[3], f[4], &local) < 0 || addr_port(f[5], f[6], &peer) < 0 ||
		    local.ss_family != peer.ss_family) {
			snprintf(err, errlen, "an accept not 'TIME CONN accept ADDR PORT ADDR PORT' of one family");
			return -1;
		}
		if (conn_flow(conns, *nconns, f[1]) >= 0 || *nconns == TX_CONNS_MAX || !strcmp(f[1], "-")) {
			snprintf(err, errlen, "connection '%s' accepted twice, or more than %d connections", f[1],
				 TX_CONNS_MAX);
			return -1;
		}
		flow = add_flow(t, IPPROTO_TCP, &local, (struct sockaddr *)&peer, ss_len(&peer));
		if (flow < 0)
			return 0; /* t->oom says so when it is written */
		t->flows[flow].by_peer = 1;
		snprintf(conns[*nconns].name, sizeof(conns->name), "%s", f[1]);
		conns[(*nconns)++].flow = flow;
		add_event_at(t, flow, WC_TX_SYN, 1, NULL, 0, ts);
		add_event_at(t, flow, WC_TX_ACCEPTED, 1, NULL, 0, ts);
		return 0;
	}
	if (!strcmp(f[2], "udp-in") || !strcmp(f[2], "udp-out")) {
		if (nf != 8 || addr_port(f[3], f[4], &local) < 0 || addr_port(f[5], f[6], &peer) < 0 ||
		    dec(f[7], WC_SRVTX_MAX_LEN, &len) < 0) {
			snprintf(err, errlen, "a datagram not 'TIME - %s ADDR PORT ADDR PORT LEN'", f[2]);
			return -1;
		}
		if (wc_cur_bytes(cur, (size_t)len, &p) < 0) {
			snprintf(err, errlen, "cut short: %lld bytes announced", (long long)len);
			return -1;
		}
		/* a server bound to every address ('::' takes IPv4 too): the address the route gives */
		unwild((struct sockaddr *)&peer, ss_len(&peer), &local);
		if (local.ss_family != peer.ss_family) {
			snprintf(err, errlen, "a datagram between an IPv4 and an IPv6 address");
			return -1;
		}
		add_event_at(t, udp_flow(t, &local, (struct sockaddr *)&peer, ss_len(&peer)), WC_TX_DATA,
			     f[2][4] == 'i', p, (size_t)len, ts);
		return 0;
	}
	flow = conn_flow(conns, *nconns, f[1]);
	if (flow < 0) {
		snprintf(err, errlen, "connection '%s' not accepted before its '%s'", f[1], f[2]);
		return -1;
	}
	if (!strcmp(f[2], "in") || !strcmp(f[2], "out")) {
		if (nf != 4 || dec(f[3], WC_SRVTX_MAX_LEN, &len) < 0) {
			snprintf(err, errlen, "bytes not 'TIME CONN %s LEN' (LEN at most %d)", f[2], WC_SRVTX_MAX_LEN);
			return -1;
		}
		if (wc_cur_bytes(cur, (size_t)len, &p) < 0) {
			snprintf(err, errlen, "cut short: %lld bytes announced", (long long)len);
			return -1;
		}
		tcp_add(t, flow, WC_TX_DATA, f[2][0] == 'i', p, (size_t)len, ts);
		return 0;
	}
	from_peer = !strcmp(f[2], "eof") || !strcmp(f[2], "reset");
	if (nf != 3 || (!from_peer && strcmp(f[2], "close"))) {
		snprintf(err, errlen, "unknown record '%.20s'", f[2]);
		return -1;
	}
	tcp_add(t, flow, f[2][0] == 'r' ? WC_TX_RST : WC_TX_FIN, from_peer, NULL, 0, ts);
	return 0;
}

int wc_transcript_load_server(wc_transcript *t, const char *path, char *err, size_t errlen)
{
	uint8_t *buf;
	size_t len, nconns = 0, rec = 0;
	tx_conn *conns;
	int64_t last = 0;
	char why[160], head[TX_HEAD_MAX + 1];
	wc_cur cur;
	int rc = 0;

	if (read_bounded(path, &buf, &len, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "the reference server's transcript '%s': %s", path, why);
		return -1;
	}
	conns = calloc(TX_CONNS_MAX, sizeof(*conns));
	if (!conns) {
		free(buf);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	wc_cur_init(&cur, buf, len);
	while (wc_cur_left(&cur) && rc == 0) {
		const uint8_t *line, *at = buf + (len - wc_cur_left(&cur));
		const uint8_t *nl = memchr(at, '\n', wc_cur_left(&cur) < sizeof(head) ? wc_cur_left(&cur) : sizeof(head));
		size_t n = nl ? (size_t)(nl - at) : 0;

		rec++;
		if (!nl || memchr(at, 0, n)) {
			snprintf(why, sizeof(why), "no line of at most %d characters", TX_HEAD_MAX);
			rc = -1;
			break;
		}
		wc_cur_bytes(&cur, n + 1, &line);
		memcpy(head, line, n);
		head[n] = 0;
		rc = load_record(t, head, &cur, conns, &nconns, &last, why, sizeof(why));
	}
	if (rc < 0)
		snprintf(err, errlen, "the reference server's transcript '%s': record %zu: %s", path, rec, why);
	free(conns);
	free(buf);
	return rc;
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
		tcp_segment(w, f, st, f->by_peer, TH_SYN, e->ts_us, NULL, 0);
		break;
	case WC_TX_ACCEPTED:
		tcp_segment(w, f, st, !f->by_peer, TH_SYN | TH_ACK, e->ts_us, NULL, 0);
		tcp_segment(w, f, st, f->by_peer, TH_ACK, e->ts_us, NULL, 0);
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
