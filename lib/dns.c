/* dns.c - RFC 1035 messages read through wc_cur, queries and authoritative answers built with compression */
#include "dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PTR_MASK 0xc0 /* the two top bits of a length byte: 11 a pointer, 00 a label */
#define MAX_LABEL 63
#define TEXT_MAX 1024       /* the text of any 255-byte name, every byte escaped: 4 * 255 */
#define TABLE_LINE_MAX 4096 /* a table line */
#define TYPE_ANY 255
#define CLASS_ANY 255

static void say(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ASCII only: the locale must not change what a name matches. */
static int is_plain(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
	       ch == '_';
}

static uint8_t lower(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch - 'A' + 'a') : ch;
}

int wc_dns_parse_header(const uint8_t *p, size_t len, wc_dns_header *h)
{
	wc_cur c;
	uint16_t flags = 0;

	memset(h, 0, sizeof(*h));
	if (len < WC_DNS_HEADER_LEN)
		return -1;
	wc_cur_init(&c, p, len);
	wc_cur_be16(&c, &h->id);
	wc_cur_be16(&c, &flags);
	wc_cur_be16(&c, &h->qdcount);
	wc_cur_be16(&c, &h->ancount);
	wc_cur_be16(&c, &h->nscount);
	wc_cur_be16(&c, &h->arcount);
	if (c.err) {
		memset(h, 0, sizeof(*h));
		return -1;
	}
	h->qr = flags >> 15 & 1;
	h->opcode = flags >> 11 & 0xf;
	h->aa = flags >> 10 & 1;
	h->tc = flags >> 9 & 1;
	h->rd = flags >> 8 & 1;
	h->ra = flags >> 7 & 1;
	h->z = flags >> 4 & 7;
	h->rcode = flags & 0xf;
	return 0;
}

/* Appends one label's bytes to text, escaping as wc_dns_name says. */
static size_t text_label(char *text, size_t tl, const uint8_t *lab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (is_plain(lab[i]))
			text[tl++] = (char)lab[i];
		else
			tl += (size_t)snprintf(text + tl, 5, "\\%03u", lab[i]);
	}
	return tl;
}

/* Copies text into n->text; a text too long for it (a name of escaped bytes)
 * is cut at a whole character or escape and ends with "...", which no name
 * can otherwise hold (a '.' in a label is written \046). */
static void keep_text(wc_dns_name *n, char *text, size_t tl)
{
	size_t cut = sizeof(n->text) - 4;

	if (tl < sizeof(n->text)) {
		memcpy(n->text, text, tl + 1);
		return;
	}
	for (size_t i = cut >= 3 ? cut - 3 : 0; i < cut; i++)
		if (text[i] == '\\') {
			cut = i;
			break;
		}
	memcpy(n->text, text, cut);
	memcpy(n->text + cut, "...", 4);
}

/*
 * wc_dns_read_name(), also writing the name uncompressed into wire[0..255)
 * (labels and the final 0), its length in *wire_len, when wire is not NULL.
 */
