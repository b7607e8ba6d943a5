/* decode.c - Ethernet / Linux cooked / raw IP frames to UDP and TCP payloads, bounds-checked */
#include "judge/decode.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_VLAN 0x8100

static int transport(wc_cur *c, int proto, size_t len, wc_pkt *pk)
{
	wc_cur seg;
	uint16_t ulen;
	uint8_t off, flags;

	pk->proto = proto;
	if (wc_cur_sub(c, len, &seg) < 0) {
		/* the IP header claims more than the frame holds */
		pk->truncated = 1;
		wc_cur_init(&seg, c->p + c->off, wc_cur_left(c));
	}
	if (proto == IPPROTO_UDP) {
		wc_cur_be16(&seg, &pk->sport);
		wc_cur_be16(&seg, &pk->dport);
		wc_cur_be16(&seg, &ulen);
		wc_cur_skip(&seg, 2);
		if (seg.err || ulen < 8)
			return -1;
		if ((size_t)ulen - 8 > wc_cur_left(&seg))
			pk->truncated = 1;
		pk->len = (size_t)ulen - 8 < wc_cur_left(&seg) ? (size_t)ulen - 8 : wc_cur_left(&seg);
		return wc_cur_bytes(&seg, pk->len, &pk->payload);
	}
	if (proto == IPPROTO_TCP) {
		wc_cur_be16(&seg, &pk->sport);
		wc_cur_be16(&seg, &pk->dport);
		wc_cur_be32(&seg, &pk->seq);
		wc_cur_be32(&seg, &pk->ack);
		wc_cur_u8(&seg, &off);
		wc_cur_u8(&seg, &flags);
		if (seg.err || (off >> 4) < 5)
			return -1;
		pk->tcp_flags = flags;
		if (wc_cur_seek(&seg, (size_t)(off >> 4) * 4) < 0)
			return -1;
		pk->len = wc_cur_left(&seg);
		return wc_cur_bytes(&seg, pk->len, &pk->payload);
	}
	return 1;
}

static int ipv4(wc_cur *c, wc_pkt *pk)
{
	uint8_t vihl, proto;
	uint16_t total, frag;
	const uint8_t *a;

	wc_cur_u8(c, &vihl);
	wc_cur_skip(c, 1);
	wc_cur_be16(c, &total);
	wc_cur_skip(c, 2);
	wc_cur_be16(c, &frag);
	wc_cur_skip(c, 1);
	wc_cur_u8(c, &proto);
	wc_cur_skip(c, 2);
	if (c->err || vihl >> 4 != 4 || (vihl & 15) < 5 || total < (vihl & 15) * 4)
		return -1;
	pk->family = AF_INET;
	if (wc_cur_bytes(c, 4, &a) < 0)
		return -1;
	memcpy(pk->src, a, 4);
	if (wc_cur_bytes(c, 4, &a) < 0)
		return -1;
	memcpy(pk->dst, a, 4);
	if (wc_cur_skip(c, (size_t)(vihl & 15) * 4 - 20) < 0)
		return -1;
	if (frag & 0x3fff) /* a fragment: not reassembled here */
		return 1;
	return transport(c, proto, (size_t)total - (size_t)(vihl & 15) * 4, pk);
}

static int ipv6(wc_cur *c, wc_pkt *pk)
{
	uint8_t v, next;
	uint16_t plen;
	const uint8_t *a;

	wc_cur_u8(c, &v);
	wc_cur_skip(c, 3);
	wc_cur_be16(c, &plen);
	wc_cur_u8(c, &next);
	wc_cur_skip(c, 1);
	if (c->err || v >> 4 != 6)
		return -1;
	pk->family = AF_INET6;
	if (wc_cur_bytes(c, 16, &a) < 0)
		return -1;
	memcpy(pk->src, a, 16);
	if (wc_cur_bytes(c, 16, &a) < 0)
		return -1;
	memcpy(pk->dst, a, 16);
	return transport(c, next, plen, pk); /* extension headers: not followed */
}

static int by_ethertype(wc_cur *c, uint16_t type, wc_pkt *pk)
{
	if (type == ETH_IPV4)
		return ipv4(c, pk);
	if (type == ETH_IPV6)
		return ipv6(c, pk);
	return 1;
}

