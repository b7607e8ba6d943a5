/* html.c - one self-contained HTML page of a run (inline CSS and SVG, no
 * script, nothing fetched): the score, each scenario with expected vs got, and
 * what its capture holds: a sequence diagram, DNS messages as annotated hex,
 * HTTP responses as header tables */
#include "report/html.h"
#include "report/explain.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>

#include "judge/decode.h"
#include "dns.h"
#include "http.h"
#include "report/escape.h"
#include "judge/stream.h"

#define SEQ_MAX_EVENTS 80  /* arrows drawn per capture */
#define SEQ_MAX_LANES 6
#define DNS_MAX_MSGS 12    /* DNS messages shown per capture */
#define HTTP_MAX_CONNS 6
#define HTTP_MAX_MSGS 8    /* requests and responses shown per connection */
#define FIELDS_MAX 400

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04

static void esc(FILE *f, const char *s)
{
	wc_rep_xmls(f, s, 0);
}

static void escn(FILE *f, const void *s, size_t n)
{
	wc_rep_xml(f, s, n, 0);
}

static const char css[] =
	":root{--pass:#166534;--passbg:#dcfce7;--fail:#991b1b;--failbg:#fee2e2;--warn:#854d0e;--warnbg:#fef9c3;"
	"--ink:#1f2937;--mute:#4b5563;--line:#d1d5db}\n"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);margin:0;"
	"background:#f9fafb}\n"
	"header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}\n"
	"header{padding-top:18px}h1{font-size:1.6em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:2px solid "
	"var(--line);padding-bottom:.2em}h3{font-size:1.05em;margin:1.2em 0 .4em}h4{margin:.8em 0 .3em;font-size:.95em}\n"
	"a{color:#1d4ed8}code,pre,.hex{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
	"font-size:13px}\n"
	"pre{background:#fff;border:1px solid var(--line);padding:8px 10px;overflow-x:auto;white-space:pre}\n"
	".skip{position:absolute;left:-999px}.skip:focus{left:10px;top:10px;background:#fff;padding:4px}\n"
	".cards{display:flex;gap:14px;flex-wrap:wrap;margin:12px 0}.card{background:#fff;border:1px solid "
	"var(--line);border-radius:8px;padding:10px 16px;min-width:120px}.card b{display:block;font-size:1.7em}\n"
	".bar{height:14px;background:var(--failbg);border-radius:7px;overflow:hidden;border:1px solid var(--line);"
	"max-width:520px}.bar span{display:block;height:100%;background:#16a34a}\n"
	"table{border-collapse:collapse;background:#fff;margin:6px 0}th,td{border:1px solid var(--line);"
	"padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f4f6}\n"
	"td.num{text-align:right}\n"
	".badge{display:inline-block;min-width:48px;text-align:center;font-weight:700;border-radius:4px;"
	"padding:0 6px;margin-right:8px;font-size:.85em}\n"
	".b-pass{background:var(--passbg);color:var(--pass)}.b-fail{background:var(--failbg);color:var(--fail)}"
	".b-error,.b-info,.b-warn{background:var(--warnbg);color:var(--warn)}.b-infook{background:#e0f2fe;color:#075985}\n"
	"details.sc{background:#fff;border:1px solid var(--line);border-left:6px solid #16a34a;border-radius:6px;"
	"margin:6px 0;padding:4px 12px}details.sc.fail{border-left-color:#dc2626}details.sc.error,details.sc.info"
	"{border-left-color:#ca8a04}\n"
	"details.sc>summary{cursor:pointer;padding:4px 0}summary .pts{float:right;color:var(--mute)}\n"
	".why{font-weight:600;color:var(--fail)}dl.facts{display:grid;grid-template-columns:max-content 1fr;"
	"gap:2px 14px}dl.facts dt{color:var(--mute)}dl.facts dd{margin:0}\n"
	".seq{overflow-x:auto}.seq svg{background:#fff;border:1px solid var(--line)}\n"
	".hex{border-collapse:collapse}.hex td{border:none;padding:0 1px}.hex td.off{color:var(--mute);"
	"padding-right:10px}.hex span{padding:1px 2px;border-radius:2px}\n"
	"table.bits td{text-align:center;font-size:12px;min-width:22px}table.bits td.lbl{text-align:left}\n"
	".mark{background:#fecaca;font-weight:700}.legend span{display:inline-block;padding:0 6px;margin:2px;"
	"border-radius:3px;font-size:12px}\n"
	".f-id{background:#fde68a}.f-flags{background:#fca5a5}.f-count{background:#bfdbfe}"
	".f-qname{background:#bbf7d0}.f-qtype{background:#a7f3d0}.f-qclass{background:#99f6e4}"
	".f-name{background:#ddd6fe}.f-ptr{background:#f0abfc}.f-type{background:#fbcfe8}"
	".f-class{background:#fecdd3}.f-ttl{background:#fed7aa}.f-rdlen{background:#e9d5ff}"
	".f-rdata{background:#c7d2fe}.f-extra{background:#e5e7eb}\n"
	"footer{color:var(--mute);padding:30px 20px}\n"
	"@media print{details.sc{break-inside:avoid}}\n";