static int read_name(wc_cur *c, const uint8_t *msg, size_t len, wc_dns_name *n, uint8_t *wire, size_t *wire_len,
		     char *err, size_t errlen)
{
	char text[TEXT_MAX + 8];
	size_t tl = 0, total = 0, start = c->off, seg = c->off;
	wc_cur at = *c;
	int jumped = 0, from = -1; /* from: the offset of the pointer just followed */

	memset(n, 0, sizeof(*n));
	n->off = start;
	text[0] = '\0';
	for (;;) {
		size_t here = at.off;
		const uint8_t *lab;
		uint8_t b, b2;

		if (wc_cur_u8(&at, &b) < 0) {
			say(err, errlen, "name at offset %zu cut short at offset %zu", start, here);
			goto fail;
		}
		if (from >= 0 && (b & PTR_MASK)) {
			say(err, errlen, "pointer at offset %d to %zu does not point at a label", from, here);
			goto fail;
		}
		from = -1;
		if ((b & PTR_MASK) == PTR_MASK) {
			uint16_t to;

			if (wc_cur_u8(&at, &b2) < 0) {
				say(err, errlen, "name at offset %zu cut short in the pointer at offset %zu", start,
				    here);
				goto fail;
			}
			to = (uint16_t)((b & 0x3f) << 8 | b2);
			if (to >= seg) {
				say(err, errlen,
				    "pointer at offset %zu to %u does not point before its name (at offset %zu)", here,
				    to, seg);
				goto fail;
			}
			if (!jumped) {
				n->wire_len = at.off - start;
				n->compressed = 1;
				n->ptr = to;
				jumped = 1;
			}
			wc_cur_init(&at, msg, len);
			wc_cur_seek(&at, to);
			seg = to;
			from = (int)here;
			continue;
		}
		if (b & PTR_MASK) {
			say(err, errlen, "label type 0x%02x at offset %zu is not a length (RFC 1035 4.1.4)",
			    b & PTR_MASK, here);
			goto fail;
		}
		if (b == 0) {
			if (total + 1 > WC_DNS_MAX_NAME) { /* cannot happen: checked with each label */
				say(err, errlen, "name at offset %zu longer than %d bytes", start, WC_DNS_MAX_NAME);
				goto fail;
			}
			if (wire)
				wire[total] = 0;
			total++;
			if (!jumped)
				n->wire_len = at.off - start;
			break;
		}
		if (b > MAX_LABEL) { /* cannot happen with the top bits 00 */
			say(err, errlen, "label of %u bytes at offset %zu (at most %d)", b, here, MAX_LABEL);
			goto fail;
		}
		if (total + 1 + b + 1 > WC_DNS_MAX_NAME) {
			say(err, errlen, "name at offset %zu longer than %d bytes", start, WC_DNS_MAX_NAME);
			goto fail;
		}
		if (wc_cur_bytes(&at, b, &lab) < 0) {
			say(err, errlen, "name at offset %zu cut short in the label at offset %zu", start, here);
			goto fail;
		}
		if (wire) {
			wire[total] = b;
			memcpy(wire + total + 1, lab, b);
		}
		total += 1 + (size_t)b;
		if (tl)
			text[tl++] = '.';
		tl = text_label(text, tl, lab, b);
		text[tl] = '\0';
	}
	keep_text(n, text, tl);
	if (wire_len)
		*wire_len = total;
	wc_cur_seek(c, start + n->wire_len);
	return 0;
fail:
	n->text[0] = '\0';
	n->wire_len = 0;
	n->compressed = 0;
	n->ptr = 0;
	if (wire_len)
		*wire_len = 0;
	c->err = 1;
	return -1;
}

int wc_dns_read_name(wc_cur *c, const uint8_t *msg, size_t len, wc_dns_name *n, char *err, size_t errlen)
{
	return read_name(c, msg, len, n, NULL, NULL, err, errlen);
}

static int read_question(wc_cur *c, const uint8_t *p, size_t len, wc_dns_question *q, uint8_t *wire, size_t *wire_len,
			 char *err, size_t errlen)
{
	memset(q, 0, sizeof(*q));
	q->off = c->off;
	if (read_name(c, p, len, &q->name, wire, wire_len, err, errlen) < 0)
		return -1;
	wc_cur_be16(c, &q->qtype);
	wc_cur_be16(c, &q->qclass);
	if (c->err) {
		say(err, errlen, "question at offset %zu cut short after its name", q->off);
		return -1;
	}
	return 0;
}

static int read_rr(wc_cur *c, const uint8_t *p, size_t len, wc_dns_rr *rr, char *err, size_t errlen)
{
	memset(rr, 0, sizeof(*rr));
	rr->off = c->off;
	if (wc_dns_read_name(c, p, len, &rr->name, err, errlen) < 0)
		return -1;
	wc_cur_be16(c, &rr->type);
	wc_cur_be16(c, &rr->rclass);
	wc_cur_be32(c, &rr->ttl);
	wc_cur_be16(c, &rr->rdlength);
	if (c->err) {
		say(err, errlen, "record at offset %zu cut short after its name", rr->off);
		return -1;
	}
	rr->rdata_off = c->off;
	if (wc_cur_skip(c, rr->rdlength) < 0) {
		say(err, errlen, "record at offset %zu: RDLENGTH %u but %zu bytes left", rr->off, rr->rdlength,
		    wc_cur_left(c));
		return -1;
	}
	if (rr->type == WC_DNS_TYPE_A && rr->rclass == WC_DNS_CLASS_IN && rr->rdlength != 4) {
		say(err, errlen, "A record at offset %zu: RDLENGTH %u (want 4)", rr->off, rr->rdlength);
		return -1;
	}
	return 0;
}

