/* inspect.c - a capture decoded as the checks see it: each DNS message and each HTTP head,
 * as tab-separated key=value lines (wirecheck inspect FILE.pcap) */
#include "inspect.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "dns.h"
#include "http.h"
#include "stream.h"

static void list_u(FILE *out, const char *key, const wc_dns_rr *rr, size_t n, int which)
{
	fprintf(out, "\t%s=", key);
	for (size_t i = 0; i < n; i++) {
		unsigned v = which == 0 ? rr[i].type : which == 1 ? rr[i].rclass : which == 2 ? rr[i].ttl : rr[i].rdlength;
		fprintf(out, "%s%u", i ? "," : "", v);
	}
}

static void dns_line(FILE *out, const wc_pkt *pk)
{
	static wc_dns_msg m;
	char err[200];
	const wc_dns_header *h = &m.h;

	if (wc_dns_parse(pk->payload, pk->len, &m, err, sizeof(err)) < 0) {
		fprintf(out, "frame=%u\tproto=dns\tmalformed=%s\n", pk->frame, err);
		return;
	}
	fprintf(out,
		"frame=%u\tproto=dns\tid=0x%04x\tqr=%u\topcode=%u\taa=%u\ttc=%u\trd=%u\tra=%u\tz=%u\trcode=%u"
		"\tqdcount=%u\tancount=%u\tnscount=%u\tarcount=%u",
		pk->frame, h->id, h->qr, h->opcode, h->aa, h->tc, h->rd, h->ra, h->z, h->rcode, h->qdcount, h->ancount,
		h->nscount, h->arcount);
	fprintf(out, "\tqname=");
	for (size_t i = 0; i < m.nqd; i++)
		fprintf(out, "%s%s", i ? "," : "", m.qd[i].name.text);
	fprintf(out, "\tqtype=");
	for (size_t i = 0; i < m.nqd; i++)
		fprintf(out, "%s%u", i ? "," : "", m.qd[i].qtype);
	fprintf(out, "\tqclass=");
	for (size_t i = 0; i < m.nqd; i++)
		fprintf(out, "%s%u", i ? "," : "", m.qd[i].qclass);
	fprintf(out, "\tan.name=");
	for (size_t i = 0; i < m.nan; i++)
		fprintf(out, "%s%s", i ? "," : "", m.an[i].name.text);
	list_u(out, "an.type", m.an, m.nan, 0);
	list_u(out, "an.class", m.an, m.nan, 1);
	list_u(out, "an.ttl", m.an, m.nan, 2);
	list_u(out, "an.rdlength", m.an, m.nan, 3);
	fprintf(out, "\tan.a=");
	for (size_t i = 0, k = 0; i < m.nan; i++) {
		const uint8_t *a = m.p + m.an[i].rdata_off;
		if (m.an[i].type == WC_DNS_TYPE_A && m.an[i].rdlength == 4)
			fprintf(out, "%s%u.%u.%u.%u", k++ ? "," : "", a[0], a[1], a[2], a[3]);
	}
	fprintf(out, "\n");
}

static void header_kv(FILE *out, const wc_http_head *h, const char *name)
{
	const wc_http_header *v = wc_http_find(h, name);

	if (v)
		fprintf(out, "\t%s=%.*s", name, (int)v->value_len, v->value);
}

/* The HTTP messages of one direction of a connection, one line each. */
static void http_lines(FILE *out, const wc_stream *s, int requests, int *head_req, int nreq)
{
	size_t off = 0;
	int k = 0;

	while (off < s->len) {
		wc_http_head h;
		const char *p = (const char *)s->data + off;
		int rc = requests ? wc_http_parse_request(p, s->len - off, 0, &h, NULL, 0)
				  : wc_http_parse_response(p, s->len - off, 0, &h, NULL, 0);
		const wc_http_header *cl;
		uint64_t body = 0;
		size_t end;

		if (rc <= 0) {
			if (rc == WC_HTTP_BAD)
				fprintf(out, "frame=%u\tproto=http\tmalformed=%s\n", wc_stream_frame_at(s, off),
					requests ? "request" : "response");
			return;
		}
		cl = wc_http_find(&h, "content-length");
		if (cl && wc_http_content_length(cl->value, cl->value_len, &body) < 0)
			body = 0;
		if (!requests && ((k < nreq && head_req[k]) || h.status / 100 == 1 || h.status == 204 || h.status == 304))
			body = 0;
		if (!requests && !cl && !(k < nreq && head_req[k]))
			body = s->len - off - (size_t)rc; /* to the end of the connection */
		end = off + (size_t)rc + (body < s->len - off - (size_t)rc ? (size_t)body : s->len - off - (size_t)rc);
		fprintf(out, "frame=%u\tproto=http", wc_stream_frame_at(s, end - 1));
		if (requests) {
			fprintf(out, "\tmethod=%.*s\turi=%.*s\tversion=HTTP/%d.%d", (int)h.method_len, h.method,
				(int)h.target_len, h.target, h.major, h.minor);
			if (k < nreq)
				head_req[k] = h.method_len == 4 && !memcmp(h.method, "HEAD", 4);
		} else {
			fprintf(out, "\tversion=HTTP/%d.%d\tstatus=%d", h.major, h.minor, h.status);
		}
		header_kv(out, &h, "content-length");
		header_kv(out, &h, "content-type");
		header_kv(out, &h, "server");
		header_kv(out, &h, "date");
		header_kv(out, &h, "last-modified");
		header_kv(out, &h, "connection");
		fprintf(out, "\n");
		off = end;
		k++;
	}
}

int wc_inspect(const char *pcap, FILE *out, char *err, size_t errlen)
{
	wc_trace t;
	wc_conn *conns = NULL;
	size_t nconns = 0;

	if (wc_trace_load(pcap, &t, err, errlen) < 0)
		return -1;
	fprintf(out, "# %s: %u frames, %zu UDP/TCP packets\n", pcap, t.frames, t.n);
	for (size_t i = 0; i < t.n; i++)
		if (t.pkts[i].proto == IPPROTO_UDP)
			dns_line(out, &t.pkts[i]);
	if (wc_tcp_reassemble(&t, &conns, &nconns) < 0) {
		snprintf(err, errlen, "out of memory");
		wc_trace_free(&t);
		return -1;
	}
	for (size_t i = 0; i < nconns; i++) {
		int head_req[256] = {0};
		http_lines(out, &conns[i].up, 1, head_req, 256);
		http_lines(out, &conns[i].down, 0, head_req, 256);
	}
	wc_conns_free(conns, nconns);
	wc_trace_free(&t);
	return 0;
}
