/* judge_dns.c - DNS messages judged field by field (LABS.md 5), as a table of expected vs got */
#include "judge/judge_dns.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge/compare.h"
#include "judge/faults.h"
#include "dns.h"
#include "hexdump.h"

/* The table: one row a field; the first differing row becomes the summary. */
typedef struct table {
	wc_buf *out;
	char *summary;
	size_t slen;
	int bad;               /* rows that differ and count against the scenario */
	wc_faults *f;          /* sorts shared faults out as findings (faults.h); NULL: every row counts */
	const char *id;        /* the fault ID of the first row that counts */
	int findings;          /* rows that differ and went to findings */
} table;

/* The fault a row's field belongs to (scenario/finding.h). */
static const char *field_id(const char *field)
{
	if (!strcmp(field, "ID"))
		return "dns/id";
	if (!strcmp(field, "AA"))
		return "dns/flag-aa";
	if (!strcmp(field, "RCODE"))
		return "dns/rcode";
	if (!strcmp(field, "ANCOUNT"))
		return "dns/ancount";
	if (!strncmp(field, "answer", 6)) {
		/* the record's form (a pointer for the name, A, IN, 4 bytes) is one fault
		 * for every answer; its TTL and address are the name's own */
		const char *last = strrchr(field, ' ');
		return last && (!strcmp(last, " TTL") || !strcmp(last, " RDATA")) ? "dns/answer" : "dns/answer-form";
	}
	if (!strncmp(field, "question", 8) || !strncmp(field, "QNAME", 5) || !strncmp(field, "QTYPE", 5) ||
	    !strncmp(field, "QCLASS", 6))
		return "dns/question-echo";
	return "dns/header";
}