/* Reads count records of one section, keeping the first WC_DNS_MAX_RR. */
static int read_section(wc_cur *c, wc_dns_msg *m, unsigned count, wc_dns_rr *keep, size_t *nkeep, const char *section,
			char *err, size_t errlen)
{
	char why[200];

	for (unsigned i = 0; i < count; i++) {
		wc_dns_rr rr;

		if (read_rr(c, m->p, m->len, &rr, why, sizeof(why)) < 0) {
			say(err, errlen, "%s record %u of %u: %s", section, i + 1, count, why);
			return -1;
		}
		if (*nkeep < WC_DNS_MAX_RR)
			keep[(*nkeep)++] = rr;
		m->end = c->off;
	}
	return 0;
}

int wc_dns_parse(const uint8_t *p, size_t len, wc_dns_msg *m, char *err, size_t errlen)
{
	char why[200];
	wc_cur c;

	memset(m, 0, sizeof(*m));
	m->p = p;
	m->len = len;
	if (wc_dns_parse_header(p, len, &m->h) < 0) {
		say(err, errlen, "message of %zu bytes is shorter than the %d-byte header", len, WC_DNS_HEADER_LEN);
		return -1;
	}
	wc_cur_init(&c, p, len);
	wc_cur_seek(&c, WC_DNS_HEADER_LEN);
	m->end = c.off;
	for (unsigned i = 0; i < m->h.qdcount; i++) {
		wc_dns_question q;

		if (read_question(&c, p, len, &q, NULL, NULL, why, sizeof(why)) < 0) {
			say(err, errlen, "question %u of %u: %s", i + 1, m->h.qdcount, why);
			return -1;
		}
		if (m->nqd < WC_DNS_MAX_QD)
			m->qd[m->nqd++] = q;
		m->end = c.off;
	}
	if (read_section(&c, m, m->h.ancount, m->an, &m->nan, "answer", err, errlen) < 0 ||
	    read_section(&c, m, m->h.nscount, m->ns, &m->nns, "authority", err, errlen) < 0 ||
	    read_section(&c, m, m->h.arcount, m->ar, &m->nar, "additional", err, errlen) < 0)
		return -1;
	return 0;
}

int wc_dns_name_to_wire(const char *text, uint8_t *out, size_t outlen)
{
	size_t n = 0, i = 0, tlen = strlen(text);

	if (tlen && text[tlen - 1] == '.') /* the final dot: "" and "." are the root */
		tlen--;
	while (tlen) {
		const char *dot = memchr(text + i, '.', tlen - i);
		size_t lab = dot ? (size_t)(dot - (text + i)) : tlen - i;

		/* an empty label (".a", "a..b", "a.."), a long one, a long name */
		if (lab == 0 || lab > MAX_LABEL || n + 1 + lab + 1 > WC_DNS_MAX_NAME || n + 1 + lab > outlen)
			return -1;
		out[n] = (uint8_t)lab;
		memcpy(out + n + 1, text + i, lab);
		n += 1 + lab;
		if (!dot)
			break;
		i += lab + 1;
	}
	if (n + 1 > outlen)
		return -1;
	out[n++] = 0;
	return (int)n;
}

/* A writer into out[0..cap) with a sticky 'full' flag. */
typedef struct wr {
	uint8_t *p;
	size_t len, cap;
	int full;
} wr;

static void wr_put(wr *w, const void *data, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = 1;
		return;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void wr_be16(wr *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	wr_put(w, b, 2);
}

static void wr_be32(wr *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	wr_put(w, b, 4);
}

static void wr_header(wr *w, uint16_t id, unsigned qr, unsigned opcode, unsigned aa, unsigned rd, unsigned rcode,
		      uint16_t qd, uint16_t an)
{
	wr_be16(w, id);
	wr_be16(w, (uint16_t)(qr << 15 | (opcode & 0xf) << 11 | aa << 10 | rd << 8 | (rcode & 0xf)));
	wr_be16(w, qd);
	wr_be16(w, an);
	wr_be16(w, 0);
	wr_be16(w, 0);
}

int wc_dns_build_query(uint8_t *out, size_t outlen, uint16_t id, const char *name, uint16_t qtype, int rd)
{
	uint8_t wire[WC_DNS_MAX_NAME];
	wr w = {out, 0, outlen, 0};
	int n = wc_dns_name_to_wire(name, wire, sizeof(wire));

	if (n < 0)
		return -1;
	wr_header(&w, id, 0, 0, 0, rd ? 1 : 0, 0, 1, 0);
	wr_put(&w, wire, (size_t)n);
	wr_be16(&w, qtype);
	wr_be16(&w, WC_DNS_CLASS_IN);
	return w.full ? -1 : (int)w.len;
}

const char *wc_dns_rcode_str(unsigned rcode)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
	static _Thread_local char other[24];

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	snprintf(other, sizeof(other), "RCODE %u", rcode);
	return other;
}