/* ---- the sequence diagram ---- */

/* A short label of a datagram or segment: flags, length, the first printable bytes. */
static void pkt_label(const wc_pkt *pk, const char *lab, char *out, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	if (pk->proto == IPPROTO_TCP) {
		const char *fl[] = {"FIN", "SYN", "RST"};
		for (int b = 0; b < 3; b++)
			if (pk->tcp_flags & (1 << b))
				o += (size_t)snprintf(out + o, n - o, "%s%s", o ? "," : "", fl[b]);
		if (pk->len)
			o += (size_t)snprintf(out + o, n - o, "%s%zu B", o ? " " : "", pk->len);
	} else {
		o += (size_t)snprintf(out + o, n - o, "UDP %zu B", pk->len);
	}
	if (o >= n)
		return;
	if (!strcmp(lab, "dns") && pk->proto == IPPROTO_UDP && pk->len >= WC_DNS_HEADER_LEN) {
		wc_dns_header h;
		wc_dns_parse_header(pk->payload, pk->len, &h);
		o += (size_t)snprintf(out + o, n - o, " DNS id 0x%04x %s", h.id,
				      h.qr ? wc_dns_rcode_str(h.rcode) : "query");
		if (h.qr && o < n)
			o += (size_t)snprintf(out + o, n - o, " an %u", h.ancount);
		return;
	}
	if (pk->len && o + 4 < n) {
		out[o++] = ' ';
		out[o++] = '"';
		for (size_t i = 0; i < pk->len && i < 28 && o + 5 < n; i++) {
			unsigned char c = pk->payload[i];
			if (c == '\r' || c == '\n')
				break;
			out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		if (o + 5 < n) {
			if (pk->len > 28)
				out[o++] = '.', out[o++] = '.', out[o++] = '.';
			out[o++] = '"';
		}
		out[o] = 0;
	}
}

static int lane(char lanes[][64], int *nl, const char *ep)
{
	for (int k = 0; k < *nl; k++)
		if (!strcmp(lanes[k], ep))
			return k;
	if (*nl == SEQ_MAX_LANES)
		return -1;
	snprintf(lanes[*nl], 64, "%s", ep);
	return (*nl)++;
}

static void seq_svg(FILE *f, const wc_trace *t, const char *lab, unsigned bad_frame)
{
	char lanes[SEQ_MAX_LANES][64], a[64], b[64], label[96];
	int nl = 0, nev = 0, more = 0, acks = 0;
	size_t ev[SEQ_MAX_EVENTS];
	int from[SEQ_MAX_EVENTS], to[SEQ_MAX_EVENTS];

	for (size_t i = 0; i < t->n; i++) {
		const wc_pkt *pk = &t->pkts[i];
		int x, y;
		if (pk->proto != IPPROTO_UDP && pk->proto != IPPROTO_TCP)
			continue;
		if (pk->proto == IPPROTO_TCP && !pk->len && !(pk->tcp_flags & (TCP_SYN | TCP_FIN | TCP_RST))) {
			acks++;
			continue;
		}
		wc_pkt_src(pk, a, sizeof(a));
		wc_pkt_dst(pk, b, sizeof(b));
		x = lane(lanes, &nl, a);
		y = lane(lanes, &nl, b);
		if (x < 0 || y < 0 || nev == SEQ_MAX_EVENTS) {
			more++;
			continue;
		}
		ev[nev] = i, from[nev] = x, to[nev] = y;
		nev++;
	}
	if (!nev) {
		fputs("<p>The capture holds no UDP datagram or TCP segment.</p>\n", f);
		return;
	}
	int gap = nl > 4 ? 210 : 300, left = 130, w = left + (nl - 1) * gap + 130, h = 70 + nev * 24 + 10;
	int64_t t0 = t->pkts[ev[0]].ts_us;

	fprintf(f,
		"<div class=\"seq\"><svg width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"sequence diagram: %d messages between %d endpoints\" "
		"font-family=\"ui-monospace,DejaVu Sans Mono,monospace\" font-size=\"11\">\n<title>sequence diagram of "
		"the capture</title>\n",
		w, h, w, h, nev, nl);
	for (int k = 0; k < nl; k++) {
		int x = left + k * gap;
		fprintf(f, "<rect x=\"%d\" y=\"8\" width=\"200\" height=\"24\" rx=\"4\" fill=\"#eef2ff\" stroke=\"#6366f1\"/>"
			   "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-weight=\"bold\">", x - 100, x);
		esc(f, lanes[k]);
		fprintf(f, "</text><line x1=\"%d\" y1=\"32\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\" stroke-dasharray=\"4 3\"/>\n",
			x, x, h - 4);
	}
	for (int e = 0; e < nev; e++) {
		const wc_pkt *pk = &t->pkts[ev[e]];
		int y = 60 + e * 24, x1 = left + from[e] * gap, x2 = left + to[e] * gap, dir = x2 > x1 ? 1 : -1;
		int bad = bad_frame && pk->frame == bad_frame;
		const char *col = bad ? "#dc2626" : pk->proto == IPPROTO_TCP && (pk->tcp_flags & TCP_RST) ? "#b45309"
						   : pk->proto == IPPROTO_TCP && !pk->len			     ? "#6b7280"
														     : "#1d4ed8";
		pkt_label(pk, lab, label, sizeof(label));
		fprintf(f, "<text x=\"4\" y=\"%d\" fill=\"%s\"%s>#%u +%lldms</text>", y + 4, bad ? "#dc2626" : "#4b5563",
			bad ? " font-weight=\"bold\"" : "", pk->frame, (long long)((pk->ts_us - t0) / 1000));
		if (x1 == x2) {
			fprintf(f, "<path d=\"M%d %d h30 v8 h-30\" fill=\"none\" stroke=\"%s\"/>", x1, y - 4, col);
		} else {
			fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>", x1, y,
				x2 - dir * 2, y, col, bad ? "2.5" : "1.5");
			fprintf(f, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>", x2, y, x2 - dir * 9, y - 4,
				x2 - dir * 9, y + 4, col);
		}
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\"%s>", (x1 + x2) / 2 + (x1 == x2 ? 90 : 0),
			y - 4, bad ? "#dc2626" : "#111827", bad ? " font-weight=\"bold\"" : "");
		esc(f, label);
		fputs(bad ? " (the fault)" : "", f);
		fputs("</text>\n", f);
	}
	fputs("</svg></div>\n", f);
	if (more || acks)
		fprintf(f, "<p><small>%d more not drawn; %d bare TCP ACKs left out.</small></p>\n", more, acks);
}