/* A fault that is not a row (a short or malformed message): always counts. */
static void whole(table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void whole(table *t, const char *fmt, ...)
{
	va_list ap;

	if (t->bad++)
		return;
	va_start(ap, fmt);
	vsnprintf(t->summary, t->slen, fmt, ap);
	va_end(ap);
	t->id = "dns/malformed";
}

static void head_row(table *t)
{
	wc_buf_printf(t->out, "  %-22s %-30s %s\n", "field", "expected", "got");
}

/* A row; 'ok' says whether got is right. The first wrong row names the fault. */
static void row_id(table *t, const char *id, const char *field, int ok, const char *want, const char *got)
{

	wc_buf_printf(t->out, "  %-22s %-30s %s%s\n", field, want, got, ok ? "" : "   <-- differs");
	if (ok)
		return;
	if (t->f && !wc_fault_counts(t->f, id)) {
		wc_fault(t->f, id, "%s: expected %s, got %s", field, want, got);
		t->findings++;
		return;
	}
	if (t->bad++ == 0) {
		snprintf(t->summary, t->slen, "%s: expected %s, got %s", field, want, got);
		t->id = id;
	}
}

static void row(table *t, const char *field, int ok, const char *want, const char *got)
{
	row_id(t, field_id(field), field, ok, want, got);
}

static void row_num(table *t, const char *field, unsigned want, unsigned got)
{
	char w[32], g[32];

	snprintf(w, sizeof(w), "%u", want);
	snprintf(g, sizeof(g), "%u", got);
	row(t, field, want == got, w, g);
}

/* A field the query is free to set: shown, never judged. */
static void row_any(table *t, const char *field, const char *what, unsigned got)
{
	char g[32];

	snprintf(g, sizeof(g), field[0] == 'I' ? "0x%04x" : "%u", got);
	row(t, field, 1, what, g);
}

static void header_rows(table *t, const wc_dns_header *w, const wc_dns_header *g)
{
	char ws[32], gs[32];

	snprintf(ws, sizeof(ws), "0x%04x (the query's)", w->id);
	snprintf(gs, sizeof(gs), "0x%04x", g->id);
	row(t, "ID", w->id == g->id, ws, gs);
	row_num(t, "QR", w->qr, g->qr);
	row_num(t, "OPCODE", w->opcode, g->opcode);
	if (w->rcode != g->rcode)
		row_any(t, "AA", "(not judged: another RCODE)", g->aa); /* REFUSED may well say AA 0 */
	else
		row_num(t, "AA", w->aa, g->aa);
	row_num(t, "TC", w->tc, g->tc);
	row_num(t, "RD", w->rd, g->rd);
	row_num(t, "RA", w->ra, g->ra);
	row_num(t, "Z", w->z, g->z);
	snprintf(ws, sizeof(ws), "%u (%s)", w->rcode, wc_dns_rcode_str(w->rcode));
	snprintf(gs, sizeof(gs), "%u (%s)", g->rcode, wc_dns_rcode_str(g->rcode));
	row(t, "RCODE", w->rcode == g->rcode, ws, gs);
	row_num(t, "QDCOUNT", w->qdcount, g->qdcount);
	row_num(t, "ANCOUNT", w->ancount, g->ancount);
	if (w->rcode == 3 && w->nscount == 0)
		row_any(t, "NSCOUNT", "(not judged: an NXDOMAIN may carry the zone's SOA)", g->nscount);
	else
		row_num(t, "NSCOUNT", w->nscount, g->nscount);
	row_num(t, "ARCOUNT", w->arcount, g->arcount);
}

/* How a name was written: "c0 0c -> google.com" or "google.com (written out)". */
static void name_str(const wc_dns_name *n, char *buf, size_t len)
{
	const char *text = n->text[0] ? n->text : ".";

	if (n->compressed && n->wire_len == 2)
		snprintf(buf, len, "%02x %02x -> %s", 0xc0 | (n->ptr >> 8), n->ptr & 0xff, text);
	else if (n->compressed)
		snprintf(buf, len, "%s (labels, then a pointer to %u)", text, n->ptr);
	else
		snprintf(buf, len, "%s (written out)", text);
}

static int same_name(const wc_dns_name *a, const wc_dns_name *b)
{
	return !strcmp(a->text, b->text) && a->compressed == b->compressed && a->wire_len == b->wire_len &&
	       (!a->compressed || a->ptr == b->ptr);
}

static void rdata_str(const wc_dns_msg *m, const wc_dns_rr *rr, char *buf, size_t len)
{
	const uint8_t *p = m->p + rr->rdata_off;

	if (rr->rdata_off + rr->rdlength > m->len) {
		snprintf(buf, len, "(beyond the message)");
	} else if (rr->type == WC_DNS_TYPE_A && rr->rdlength == 4) {
		snprintf(buf, len, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
	} else {
		size_t o = 0;
		buf[0] = 0;
		for (size_t i = 0; i < rr->rdlength && o + 4 < len; i++)
			o += (size_t)snprintf(buf + o, len - o, "%02x ", p[i]);
		if (o && buf[o - 1] == ' ')
			buf[o - 1] = 0;
	}
}

static void question_rows(table *t, size_t i, const wc_dns_question *w, const wc_dns_question *g)
{
	char f[40], ws[300], gs[300];

	snprintf(f, sizeof(f), "question %zu QNAME", i + 1);
	name_str(&w->name, ws, sizeof(ws));
	if (g)
		name_str(&g->name, gs, sizeof(gs));
	row(t, f, g && same_name(&w->name, &g->name), ws, g ? gs : "(missing)");
	if (!g)
		return;
	snprintf(f, sizeof(f), "question %zu QTYPE", i + 1);
	row_num(t, f, w->qtype, g->qtype);
	snprintf(f, sizeof(f), "question %zu QCLASS", i + 1);
	row_num(t, f, w->qclass, g->qclass);
}

static void answer_rows(table *t, size_t i, const wc_dns_msg *wm, const wc_dns_rr *w, const wc_dns_msg *gm,
			const wc_dns_rr *g)
{
	char f[40], ws[300], gs[300];

	snprintf(f, sizeof(f), "answer %zu NAME", i + 1);
	if (w)
		name_str(&w->name, ws, sizeof(ws));
	if (g)
		name_str(&g->name, gs, sizeof(gs));
	/* a record missing or one too many is the answer's content, not its form */
	row_id(t, w && g ? "dns/answer-form" : "dns/answer", f, w && g && same_name(&w->name, &g->name),
	       w ? ws : "(none)", g ? gs : "(missing)");
	if (!w || !g)
		return;
	snprintf(f, sizeof(f), "answer %zu TYPE", i + 1);
	row_num(t, f, w->type, g->type);
	snprintf(f, sizeof(f), "answer %zu CLASS", i + 1);
	row_num(t, f, w->rclass, g->rclass);
	snprintf(f, sizeof(f), "answer %zu TTL", i + 1);
	row_num(t, f, w->ttl, g->ttl);
	snprintf(f, sizeof(f), "answer %zu RDLENGTH", i + 1);
	row_num(t, f, w->rdlength, g->rdlength);
	snprintf(f, sizeof(f), "answer %zu RDATA", i + 1);
	rdata_str(wm, w, ws, sizeof(ws));
	rdata_str(gm, g, gs, sizeof(gs));
	row(t, f, !strcmp(ws, gs), ws, gs);
}

int wc_dns_is_ascii_hex(const uint8_t *p, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	size_t pairs = wc_hex_read(p, len, out, cap);

	*n = out ? (pairs < cap ? pairs : cap) : 0;
	return pairs >= WC_DNS_HEADER_LEN;
}

/* A message that is ASCII hex: says so, and shows the fields it spells. */
static int ascii_hex(table *t, const uint8_t *got, size_t glen, const char *who)
{
	uint8_t bytes[4096];
	size_t n;
	wc_dns_header h;

	if (!wc_dns_is_ascii_hex(got, glen, bytes, sizeof(bytes), &n))
		return 0;
	whole(t, "the %s is ASCII hex text (%zu characters), not a binary DNS message: RFC 1035 sends the bytes "
		 "themselves", who, glen);
	wc_buf_str(t->out, "  sent as text: ");
	wc_quote(t->out, got, glen, 72);
	wc_buf_str(t->out, "\n  send bytes.fromhex(text), or build the message with struct.pack, not its hex spelling\n");
	if (wc_dns_parse_header(bytes, n, &h) == 0)
		wc_buf_printf(t->out, "  the text spells ID 0x%04x, QR %u, OPCODE %u, AA %u, RCODE %u, QDCOUNT %u, ANCOUNT %u\n",
			      h.id, h.qr, h.opcode, h.aa, h.rcode, h.qdcount, h.ancount);
	return 1;
}

/* Is got the last labels of want and shorter ("google.com" of "www.google.com"), case aside? */
static int cut_name(const char *want, const char *got)
{
	size_t w = strlen(want), g = strlen(got);

	return g > 0 && g < w && want[w - g - 1] == '.' && !strcasecmp(want + w - g, got);
}

/* A question echoed with its first labels cut off names that fault first:
 * the server looked up and answered another name (issue 15: a server that
 * keeps two labels answered www.google.com as google.com). */
static void cut_question(table *t, const wc_dns_msg *wm, const wc_dns_msg *gm)
{
	size_t len = strlen(t->summary);

	if (wm->nqd < 1 || gm->nqd < 1 || !cut_name(wm->qd[0].name.text, gm->qd[0].name.text))
		return;
	if (!t->f || wc_fault_counts(t->f, "dns/question-echo")) {
		snprintf(t->summary, t->slen, "the question came back as %s, not %s: the name lost its first labels",
			 gm->qd[0].name.text, wm->qd[0].name.text);
		t->id = "dns/question-echo";
	} else if (t->bad) {
		snprintf(t->summary + len, t->slen - len, " (the question came back as %s: the name lost its first "
			 "labels)", gm->qd[0].name.text);
	}
}

int wc_judge_dns_sorted(const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen, wc_buf *detail,
			wc_faults *f)
{
	static wc_dns_msg wm, gm; /* large; the checks run one at a time */
	char err[200], gerr[200];
	table t = {detail, f->summary, f->slen, 0, f, NULL, 0};
	int wrc, grc, rc = -1;
	size_t n;

	f->summary[0] = 0;
	if (wlen == glen && !memcmp(want, got, glen))
		return 0;
	if (ascii_hex(&t, got, glen, "reply"))
		goto out;
	wrc = wc_dns_parse(want, wlen, &wm, err, sizeof(err));
	grc = wc_dns_parse(got, glen, &gm, gerr, sizeof(gerr));
	if (glen < WC_DNS_HEADER_LEN) {
		whole(&t, "the reply has %zu bytes, shorter than a DNS header (12)", glen);
		wc_compare_bytes(detail, want, wlen, got, glen);
		goto out;
	}
	head_row(&t);
	header_rows(&t, &wm.h, &gm.h);
	if (wrc == 0) {
		for (size_t i = 0; i < wm.nqd; i++)
			question_rows(&t, i, &wm.qd[i], i < gm.nqd ? &gm.qd[i] : NULL);
		n = wm.nan > gm.nan ? wm.nan : gm.nan;
		for (size_t i = 0; i < n; i++)
			answer_rows(&t, i, &wm, i < wm.nan ? &wm.an[i] : NULL, &gm, i < gm.nan ? &gm.an[i] : NULL);
	} else {
		wc_buf_printf(detail, "  (the expected message does not parse: %s)\n", err);
	}
	if (grc < 0) {
		/* what could not be read comes first: the rows after it are missing, not wrong */
		wc_buf_printf(detail, "  the reply is malformed: %s\n", gerr);
		if (!strncmp(gerr, "answer record", 13) && gm.nqd == wm.nqd) {
			/* header and question read: the answers' form is the fault */
			t.bad = 0;
			row(&t, "answer records", 0, "well formed", "malformed");
			if (t.bad)
				t.id = "dns/answer-form";
			if (t.bad)
				snprintf(t.summary, t.slen, "the reply is malformed: %s", gerr);
		} else {
			t.bad = 0;
			whole(&t, "the reply is malformed: %s", gerr);
		}
	}
	if (wrc == 0 && grc == 0)
		cut_question(&t, &wm, &gm);
	if (!t.bad && !t.findings && grc == 0 && gm.end < glen && wm.end == wlen) {
		whole(&t, "%zu bytes follow the last record", glen - gm.end);
	} else if (!t.bad && !t.findings &&
		   !(wrc == 0 && grc == 0 && wm.h.rcode == 3 && gm.h.nscount > 0 && gm.end == glen)) {
		long d = wc_first_difference(want, wlen, got, glen);
		whole(&t, "every field agrees, but the bytes differ at byte %ld", d);
	}
	if (t.bad)
		wc_compare_bytes(detail, want, wlen, got, glen);
	rc = t.bad ? -1 : 0;
out:
	if (t.bad) {
		f->bad += t.bad;
		snprintf(f->id, sizeof(f->id), "%s", t.id ? t.id : "dns/malformed");
	}
	return rc;
}

int wc_judge_dns(const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen, wc_buf *detail, char *summary,
		 size_t slen)
{
	wc_faults all;

	wc_faults_init(&all, NULL, NULL, 0, 0, summary, slen);
	return wc_judge_dns_sorted(want, wlen, got, glen, detail, &all);
}

int wc_judge_dns_rcode_sorted(const uint8_t *got, size_t glen, const uint8_t *q, size_t qlen, unsigned rcode,
			      wc_buf *detail, wc_faults *f)
{
	wc_dns_header g, want;
	char *summary = f->summary;
	size_t slen = f->slen;
	table t = {NULL, summary, slen, 0, f, NULL, 0};
	wc_buf rows;
	char ws[40], gs[40];

	summary[0] = 0;
	wc_buf_init(&rows, 64 * 1024);
	t.out = &rows;
	if (ascii_hex(&t, got, glen, "reply")) {
		snprintf(f->id, sizeof(f->id), "dns/malformed");
		f->bad++;
		wc_buf_put(detail, rows.p, rows.len);
		wc_buf_free(&rows);
		return -1;
	}
	if (wc_dns_parse_header(got, glen, &g) < 0) {
		whole(&t, "the reply has %zu bytes, shorter than a DNS header (12)", glen);
		snprintf(f->id, sizeof(f->id), "dns/malformed");
		f->bad++;
		wc_buf_free(&rows);
		return -1;
	}
	memset(&want, 0, sizeof(want));
	if (wc_dns_parse_header(q, qlen, &want) < 0)
		want.id = g.id;
	head_row(&t);
	snprintf(ws, sizeof(ws), "0x%04x (the query's)", want.id);
	snprintf(gs, sizeof(gs), "0x%04x", g.id);
	row(&t, "ID", want.id == g.id, ws, gs);
	row_num(&t, "QR", 1, g.qr);
	{
		/* the lab's responses say OPCODE 0; another one echoed (NOTIMP to an
		 * OPCODE 2 query, RFC 1035) is that scenario's own matter */
		char w[16], gv[16];
		snprintf(w, sizeof(w), "%u", want.opcode);
		snprintf(gv, sizeof(gv), "%u", g.opcode);
		row_id(&t, want.opcode ? "dns/rcode" : "dns/header", "OPCODE", want.opcode == g.opcode, w, gv);
	}
	snprintf(ws, sizeof(ws), "%u (%s)", rcode, wc_dns_rcode_str(rcode));
	snprintf(gs, sizeof(gs), "%u (%s)", g.rcode, wc_dns_rcode_str(g.rcode));
	row(&t, "RCODE", g.rcode == rcode, ws, gs);
	row_any(&t, "AA", "(not judged)", g.aa);
	row_any(&t, "QDCOUNT", "(not judged)", g.qdcount);
	row_any(&t, "ANCOUNT", "(not judged)", g.ancount);
	if (t.bad) {
		wc_buf_put(detail, rows.p, rows.len);
		f->bad += t.bad;
		snprintf(f->id, sizeof(f->id), "%s", t.id ? t.id : "dns/malformed");
	}
	wc_buf_free(&rows);
	return t.bad ? -1 : 0;
}

int wc_judge_dns_rcode(const uint8_t *got, size_t glen, const uint8_t *q, size_t qlen, unsigned rcode, wc_buf *detail,
		       char *summary, size_t slen)
{
	wc_faults all;

	wc_faults_init(&all, NULL, NULL, 0, 0, summary, slen);
	return wc_judge_dns_rcode_sorted(got, glen, q, qlen, rcode, detail, &all);
}

int wc_judge_dns_lab(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen, wc_buf *detail, char *summary,
		     size_t slen)
{
	static wc_dns_msg qm, m;
	char err[200], ws[300], gs[300];
	table t = {NULL, summary, slen, 0, NULL, NULL, 0};
	wc_buf rows;
	int have_q, rc;

	summary[0] = 0;
	wc_buf_init(&rows, 256 * 1024);
	t.out = &rows;
	if (ascii_hex(&t, r, rlen, "reply"))
		goto out;
	if (rlen < WC_DNS_HEADER_LEN) {
		snprintf(summary, slen, "the reply has %zu bytes, shorter than a DNS header (12)", rlen);
		t.bad++;
		goto out;
	}
	have_q = q && wc_dns_parse(q, qlen, &qm, err, sizeof(err)) == 0 && qm.nqd == 1;
	rc = wc_dns_parse(r, rlen, &m, err, sizeof(err));
	head_row(&t);
	if (have_q) {
		snprintf(ws, sizeof(ws), "0x%04x (the query's)", qm.h.id);
		snprintf(gs, sizeof(gs), "0x%04x", m.h.id);
		row(&t, "ID", qm.h.id == m.h.id, ws, gs);
		row_num(&t, "OPCODE", qm.h.opcode, m.h.opcode);
		row_num(&t, "RD", qm.h.rd, m.h.rd);
	} else {
		row_any(&t, "ID", "(no query seen)", m.h.id);
	}
	row_num(&t, "QR", 1, m.h.qr);
	row_num(&t, "AA", 1, m.h.aa);
	row_num(&t, "TC", 0, m.h.tc);
	row_num(&t, "RA", 0, m.h.ra);
	row_num(&t, "Z", 0, m.h.z);
	snprintf(ws, sizeof(ws), "0, or 3 with no answer");
	snprintf(gs, sizeof(gs), "%u (%s)", m.h.rcode, wc_dns_rcode_str(m.h.rcode));
	row(&t, "RCODE", m.h.rcode == 0 || (m.h.rcode == 3 && m.h.ancount == 0), ws, gs);
	row_num(&t, "QDCOUNT", 1, m.h.qdcount);
	row_num(&t, "NSCOUNT", 0, m.h.nscount);
	row_num(&t, "ARCOUNT", 0, m.h.arcount);
	if (rc < 0) {
		snprintf(summary, slen, "the reply is malformed: %s", err);
		wc_buf_printf(&rows, "  the reply is malformed: %s\n", err);
		t.bad++;
		goto out;
	}
	if (have_q && m.nqd == 1) {
		size_t qb = qm.qd[0].name.wire_len + 4, rb = m.qd[0].name.wire_len + 4;
		name_str(&qm.qd[0].name, ws, sizeof(ws));
		name_str(&m.qd[0].name, gs, sizeof(gs));
		row(&t, "question", qb == rb && qm.qd[0].off + qb <= qlen && m.qd[0].off + rb <= rlen &&
				       !memcmp(q + qm.qd[0].off, r + m.qd[0].off, qb),
		    ws, gs);
	}
	for (size_t i = 0; i < m.nan; i++) {
		char f[40];
		const wc_dns_rr *a = &m.an[i];
		snprintf(f, sizeof(f), "answer %zu NAME", i + 1);
		name_str(&a->name, gs, sizeof(gs));
		row(&t, f, a->name.compressed && a->name.wire_len == 2 && a->name.ptr == 12, "c0 0c", gs);
		snprintf(f, sizeof(f), "answer %zu TYPE", i + 1);
		row_num(&t, f, 1, a->type);
		snprintf(f, sizeof(f), "answer %zu CLASS", i + 1);
		row_num(&t, f, 1, a->rclass);
		snprintf(f, sizeof(f), "answer %zu TTL", i + 1);
		row_any(&t, f, "(the table's)", a->ttl);
		snprintf(f, sizeof(f), "answer %zu RDLENGTH", i + 1);
		row_num(&t, f, 4, a->rdlength);
		snprintf(f, sizeof(f), "answer %zu RDATA", i + 1);
		rdata_str(&m, a, gs, sizeof(gs));
		row(&t, f, 1, "an address", gs);
	}
out:
	if (t.bad)
		wc_buf_put(detail, rows.p, rows.len);
	wc_buf_free(&rows);
	return t.bad ? -1 : 0;
}

/* Does QNAME (dotted, \DDD escapes as wc_dns_read_name writes them) spell name? */
static int qname_is(const char *text, const char *name)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	return strlen(text) == n && !strncasecmp(text, name, n);
}

int wc_judge_dns_query(const uint8_t *got, size_t glen, const char *name, int rd0, wc_buf *detail, char *summary,
		       size_t slen)
{
	static wc_dns_msg m;
	char err[200], g[300];
	table t = {detail, summary, slen, 0, NULL, NULL, 0};
	int rc;

	summary[0] = 0;
	if (ascii_hex(&t, got, glen, "query"))
		return -1;
	if (glen < WC_DNS_HEADER_LEN) {
		snprintf(summary, slen, "the query has %zu bytes, shorter than a DNS header (12)", glen);
		wc_buf_str(detail, "  got: ");
		wc_quote(detail, got, glen, 72);
		wc_buf_str(detail, "\n");
		return -1;
	}
	rc = wc_dns_parse(got, glen, &m, err, sizeof(err));
	head_row(&t);
	row_any(&t, "ID", "random", m.h.id);
	row_num(&t, "QR", 0, m.h.qr);
	row_num(&t, "OPCODE", 0, m.h.opcode);
	row_any(&t, "AA", "(not judged)", m.h.aa);
	row_num(&t, "TC", 0, m.h.tc);
	if (rd0)
		row_num(&t, "RD", 0, m.h.rd);
	else
		row_any(&t, "RD", "0 (SHOULD)", m.h.rd);
	row_any(&t, "RA", "(not judged)", m.h.ra);
	row_num(&t, "Z", 0, m.h.z);
	row_num(&t, "RCODE", 0, m.h.rcode);
	row_num(&t, "QDCOUNT", 1, m.h.qdcount);
	row_num(&t, "ANCOUNT", 0, m.h.ancount);
	row_num(&t, "NSCOUNT", 0, m.h.nscount);
	row_num(&t, "ARCOUNT", 0, m.h.arcount);
	if (m.nqd) {
		char w[300];
		snprintf(w, sizeof(w), "%s (labels)", name);
		name_str(&m.qd[0].name, g, sizeof(g));
		row(&t, "QNAME", qname_is(m.qd[0].name.text, name) && !m.qd[0].name.compressed, w, g);
		row_num(&t, "QTYPE", 1, m.qd[0].qtype);
		row_num(&t, "QCLASS", 1, m.qd[0].qclass);
	} else if (rc == 0) {
		row(&t, "QNAME", 0, name, "(no question)");
	}
	if (rc < 0) {
		wc_buf_printf(detail, "  the query is malformed: %s\n", err);
		if (!t.bad++)
			snprintf(summary, slen, "the query is malformed: %s", err);
	} else if (m.end < glen && !t.bad++) {
		snprintf(summary, slen, "%zu bytes follow the question", glen - m.end);
	}
	if (!t.bad)
		return 0;
	wc_buf_str(detail, "  bytes:\n");
	wc_hex_dump(detail, got, glen, 0, glen, "    ");
	return -1;
}

static int hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Appends the hex pairs of s[0..n) to bytes; 1 if the text was hex pairs and
 * blanks only (an optional "0x" before a pair allowed), else 0 and nothing added. */
static int hex_line(const uint8_t *s, size_t n, wc_buf *bytes)
{
	size_t start = bytes->len, pairs = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == ':' || s[i] == ',')
			continue;
		if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
			i++;
			continue;
		}
		if (i + 1 >= n || hexv(s[i]) < 0 || hexv(s[i + 1]) < 0) {
			bytes->len = start;
			return 0;
		}
		wc_buf_u8(bytes, (uint8_t)(hexv(s[i]) << 4 | hexv(s[i + 1])));
		pairs++;
		i++;
	}
	return pairs > 0;
}

