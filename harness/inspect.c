/* inspect.c - a capture decoded as the checks see it: each DNS message and each HTTP head,
 * as tab-separated key=value lines (wirecheck inspect FILE.pcap) */
#include "inspect.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge/decode.h"
#include "dns.h"
#include "http.h"
#include "judge/judge_dns.h"
#include "judge/judge_http.h"
#include "scenario/lab.h"
#include "report/report.h"
#include "judge/stream.h"

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
		const char *p = (const char *)wc_stream_at(s, off);
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

/* ---- the lab's checks on a capture (wirecheck inspect --lab) ---- */

typedef struct ins {
	wc_scenario *sc;
	wc_job *jobs;
	wc_verdict *v;
	int n, cap;
	const char *pcap;
	const char *lab;
} ins;

/* A new item: a scenario of one message, its job and its verdict. NULL when out of memory. */
static int ins_add(ins *in, unsigned frame, const char *what, const char *title)
{
	wc_scenario *sc;
	wc_job *j;

	if (in->n == in->cap) {
		int nc = in->cap ? in->cap * 2 : 64;
		wc_scenario *ns = realloc(in->sc, sizeof(*ns) * (size_t)nc);
		wc_job *nj = ns ? realloc(in->jobs, sizeof(*nj) * (size_t)nc) : NULL;
		wc_verdict *nv = nj ? realloc(in->v, sizeof(*nv) * (size_t)nc) : NULL;
		if (ns)
			in->sc = ns;
		if (nj)
			in->jobs = nj;
		if (!nv)
			return -1; /* LCOV_EXCL_LINE: allocation failure */
		in->v = nv;
		in->cap = nc;
		/* the jobs point at the scenarios, which moved */
		for (int i = 0; i < in->n; i++)
			in->jobs[i].sc = &in->sc[i];
	}
	sc = &in->sc[in->n];
	j = &in->jobs[in->n];
	memset(sc, 0, sizeof(*sc));
	memset(j, 0, sizeof(*j));
	snprintf(sc->path, sizeof(sc->path), "%s", in->pcap);
	snprintf(sc->id, sizeof(sc->id), "frame-%u-%s", frame, what);
	snprintf(sc->lab, sizeof(sc->lab), "%s", in->lab);
	snprintf(sc->title, sizeof(sc->title), "%s", title);
	snprintf(sc->ref, sizeof(sc->ref), "%s", !strcmp(in->lab, "dns") ? "LABS.md 5" : "LABS.md 4");
	sc->level = WC_MUST;
	sc->points = 1;
	j->sc = sc;
	j->lab = wc_lab_find(in->lab);
	j->variant = "plain";
	j->impl = "capture";
	snprintf(j->label, sizeof(j->label), "%s", sc->id);
	wc_verdict_init(&in->v[in->n]);
	in->v[in->n].outcome = WC_PASS;
	snprintf(in->v[in->n].pcap, sizeof(in->v[in->n].pcap), "%s", in->pcap);
	in->v[in->n].frame = frame;
	return in->n++;
}

static void ins_result(ins *in, int k, int rc, const char *summary)
{
	if (rc < 0) {
		in->v[k].outcome = WC_FAIL;
		snprintf(in->v[k].summary, sizeof(in->v[k].summary), "%s", summary);
	}
}

static void check_dns(ins *in, const wc_trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const wc_pkt *pk = &t->pkts[i];
		wc_dns_header h;
		char title[160], why[800];
		int k;

		if (pk->proto != IPPROTO_UDP || wc_dns_parse_header(pk->payload, pk->len, &h) < 0)
			continue;
		if (!h.qr) {
			static wc_dns_msg m;
			char err[200];
			const char *name = wc_dns_parse(pk->payload, pk->len, &m, err, sizeof(err)) == 0 && m.nqd
						   ? m.qd[0].name.text
						   : "";
			snprintf(title, sizeof(title), "DNS query of frame %u (ID 0x%04x, %s)", pk->frame, h.id,
				 name[0] ? name : "no readable question");
			if ((k = ins_add(in, pk->frame, "query", title)) < 0)
				return;
			ins_result(in, k, wc_judge_dns_query(pk->payload, pk->len, name[0] ? name : "?", 0, &in->v[k].detail,
							     why, sizeof(why)),
				   why);
			continue;
		}
		/* its query: the last one before it with its ID, between the same two ports */
		const wc_pkt *q = NULL;
		for (size_t k2 = i; k2-- > 0;) {
			const wc_pkt *c = &t->pkts[k2];
			wc_dns_header qh;
			if (c->proto == IPPROTO_UDP && c->sport == pk->dport && c->dport == pk->sport &&
			    wc_dns_parse_header(c->payload, c->len, &qh) == 0 && !qh.qr && qh.id == h.id) {
				q = c;
				break;
			}
		}
		snprintf(title, sizeof(title), "DNS response of frame %u (ID 0x%04x%s)", pk->frame, h.id,
			 q ? "" : ", no query seen");
		if ((k = ins_add(in, pk->frame, "response", title)) < 0)
			return;
		ins_result(in, k, wc_judge_dns_lab(q ? q->payload : NULL, q ? q->len : 0, pk->payload, pk->len,
						   &in->v[k].detail, why, sizeof(why)),
			   why);
	}
}