/* ---- DNS messages as annotated hex ---- */

typedef struct field {
	size_t off, len;
	const char *cls;
	char name[40];
	char value[300];
} field;

typedef struct fields {
	field f[FIELDS_MAX];
	int n;
} fields;

static field *add(fields *fs, size_t off, size_t len, const char *cls, const char *name)
{
	field *x;
	if (fs->n == FIELDS_MAX || !len)
		return NULL;
	x = &fs->f[fs->n++];
	x->off = off, x->len = len, x->cls = cls;
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->value[0] = 0;
	return x;
}

static void add_name(fields *fs, const wc_dns_name *nm, const char *cls, const char *name)
{
	field *x;
	size_t labels = nm->compressed ? nm->wire_len - 2 : nm->wire_len;

	if ((x = add(fs, nm->off, labels, cls, name)))
		snprintf(x->value, sizeof(x->value), "%s%s", nm->text[0] || nm->compressed ? nm->text : "(root)",
			 nm->compressed ? " (labels, then a pointer)" : "");
	if (nm->compressed && (x = add(fs, nm->off + labels, 2, "f-ptr", name))) {
		snprintf(x->name, sizeof(x->name), "%s pointer", name);
		snprintf(x->value, sizeof(x->value), "to offset %u: %s", nm->ptr, nm->text);
	}
}