/* A block's last line may hold fewer than 16 bytes, never more. */
static void block_end(wc_printed *cur, size_t last_len, int last_line)
{
	if (cur && last_len > 16 && !cur->bad_line) {
		cur->bad_line = last_line;
		cur->bad_count = (int)last_len;
	}
}

int wc_printed_parse(const uint8_t *text, size_t len, wc_buf *bytes, wc_printed *blk, int max)
{
	int n = 0, line = 0, last_line = 0;
	wc_printed *cur = NULL;
	size_t i = 0, last_len = 0;

	while (i < len) {
		const uint8_t *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, k;
		const uint8_t *s = text + i;
		size_t sl = end - i;
		int req = 0, resp = 0;

		line++;
		for (k = 0; k + 7 <= sl; k++) {
			if (k + 8 <= sl && !strncasecmp((const char *)s + k, "response", 8)) {
				resp = 1;
				break;
			}
			if (!strncasecmp((const char *)s + k, "request", 7)) {
				req = 1;
				break;
			}
		}
		if ((req || resp) && n < max) {
			const uint8_t *colon = memchr(s + k, ':', sl - k);
			block_end(cur, last_len, last_line);
			cur = &blk[n++];
			memset(cur, 0, sizeof(*cur));
			cur->response = resp;
			cur->off = bytes->len;
			cur->line = line;
			last_len = 0;
			if (colon && hex_line(colon + 1, (size_t)(s + sl - colon - 1), bytes))
				last_len = bytes->len - cur->off;
			cur->len = bytes->len - cur->off;
			last_line = line;
		} else if (cur && hex_line(s, sl, bytes)) {
			/* the line before this one was not the last: it must hold 16 */
			if (last_len && last_len != 16 && !cur->bad_line) {
				cur->bad_line = last_line;
				cur->bad_count = (int)last_len;
			}
			last_len = bytes->len - cur->off - cur->len;
			last_line = line;
			cur->len = bytes->len - cur->off;
		} else {
			block_end(cur, last_len, last_line);
			cur = NULL;
		}
		i = end + 1;
	}
	block_end(cur, last_len, last_line);
	return n;
}