static void check_http(ins *in, const wc_trace *t, const wc_conn *conns, size_t nconns)
{
	int64_t *ts = calloc((size_t)t->frames + 1, sizeof(*ts));

	if (!ts)
		return; /* LCOV_EXCL_LINE: allocation failure */
	for (size_t p = 0; p < t->n; p++)
		ts[t->pkts[p].frame] = t->pkts[p].ts_us;
	for (size_t c = 0; c < nconns; c++) {
		const wc_stream *up = &conns[c].up, *down = &conns[c].down;
		size_t roff = 0, off = 0;
		int nreq = 0;

		while (off < down->len) {
			wc_http_head rh;
			int head_req = 0, rc, k;
			size_t used = 0;
			unsigned frame = wc_stream_frame_at(down, off);
			char title[160], why[1000];
			wc_http_want w;

			/* the request this response answers, in order */
			if (roff < up->len) {
				rc = wc_http_parse_request((const char *)wc_stream_at(up, roff), up->len - roff, 0, &rh, NULL, 0);
				if (rc > 0) {
					const wc_http_header *cl = wc_http_find(&rh, "content-length");
					uint64_t body = 0;
					if (cl)
						wc_http_content_length(cl->value, cl->value_len, &body);
					head_req = rh.method_len == 4 && !memcmp(rh.method, "HEAD", 4);
					roff += (size_t)rc + (body < up->len - roff - (size_t)rc ? (size_t)body : 0);
					nreq++;
				} else {
					roff = up->len;
				}
			}
			snprintf(title, sizeof(title), "HTTP response of frame %u (connection from port %u, response %d)",
				 frame, conns[c].cport, nreq);
			if ((k = ins_add(in, frame, "response", title)) < 0)
				break;
			memset(&w, 0, sizeof(w));
			w.head = head_req;
			w.headers = 1;
			w.wire_us = frame && frame <= t->frames ? ts[frame] : 0;
			rc = wc_judge_http(&w, wc_stream_at(down, off), down->len - off, down->fin && down->fin_off == down->len,
					   &used, &in->v[k].detail, why, sizeof(why));
			ins_result(in, k, rc, why);
			if (used == 0)
				break;
			off += used;
		}
	}
	free(ts);
}

int wc_inspect_check(const char *pcap, const char *lab, const char *formats, const char *out, FILE *f, int color,
		     char *err, size_t errlen)
{
	wc_trace t;
	wc_conn *conns = NULL;
	size_t nconns = 0;
	ins in;
	int rc = 0, failed = 0;

	memset(&in, 0, sizeof(in));
	in.pcap = pcap;
	if (wc_trace_load(pcap, &t, err, errlen) < 0)
		return -1;
	if (wc_tcp_reassemble(&t, &conns, &nconns) < 0) {
		wc_trace_free(&t); /* LCOV_EXCL_LINE: allocation failure */
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!lab) /* the capture's own: DNS if a datagram reads as one, else HTTP */
		lab = nconns ? "http" : "dns";
	in.lab = lab;
	if (!strcmp(lab, "dns"))
		check_dns(&in, &t);
	else
		check_http(&in, &t, conns, nconns);
	if (in.n == 0) {
		snprintf(err, errlen, "%s: no %s message to check", pcap, lab);
		rc = -1;
	} else {
		wc_report_in ri = {"capture", NULL, in.jobs, in.v, in.n, 0, 0, 0, NULL, 0, 0, NULL};
		char fmts[8][16];
		int nf = wc_report_formats(formats ? formats : "text", fmts, 8);
		for (int i = 0; i < in.n; i++)
			failed += in.v[i].outcome != WC_PASS;
		for (int k = 0; k < nf && rc == 0; k++) {
			const char *fl = fmts[k];
			if (!out) {
				rc = wc_report_write(fl, &ri, f, color && !strcmp(fl, "text"));
			} else {
				char path[4096];
				FILE *o;
				snprintf(path, sizeof(path), "%s/%s", out, wc_report_file(fl));
				o = fopen(path, "w");
				rc = !o || wc_report_write(fl, &ri, o, 0) < 0 || fclose(o) != 0 ? -1 : 0;
				if (rc < 0)
					snprintf(err, errlen, "cannot write %s", path);
			}
		}
		if (rc == 0)
			rc = failed ? 1 : 0;
	}
	for (int i = 0; i < in.n; i++)
		wc_verdict_free(&in.v[i]);
	free(in.sc);
	free(in.jobs);
	free(in.v);
	wc_conns_free(conns, nconns);
	wc_trace_free(&t);
	return rc;
}