static void add_rr(fields *fs, const wc_dns_msg *m, const wc_dns_rr *rr, const char *sect, int i)
{
	char nm[32];
	size_t o = rr->name.off + rr->name.wire_len;
	field *x;

	snprintf(nm, sizeof(nm), "%s %d NAME", sect, i);
	add_name(fs, &rr->name, "f-name", nm);
	if ((x = add(fs, o, 2, "f-type", "TYPE")))
		snprintf(x->value, sizeof(x->value), "%u%s", rr->type, rr->type == 1 ? " (A)" : "");
	if ((x = add(fs, o + 2, 2, "f-class", "CLASS")))
		snprintf(x->value, sizeof(x->value), "%u%s", rr->rclass, rr->rclass == 1 ? " (IN)" : "");
	if ((x = add(fs, o + 4, 4, "f-ttl", "TTL")))
		snprintf(x->value, sizeof(x->value), "%u s", rr->ttl);
	if ((x = add(fs, o + 8, 2, "f-rdlen", "RDLENGTH")))
		snprintf(x->value, sizeof(x->value), "%u", rr->rdlength);
	if (rr->rdata_off + rr->rdlength <= m->len && (x = add(fs, rr->rdata_off, rr->rdlength, "f-rdata", "RDATA"))) {
		const uint8_t *d = m->p + rr->rdata_off;
		if (rr->type == 1 && rr->rdlength == 4)
			snprintf(x->value, sizeof(x->value), "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
		else
			snprintf(x->value, sizeof(x->value), "%u bytes", rr->rdlength);
	}
}

static const char *bits(unsigned v, int n, char *buf)
{
	for (int i = 0; i < n; i++)
		buf[i] = (char)('0' + ((v >> (n - 1 - i)) & 1));
	buf[n] = 0;
	return buf;
}

static void dns_header_table(FILE *f, const wc_dns_header *h)
{
	char b[20];

	fputs("<table class=\"bits\"><caption class=\"legend\">header, 16 bits a row (RFC 1035 4.1.1)</caption>"
	      "<tr><th scope=\"col\">field</th>",
	      f);
	for (int i = 0; i < 16; i++)
		fprintf(f, "<th scope=\"col\">%d</th>", i);
	fprintf(f, "</tr>\n<tr><td class=\"lbl\">ID</td><td colspan=\"16\" class=\"f-id\">0x%04x (%u)</td></tr>\n", h->id,
		h->id);
	fprintf(f,
		"<tr><td class=\"lbl\">flags</td><td class=\"f-flags\">QR<br>%u</td><td colspan=\"4\" class=\"f-flags\">"
		"OPCODE<br>%s</td><td class=\"f-flags\">AA<br>%u</td><td class=\"f-flags\">TC<br>%u</td>"
		"<td class=\"f-flags\">RD<br>%u</td><td class=\"f-flags\">RA<br>%u</td>",
		h->qr, bits(h->opcode, 4, b), h->aa, h->tc, h->rd, h->ra);
	fprintf(f, "<td colspan=\"3\" class=\"f-flags\">Z<br>%s</td>", bits(h->z, 3, b));
	fprintf(f, "<td colspan=\"4\" class=\"f-flags\">RCODE<br>%s (%s)</td></tr>\n", bits(h->rcode, 4, b),
		wc_dns_rcode_str(h->rcode));
	const char *cn[] = {"QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT"};
	unsigned cv[] = {h->qdcount, h->ancount, h->nscount, h->arcount};
	for (int i = 0; i < 4; i++)
		fprintf(f, "<tr><td class=\"lbl\">%s</td><td colspan=\"16\" class=\"f-count\">%u</td></tr>\n", cn[i], cv[i]);
	fputs("</table>\n", f);
}

static void dns_message(FILE *f, const wc_pkt *pk, unsigned bad_frame, fields *fs, wc_dns_msg *m)
{
	char err[256] = "", a[64], b[64];
	int rc = wc_dns_parse(pk->payload, pk->len, m, err, sizeof(err));
	short *at;
	field *x;

	wc_pkt_src(pk, a, sizeof(a));
	wc_pkt_dst(pk, b, sizeof(b));
	fprintf(f, "<h4%s>Frame %u: %s %s &rarr; %s, %zu bytes%s</h4>\n",
		pk->frame == bad_frame ? " class=\"mark\"" : "", pk->frame, m->h.qr ? "response" : "query", a, b, pk->len,
		pk->frame == bad_frame ? " (the frame the failure names)" : "");
	if (rc < 0) {
		fputs("<p class=\"why\">malformed: ", f);
		esc(f, err);
		fputs("</p>\n", f);
	}
	dns_header_table(f, &m->h);
	fs->n = 0;
	if ((x = add(fs, 0, 2, "f-id", "ID")))
		snprintf(x->value, sizeof(x->value), "0x%04x", m->h.id);
	if ((x = add(fs, 2, 2, "f-flags", "flags")))
		snprintf(x->value, sizeof(x->value), "QR %u OPCODE %u AA %u TC %u RD %u RA %u Z %u RCODE %u (%s)", m->h.qr,
			 m->h.opcode, m->h.aa, m->h.tc, m->h.rd, m->h.ra, m->h.z, m->h.rcode, wc_dns_rcode_str(m->h.rcode));
	const char *cn[] = {"QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT"};
	unsigned cv[] = {m->h.qdcount, m->h.ancount, m->h.nscount, m->h.arcount};
	for (int i = 0; i < 4; i++)
		if ((x = add(fs, 4 + 2 * (size_t)i, 2, "f-count", cn[i])))
			snprintf(x->value, sizeof(x->value), "%u", cv[i]);
	for (size_t i = 0; i < m->nqd; i++) {
		const wc_dns_question *q = &m->qd[i];
		size_t o = q->name.off + q->name.wire_len;
		add_name(fs, &q->name, "f-qname", "QNAME");
		if ((x = add(fs, o, 2, "f-qtype", "QTYPE")))
			snprintf(x->value, sizeof(x->value), "%u%s", q->qtype, q->qtype == 1 ? " (A)" : "");
		if ((x = add(fs, o + 2, 2, "f-qclass", "QCLASS")))
			snprintf(x->value, sizeof(x->value), "%u%s", q->qclass, q->qclass == 1 ? " (IN)" : "");
	}
	for (size_t i = 0; i < m->nan; i++)
		add_rr(fs, m, &m->an[i], "answer", (int)i + 1);
	for (size_t i = 0; i < m->nns; i++)
		add_rr(fs, m, &m->ns[i], "authority", (int)i + 1);
	for (size_t i = 0; i < m->nar; i++)
		add_rr(fs, m, &m->ar[i], "additional", (int)i + 1);
	if (rc == 0 && m->end < pk->len && (x = add(fs, m->end, pk->len - m->end, "f-extra", "after the message")))
		snprintf(x->value, sizeof(x->value), "%zu bytes no count accounts for", pk->len - m->end);
	/* the hex, each byte coloured by the field it belongs to */
	at = malloc(pk->len * sizeof(*at) + 1);
	if (!at)
		return;
	for (size_t i = 0; i < pk->len; i++)
		at[i] = -1;
	for (int k = 0; k < fs->n; k++)
		for (size_t i = fs->f[k].off; i < fs->f[k].off + fs->f[k].len && i < pk->len; i++)
			at[i] = (short)k;
	fputs("<table class=\"hex\" aria-label=\"the message in hexadecimal, coloured by field\">\n", f);
	for (size_t row = 0; row < pk->len; row += 16) {
		fprintf(f, "<tr><td class=\"off\">%04zx</td><td>", row);
		for (size_t i = row; i < row + 16 && i < pk->len; i++) {
			int k = at[i];
			if (k >= 0)
				fprintf(f, "<span class=\"%s\" title=\"%s\">", fs->f[k].cls, fs->f[k].name);
			else
				fputs("<span>", f);
			fprintf(f, "%02x</span>%s", pk->payload[i], i % 16 == 7 ? "&nbsp; " : " ");
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	free(at);
	fputs("<table><tr><th scope=\"col\">offset</th><th scope=\"col\">bytes</th><th scope=\"col\">field</th>"
	      "<th scope=\"col\">value</th></tr>\n",
	      f);
	for (int k = 0; k < fs->n; k++) {
		const field *y = &fs->f[k];
		fprintf(f, "<tr><td class=\"num\">%zu</td><td><code>", y->off);
		for (size_t i = 0; i < y->len && i < 24 && y->off + i < pk->len; i++)
			fprintf(f, "%s%02x", i ? " " : "", pk->payload[y->off + i]);
		fprintf(f, "%s</code></td><td class=\"%s\">", y->len > 24 ? " &hellip;" : "", y->cls);
		esc(f, y->name);
		fputs("</td><td>", f);
		esc(f, y->value);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void dns_section(FILE *f, const wc_trace *t, unsigned bad_frame)
{
	wc_dns_msg *m = malloc(sizeof(*m));
	fields *fs = malloc(sizeof(*fs));
	int shown = 0, more = 0;

	if (!m || !fs)
		goto out;
	fputs("<h3>DNS messages</h3>\n<p class=\"legend\">", f);
	const char *lg[][2] = {{"f-id", "ID"},	     {"f-flags", "flags"}, {"f-count", "counts"}, {"f-qname", "QNAME"},
			       {"f-qtype", "QTYPE"}, {"f-qclass", "QCLASS"}, {"f-name", "NAME"},   {"f-ptr", "pointer"},
			       {"f-type", "TYPE"},   {"f-class", "CLASS"},   {"f-ttl", "TTL"},     {"f-rdlen", "RDLENGTH"},
			       {"f-rdata", "RDATA"}, {"f-extra", "extra bytes"}};
	for (size_t i = 0; i < sizeof(lg) / sizeof(lg[0]); i++)
		fprintf(f, "<span class=\"%s\">%s</span>", lg[i][0], lg[i][1]);
	fputs("</p>\n", f);
	for (size_t i = 0; i < t->n; i++) {
		const wc_pkt *pk = &t->pkts[i];
		if (pk->proto != IPPROTO_UDP)
			continue;
		if (pk->len < WC_DNS_HEADER_LEN) {
			fprintf(f, "<p>Frame %u: %zu bytes, shorter than a DNS header.</p>\n", pk->frame, pk->len);
			continue;
		}
		if (shown == DNS_MAX_MSGS) {
			more++;
			continue;
		}
		dns_message(f, pk, bad_frame, fs, m);
		shown++;
	}
	if (more)
		fprintf(f, "<p><small>%d more DNS messages not shown.</small></p>\n", more);
out:
	free(m);
	free(fs);
}

/* ---- HTTP responses as header tables ---- */

/* True when the failure summary names header 'name' ("A: Connection: missing"). */
static int named(const char *summary, const char *name, size_t len)
{
	for (const char *p = summary; *p; p++)
		if ((p == summary || !(isalnum((unsigned char)p[-1]) || p[-1] == '-')) && strncasecmp(p, name, len) == 0 &&
		    (p[len] == ':' || p[len] == ' ' || p[len] == 0))
			return 1;
	return 0;
}

static void preview(FILE *f, const uint8_t *p, size_t n, size_t max)
{
	fputs("<pre>", f);
	escn(f, p, n < max ? n : max);
	if (n > max)
		fprintf(f, "\n&hellip; (%zu bytes in all)", n);
	fputs("</pre>\n", f);
}

/* The header the summary names between its first ": " and the next ':', if the response lacks it. */
static void missing_named(FILE *f, const char *summary, const wc_http_head *h)
{
	const char *a = strstr(summary, ": "), *b;
	char name[64];

	if (!a || !(b = strchr(a + 2, ':')) || b - (a + 2) <= 0 || b - (a + 2) >= (long)sizeof(name))
		return;
	memcpy(name, a + 2, (size_t)(b - (a + 2)));
	name[b - (a + 2)] = 0;
	if (!wc_http_is_token(name, strlen(name)) || wc_http_find(h, name))
		return;
	fputs("<tr class=\"mark\"><td>", f);
	esc(f, name);
	fputs("</td><td>(missing: the failure names it)</td></tr>\n", f);
}

static void http_responses(FILE *f, const wc_stream *s, const char *summary)
{
	size_t off = 0;
	int shown = 0;

	while (off < s->len && shown < HTTP_MAX_MSGS) {
		wc_http_head h;
		char err[200] = "";
		const char *p = (const char *)wc_stream_at(s, off);
		int r = wc_http_parse_response(p, s->len - off, 0, &h, err, sizeof(err));
		size_t body;
		const wc_http_header *cl;
		uint64_t n;

		shown++;
		if (r < 0) {
			fprintf(f, "<p>From frame %u: %s</p>\n", wc_stream_frame_at(s, off),
				r == WC_HTTP_INCOMPLETE ? "an incomplete response head" : "not an HTTP response head: ");
			if (r != WC_HTTP_INCOMPLETE)
				esc(f, err);
			preview(f, wc_stream_at(s, off), s->len - off, 600);
			return;
		}
		fprintf(f, "<h4>Response in frame %u: <code>", wc_stream_frame_at(s, off));
		escn(f, p, strcspn(p, "\r\n") < (size_t)r ? strcspn(p, "\r\n") : (size_t)r);
		fputs("</code></h4>\n<table><tr><th scope=\"col\">header</th><th scope=\"col\">value</th></tr>\n", f);
		for (size_t k = 0; k < h.nheaders; k++) {
			const wc_http_header *x = &h.headers[k];
			int mk = summary && named(summary, x->name, x->name_len);
			fprintf(f, "<tr%s><td>", mk ? " class=\"mark\"" : "");
			escn(f, x->name, x->name_len);
			fputs("</td><td>", f);
			escn(f, x->value, x->value_len);
			fputs(mk ? " <small>(the failure names it)</small>" : "", f);
			fputs("</td></tr>\n", f);
		}
		if (summary)
			missing_named(f, summary, &h);
		fputs("</table>\n", f);
		off += (size_t)r;
		cl = wc_http_find(&h, "Content-Length");
		if (cl && wc_http_content_length(cl->value, cl->value_len, &n) == 0)
			body = n < s->len - off ? (size_t)n : s->len - off;
		else
			body = s->len - off;
		if (body)
			fprintf(f, "<p>Body: %zu bytes%s.</p>\n", body, cl ? "" : " (no Content-Length: up to the close)");
		off += body;
		if (!cl)
			break;
	}
}

static void http_requests(FILE *f, const wc_stream *s)
{
	size_t off = 0;
	int shown = 0;

	fputs("<ul>", f);
	while (off < s->len && shown++ < HTTP_MAX_MSGS) {
		wc_http_head h;
		const char *p = (const char *)wc_stream_at(s, off);
		int r = wc_http_parse_request(p, s->len - off, 0, &h, NULL, 0);
		size_t line = strcspn(p, "\r\n"), body = 0;
		const wc_http_header *cl;
		uint64_t n;

		fprintf(f, "<li>Request in frame %u: <code>", wc_stream_frame_at(s, off));
		escn(f, p, line < s->len - off ? line : s->len - off);
		fputs("</code>", f);
		if (r < 0) {
			fputs(r == WC_HTTP_INCOMPLETE ? " (incomplete)" : " (not a request head)", f);
			fputs("</li>", f);
			break;
		}
		fputs("</li>", f);
		off += (size_t)r;
		cl = wc_http_find(&h, "Content-Length");
		if (cl && wc_http_content_length(cl->value, cl->value_len, &n) == 0)
			body = n < s->len - off ? (size_t)n : s->len - off;
		off += body;
	}
	fputs("</ul>\n", f);
}

static void http_section(FILE *f, const wc_trace *t, const wc_verdict *v)
{
	wc_conn *conns = NULL;
	size_t n = 0;

	if (wc_tcp_reassemble(t, &conns, &n) < 0) {
		fputs("<p>Out of memory while reassembling the TCP streams.</p>\n", f);
		return;
	}
	fputs("<h3>HTTP exchanges</h3>\n", f);
	for (size_t i = 0; i < n && i < HTTP_MAX_CONNS; i++) {
		const wc_conn *c = &conns[i];
		fprintf(f, "<h4>Connection %zu: client port %u &rarr; server port %u%s</h4>\n", i + 1, c->cport, c->sport,
			c->down.rst || c->up.rst ? " (reset)" : "");
		if (c->up.len)
			http_requests(f, &c->up);
		http_responses(f, &c->down, v->outcome == WC_PASS ? NULL : v->summary);
		if (!c->down.len)
			fputs("<p>The server sent nothing on this connection.</p>\n", f);
	}
	if (n > HTTP_MAX_CONNS)
		fprintf(f, "<p><small>%zu more connections not shown.</small></p>\n", n - HTTP_MAX_CONNS);
	wc_conns_free(conns, n);
}

/* ---- the page ---- */

static const char *badge(const wc_job *job, const wc_verdict *v, const char **cls)
{
	if (job->sc->level == WC_INFO) {
		*cls = v->outcome == WC_PASS ? "b-infook" : "b-info";
		return v->outcome == WC_PASS ? "info" : v->outcome == WC_FAIL ? "INFO" : "ERROR";
	}
	if (wc_rep_warns(job, v)) {
		*cls = "b-warn";
		return "WARN";
	}
	*cls = v->outcome == WC_PASS ? "b-pass" : v->outcome == WC_FAIL ? "b-fail" : "b-error";
	return wc_outcome_str(v->outcome);
}

static void capture_views(FILE *f, const wc_job *job, const wc_verdict *v)
{
	wc_trace t;
	char err[512];

	if (!v->pcap[0])
		return;
	memset(&t, 0, sizeof(t));
	if (wc_trace_load(v->pcap, &t, err, sizeof(err)) < 0) {
		fputs("<p>The capture could not be read here: ", f);
		esc(f, err);
		fputs("</p>\n", f);
		return;
	}
	fputs("<h3>Sequence</h3>\n", f);
	seq_svg(f, &t, job->sc->lab, v->outcome == WC_PASS ? 0 : v->frame);
	if (!strcmp(job->sc->lab, "dns"))
		dns_section(f, &t, v->outcome == WC_PASS ? 0 : v->frame);
	else if (!strcmp(job->sc->lab, "http"))
		http_section(f, &t, v);
	wc_trace_free(&t);
}

/* Wireshark display filters for the failure: the frame, and the conversation's port. */
static void filters(FILE *f, const wc_verdict *v, const wc_job *job)
{
	const char *proto = job->lab ? (job->lab->proto == IPPROTO_TCP ? "tcp" : "udp")
				     : strstr(v->found, "tcp") ? "tcp" : "udp";
	unsigned port = 0;
	const char *p = strstr(v->found, "0.0.0.0:");

	if (!p)
		p = strstr(v->found, "127.0.0.1:");
	if (p)
		port = (unsigned)strtoul(strchr(p, ':') + 1, NULL, 10);
	fputs("<dt>Wireshark filters</dt><dd>", f);
	if (v->frame)
		fprintf(f, "<code>frame.number == %u</code> ", v->frame);
	if (port)
		fprintf(f, "<code>%s.port == %u</code>", proto, port);
	else
		fprintf(f, "<code>%s</code>", proto);
	fputs("</dd>\n", f);
}

static void scenario(FILE *f, const wc_job *job, const wc_verdict *v, int i)
{
	const wc_scenario *sc = job->sc;
	const char *cls, *b = badge(job, v, &cls);
	int open = v->outcome != WC_PASS;

	fprintf(f, "<details class=\"sc %s\" id=\"s%d\"%s><summary><span class=\"badge %s\">%s</span><strong>", 
		v->outcome == WC_PASS ? "pass" : sc->level == WC_INFO ? "info" : v->outcome == WC_FAIL ? "fail" : "error",
		i, open ? " open" : "", cls, b);
	esc(f, sc->lab);
	fputc('/', f);
	esc(f, job->label);
	fputs("</strong> &mdash; ", f);
	esc(f, sc->title);
	if (sc->level == WC_INFO)
		fputs("<span class=\"pts\">INFO, not graded</span>", f);
	else
		fprintf(f, "<span class=\"pts\">%s %d/%d</span>", wc_level_str(sc->level), wc_rep_score(job, v), sc->points);
	fputs("</summary>\n", f);
	if (wc_rep_pass_detail(v)) {
		/* passed on its subject; the faults it saw are graded elsewhere,
		 * the memory limit's kills are noted */
		fputs("<pre>", f);
		escn(f, v->detail.p, v->detail.len);
		fputs("</pre>\n", f);
	}
	if (v->outcome != WC_PASS) {
		fputs("<p class=\"why\">", f);
		esc(f, v->summary);
		fputs("</p>\n", f);
		if (v->detail.len) {
			fputs("<pre>", f);
			escn(f, v->detail.p, v->detail.len);
			fputs("</pre>\n", f);
		}
	}
	fputs("<dl class=\"facts\">\n<dt>scenario</dt><dd><code>", f);
	esc(f, sc->path);
	if (v->line)
		fprintf(f, ":%d", v->line);
	fputs("</code>", f);
	if (job->variant) {
		fputs(" (variant ", f);
		esc(f, job->variant);
		fputs(")", f);
	}
	fputs("</dd>\n", f);
	if (v->found[0]) {
		fputs("<dt>found</dt><dd>", f);
		esc(f, v->found);
		fputs("</dd>\n", f);
	}
	if (v->pcap[0]) {
		fputs("<dt>capture</dt><dd><code>", f);
		esc(f, v->pcap);
		fprintf(f, "</code> (%lu frames%s)", v->frames, v->drops ? ", some dropped" : "");
		if (v->frame && v->outcome != WC_PASS)
			fprintf(f, ", the fault in frame %u", v->frame);
		fputs("</dd>\n", f);
	}
	if (v->outcome != WC_PASS)
		filters(f, v, job);
	if (sc->ref[0]) {
		fputs("<dt>requirement</dt><dd>", f);
		esc(f, sc->ref);
		fputs("</dd>\n", f);
	}
	if (wc_rep_hint(job, v)[0] && v->outcome != WC_PASS) {
		fputs("<dt>hint</dt><dd>", f);
		esc(f, wc_rep_hint(job, v));
		fputs("</dd>\n", f);
	}
	fprintf(f, "<dt>time</dt><dd>%lld ms</dd>\n</dl>\n", (long long)v->ms);
	capture_views(f, job, v);
	fputs("</details>\n", f);
}

int wc_report_html(const wc_report_in *in, FILE *f)
{
	wc_rep_lab labs[WC_REP_MAX_LABS];
	wc_tally all;
	int nl = wc_rep_labs(in, labs, &all), nfail = 0;
	char ts[32];
	int pct = all.max_points ? all.points * 100 / all.max_points : 100;

	wc_rep_iso_time(in->started_s, ts, sizeof(ts));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>wirecheck: ",
	      f);
	esc(f, in->impl);
	fprintf(f, " %d/%d</title>\n<style>\n%s</style>\n</head>\n<body>\n", all.points, all.max_points, css);
	fputs("<a class=\"skip\" href=\"#failures\">Skip to the failures</a>\n<header>\n<h1>wirecheck report: ", f);
	esc(f, in->impl);
	fputs("</h1>\n<p>", f);
	if (in->student) {
		fputs("Student: <strong>", f);
		esc(f, in->student);
		fputs("</strong>. ", f);
	}
	fprintf(f, "Run started %s UTC, took %lld.%lld s.</p>\n</header>\n<main>\n", ts, in->ms / 1000,
		in->ms % 1000 / 100);
	fprintf(f,
		"<section aria-labelledby=\"sum\"><h2 id=\"sum\">Summary</h2>\n<div class=\"cards\">"
		"<div class=\"card\">score<b>%d/%d</b></div><div class=\"card\">passed<b>%d</b></div>"
		"<div class=\"card\">failed<b>%d</b></div>",
		all.points, all.max_points, all.passed, all.failed);
	if (all.errors)
		fprintf(f, "<div class=\"card\">harness errors<b>%d</b></div>", all.errors);
	if (all.info_passed + all.info_failed)
		fprintf(f, "<div class=\"card\">INFO (not graded)<b>%d/%d</b></div>", all.info_passed,
			all.info_passed + all.info_failed);
	fprintf(f, "</div>\n<div class=\"bar\" role=\"img\" aria-label=\"%d%% of the points\"><span style=\"width:%d%%\">"
		   "</span></div>\n",
		pct, pct);
	fputs("<table><caption>per lab</caption><tr><th scope=\"col\">lab</th><th scope=\"col\">points</th>"
	      "<th scope=\"col\">passed</th><th scope=\"col\">failed</th><th scope=\"col\">INFO as the reference</th>"
	      "</tr>\n",
	      f);
	for (int k = 0; k < nl; k++) {
		fprintf(f, "<tr><td><a href=\"#lab-%d\">", k);
		esc(f, labs[k].name);
		fprintf(f, "</a></td><td class=\"num\">%d/%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
			   "<td class=\"num\">%d/%d</td></tr>\n",
			labs[k].t.points, labs[k].t.max_points, labs[k].t.passed, labs[k].t.failed, labs[k].t.info_passed,
			labs[k].t.info_passed + labs[k].t.info_failed);
	}
	fputs("</table>\n", f);
	if (in->not_run > in->host_not_run)
		fprintf(f, "<p>Not run: %d scenarios of other variants or roles.</p>\n", in->not_run - in->host_not_run);
	if (in->host_not_run)
		fprintf(f, "<p>Not run in host mode: %d scenarios (%s).</p>\n", in->host_not_run,
			wc_rep_host_why(in));
	fputs("</section>\n<section aria-labelledby=\"failures\"><h2 id=\"failures\">Failures</h2>\n<ul>\n", f);
	for (int i = 0; i < in->n; i++) {
		const wc_verdict *v = &in->v[i];
		const wc_job *job = &in->jobs[i];
		if (v->outcome == WC_PASS)
			continue;
		nfail++;
		fprintf(f, "<li><a href=\"#s%d\">", i);
		esc(f, job->sc->lab);
		fputc('/', f);
		esc(f, job->label);
		fputs("</a>", f);
		fputs(job->sc->level == WC_INFO ? " (INFO, not graded)" : v->outcome == WC_ERROR ? " (harness error)" : "", f);
		fputs(": ", f);
		esc(f, v->summary);
		fputs("</li>\n", f);
	}
	if (!nfail)
		fputs("<li>None: every scenario passed.</li>\n", f);
	fputs("</ul>\n</section>\n", f);
	for (int k = 0; k < nl; k++) {
		fprintf(f, "<section aria-labelledby=\"lab-%d\"><h2 id=\"lab-%d\">", k, k);
		esc(f, labs[k].name);
		fprintf(f, " <small>%d/%d</small></h2>\n", labs[k].t.points, labs[k].t.max_points);
		for (int i = 0; i < in->n; i++)
			if (wc_rep_lab_of(labs, nl, &in->jobs[i]) == k)
				scenario(f, &in->jobs[i], &in->v[i], i);
		fputs("</section>\n", f);
	}
	fputs("</main>\n<footer>Made by wirecheck from the captures of this run; the pcap files open in "
	      "Wireshark with the filters shown.</footer>\n</body>\n</html>\n",
	      f);
	return 0;
}