/* ---- the table ---- */

/* One table line's name: letters, digits, '-', '_', dots between labels. */
static int table_name_ok(const char *s, char *why, size_t whylen)
{
	uint8_t wire[WC_DNS_MAX_NAME];

	for (const char *q = s; *q; q++)
		if (!is_plain((uint8_t)*q) && *q != '.') {
			say(why, whylen, "name '%s' has '%c' (want letters, digits, '-', '_' and dots)", s, *q);
			return -1;
		}
	if (!strcmp(s, ".") || wc_dns_name_to_wire(s, wire, sizeof(wire)) < 0) {
		say(why, whylen, "invalid name '%s' (labels of 1 to 63 bytes, 255 in all)", s);
		return -1;
	}
	return 0;
}

static int table_ttl(const char *s, uint32_t *ttl)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > INT32_MAX) /* RFC 2181 8 */
		return -1;
	*ttl = (uint32_t)v;
	return 0;
}

/* Parses one line (no '\n'), adding its entry, if any, to t. 0, or -1 with why. */
static int table_line(char *line, wc_dns_table *t, char *why, size_t whylen)
{
	char *hash = strchr(line, '#'), *save = NULL, *tok;
	wc_dns_entry *e;
	const char *name;

	if (hash)
		*hash = '\0';
	name = strtok_r(line, " \t\r\v\f", &save);
	if (!name)
		return 0;
	if (table_name_ok(name, why, whylen) < 0)
		return -1;
	if (wc_dns_table_find(t, name)) {
		say(why, whylen, "name '%s' appears twice", name);
		return -1;
	}
	if (t->n >= WC_DNS_TABLE_MAX) {
		say(why, whylen, "too many names (at most %d)", WC_DNS_TABLE_MAX);
		return -1;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	tok = strtok_r(NULL, " \t\r\v\f", &save);
	if (!tok) {
		say(why, whylen, "'%s' has no TTL (want NAME TTL ADDR [ADDR...])", name);
		return -1;
	}
	if (table_ttl(tok, &e->ttl) < 0) {
		say(why, whylen, "invalid TTL '%s' (want seconds, 0..2147483647)", tok);
		return -1;
	}
	while ((tok = strtok_r(NULL, " \t\r\v\f", &save))) {
		struct in_addr a;

		if (e->naddr >= WC_DNS_ADDRS_MAX) {
			say(why, whylen, "too many addresses for '%s' (at most %d)", name, WC_DNS_ADDRS_MAX);
			return -1;
		}
		if (inet_pton(AF_INET, tok, &a) != 1) {
			say(why, whylen, "invalid address '%s' (want an IPv4 dotted quad)", tok);
			return -1;
		}
		memcpy(e->addr[e->naddr++], &a.s_addr, 4);
	}
	if (!e->naddr) {
		say(why, whylen, "'%s' has no address (want NAME TTL ADDR [ADDR...])", name);
		return -1;
	}
	t->n++;
	return 0;
}

int wc_dns_table_parse(const char *text, size_t len, const char *path, wc_dns_table *t, char *err, size_t errlen)
{
	char line[TABLE_LINE_MAX], why[WC_DNS_MAX_NAME + 200];
	size_t off = 0;
	unsigned lineno = 0;

	memset(t, 0, sizeof(*t));
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;

		lineno++;
		if (n >= sizeof(line)) {
			say(err, errlen, "%s:%u: line longer than %zu bytes", path, lineno, sizeof(line) - 1);
			return -1;
		}
		if (memchr(text + off, '\0', n)) {
			say(err, errlen, "%s:%u: NUL byte in the line", path, lineno);
			return -1;
		}
		memcpy(line, text + off, n);
		line[n] = '\0';
		if (table_line(line, t, why, sizeof(why)) < 0) {
			say(err, errlen, "%s:%u: %s", path, lineno, why);
			return -1;
		}
		off += n + 1;
	}
	return 0;
}