int wc_decode_frame(int linktype, const uint8_t *buf, size_t len, wc_pkt *pk)
{
	wc_cur c;
	uint16_t type;
	uint8_t v;

	memset(pk, 0, sizeof(*pk));
	wc_cur_init(&c, buf, len);
	switch (linktype) {
	case DLT_EN10MB:
		wc_cur_skip(&c, 12);
		wc_cur_be16(&c, &type);
		if (type == ETH_VLAN) {
			wc_cur_skip(&c, 2);
			wc_cur_be16(&c, &type);
		}
		return c.err ? -1 : by_ethertype(&c, type, pk);
	case DLT_LINUX_SLL:
		wc_cur_skip(&c, 14);
		wc_cur_be16(&c, &type);
		return c.err ? -1 : by_ethertype(&c, type, pk);
	case DLT_LINUX_SLL2:
		wc_cur_be16(&c, &type);
		wc_cur_skip(&c, 18);
		return c.err ? -1 : by_ethertype(&c, type, pk);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		if (wc_cur_u8(&c, &v) < 0)
			return -1;
		wc_cur_seek(&c, 0);
		return v >> 4 == 4 ? ipv4(&c, pk) : v >> 4 == 6 ? ipv6(&c, pk) : -1;
	case DLT_NULL: {
		uint32_t fam;
		if (wc_cur_le32(&c, &fam) < 0)
			return -1;
		return fam == 2 ? ipv4(&c, pk) : (fam == 10 || fam == 24 || fam == 28 || fam == 30) ? ipv6(&c, pk) : 1;
	}
	default:
		return 1;
	}
}

int wc_trace_load(const char *path, wc_trace *t, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *bytes;
	size_t cap = 0;
	pcap_t *pc;
	int rc;

	memset(t, 0, sizeof(*t));
	pc = pcap_open_offline(path, ebuf);
	if (!pc) {
		snprintf(err, errlen, "cannot read capture '%s': %s", path, ebuf);
		return -1;
	}
	t->linktype = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
		wc_pkt pk;
		uint8_t *copy;
		int d;

		t->frames++;
		copy = malloc(h->caplen ? h->caplen : 1);
		if (!copy)
			goto oom;
		memcpy(copy, bytes, h->caplen);
		d = wc_decode_frame(t->linktype, copy, h->caplen, &pk);
		if (d != 0) {
			free(copy);
			t->undecoded++;
			continue;
		}
		if (t->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			wc_pkt *np = realloc(t->pkts, ncap * sizeof(*np));
			uint8_t **nb = realloc(t->blobs, ncap * sizeof(*nb));
			if (np)
				t->pkts = np;
			if (nb)
				t->blobs = nb;
			if (!np || !nb) {
				free(copy);
				goto oom;
			}
			cap = ncap;
		}
		pk.frame = t->frames;
		pk.ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
		if (h->caplen < h->len)
			pk.truncated = 1;
		t->blobs[t->nblobs++] = copy;
		t->pkts[t->n++] = pk;
	}
	if (rc == -1) {
		snprintf(err, errlen, "reading capture '%s': %s", path, pcap_geterr(pc));
		pcap_close(pc);
		wc_trace_free(t);
		return -1;
	}
	pcap_close(pc);
	return 0;
oom:
	pcap_close(pc);
	wc_trace_free(t);
	snprintf(err, errlen, "out of memory reading '%s'", path);
	return -1;
}

void wc_trace_free(wc_trace *t)
{
	for (size_t i = 0; i < t->nblobs; i++)
		free(t->blobs[i]);
	free(t->blobs);
	free(t->pkts);
	memset(t, 0, sizeof(*t));
}

static void endpoint(int family, const uint8_t *a, uint16_t port, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family, a, ip, sizeof(ip));
	snprintf(buf, n, family == AF_INET6 ? "[%s]:%u" : "%s:%u", ip, port);
}

void wc_pkt_src(const wc_pkt *pk, char *buf, size_t n)
{
	endpoint(pk->family, pk->src, pk->sport, buf, n);
}

void wc_pkt_dst(const wc_pkt *pk, char *buf, size_t n)
{
	endpoint(pk->family, pk->dst, pk->dport, buf, n);
}