int wc_dns_table_load(const char *path, wc_dns_table *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, len = 0;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	if (!f) {
		say(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			char *bigger;

			if (cap >= (size_t)1 << 20) {
				say(err, errlen, "'%s' is larger than 1 MiB", path);
				goto out;
			}
			bigger = realloc(text, cap ? cap * 2 : 4096);
			if (!bigger) {
				say(err, errlen, "cannot read '%s': out of memory", path);
				goto out;
			}
			text = bigger;
			cap = cap ? cap * 2 : 4096;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		say(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = wc_dns_table_parse(text, len, path, t, err, errlen);
out:
	free(text);
	fclose(f);
	return rc;
}

void wc_dns_table_labs(wc_dns_table *t)
{
	static const char labs[] = "google.com    260 192.165.1.1 192.165.1.10\n"
				   "youtube.com   160 192.165.1.2\n"
				   "uwaterloo.ca  160 192.165.1.3\n"
				   "wikipedia.org 160 192.165.1.4\n"
				   "amazon.ca     160 192.165.1.5\n";

	if (wc_dns_table_parse(labs, sizeof(labs) - 1, "labs", t, NULL, 0) < 0)
		abort(); /* the text above is wrong */
}

/* Compares dotted names ASCII case-insensitively, a final dot on either ignored. */
static int same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		if (lower((uint8_t)a[i]) != lower((uint8_t)b[i]))
			return 0;
	return 1;
}

const wc_dns_entry *wc_dns_table_find(const wc_dns_table *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (same_name(t->e[i].name, name))
			return &t->e[i];
	return NULL;
}

/* The entry whose name has the wire form wire[0..n), case-insensitively. */
static const wc_dns_entry *find_wire(const wc_dns_table *t, const uint8_t *wire, size_t n)
{
	for (int i = 0; i < t->n; i++) {
		uint8_t w[WC_DNS_MAX_NAME];
		int wl = wc_dns_name_to_wire(t->e[i].name, w, sizeof(w));
		size_t k = 0;

		if (wl < 0 || (size_t)wl != n)
			continue;
		while (k < n && lower(w[k]) == lower(wire[k]))
			k++;
		if (k == n)
			return &t->e[i];
	}
	return NULL;
}

/* ---- the answer ---- */

int wc_dns_answer(const wc_dns_table *t, const uint8_t *q, size_t qlen, uint8_t *out, size_t outlen)
{
	uint8_t wire[WC_DNS_MAX_NAME];
	size_t wire_len = 0;
	wr w = {out, 0, outlen, 0};
	const wc_dns_entry *e;
	wc_dns_header h;
	wc_dns_question qd;
	wc_cur c;
	int answer;

	if (wc_dns_parse_header(q, qlen, &h) < 0 || h.qr)
		return 0;
	if (h.opcode != 0) {
		/* NOTIMP: the OPCODE and RD copied (RFC 1035 4.1.1), not authoritative, no section */
		wr_header(&w, h.id, 1, h.opcode, 0, h.rd, WC_DNS_NOTIMP, 0, 0);
		return w.full ? -1 : (int)w.len;
	}
	wc_cur_init(&c, q, qlen);
	wc_cur_seek(&c, WC_DNS_HEADER_LEN);
	if (h.qdcount != 1 || read_question(&c, q, qlen, &qd, wire, &wire_len, NULL, 0) < 0) {
		/* FORMERR: RD copied, not authoritative (nothing was looked up), no section */
		wr_header(&w, h.id, 1, 0, 0, h.rd, WC_DNS_FORMERR, 0, 0);
		return w.full ? -1 : (int)w.len;
	}
	e = find_wire(t, wire, wire_len);
	answer = e && (qd.qtype == WC_DNS_TYPE_A || qd.qtype == TYPE_ANY) &&
		 (qd.qclass == WC_DNS_CLASS_IN || qd.qclass == CLASS_ANY);
	wr_header(&w, h.id, 1, 0, 1, h.rd, e ? WC_DNS_NOERROR : WC_DNS_NXDOMAIN, 1, answer ? (uint16_t)e->naddr : 0);
	/* the question as sent: its labels (uncompressed, should it hold a
	 * pointer into the query's header), case kept, then QTYPE and QCLASS */
	wr_put(&w, wire, wire_len);
	wr_be16(&w, qd.qtype);
	wr_be16(&w, qd.qclass);
	for (int i = 0; answer && i < e->naddr; i++) {
		wr_be16(&w, (uint16_t)(PTR_MASK << 8 | WC_DNS_HEADER_LEN)); /* c0 0c: the question's name */
		wr_be16(&w, WC_DNS_TYPE_A);
		wr_be16(&w, WC_DNS_CLASS_IN);
		wr_be32(&w, e->ttl);
		wr_be16(&w, 4);
		wr_put(&w, e->addr[i], 4);
	}
	return w.full ? -1 : (int)w.len;
}
