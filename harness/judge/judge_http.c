/* judge_http.c - an HTTP response judged from its bytes (LABS.md 4): status line, CRLF,
 * the six headers as a table of expected vs got, the body against the file */
#include "judge/judge_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "judge/compare.h"
#include "judge/faults.h"
#include "hexdump.h"
#include "http.h"

typedef struct hjudge {
	const wc_http_want *w;
	wc_buf *out;
	wc_faults *f;
} hjudge;

/* A fault; 1 when it counts against the scenario (faults.h), 0 when it is a finding. */
#define fault(j, id, ...) wc_fault((j)->f, id, __VA_ARGS__)

/* One header's row: name, what is wanted, what came, and whether it is right. */
static void row(hjudge *j, const char *id, const char *name, const wc_http_header *h, const char *want,
		const char *why)
{
	char got[200];

	if (h)
		snprintf(got, sizeof(got), "'%.*s'", (int)(h->value_len > 150 ? 150 : h->value_len), h->value);
	else
		snprintf(got, sizeof(got), "(missing)");
	wc_buf_printf(j->out, "  %-15s %-34s %s%s%s\n", name, want, got, why ? "   <-- " : "", why ? why : "");
	if (why)
		fault(j, id, "%s: %s", name, why);
}

/* The one header named 'name'; a second one of the same name is a fault. */
static const wc_http_header *one(hjudge *j, const char *id, const wc_http_head *h, const char *name)
{
	if (wc_http_count(h, name) > 1)
		fault(j, id, "%s: sent %d times", name, wc_http_count(h, name));
	return wc_http_find(h, name);
}

static void human_span(long long s, char *buf, size_t n)
{
	long long a = s < 0 ? -s : s;

	if (a >= 3600)
		snprintf(buf, n, "%lld h %02lld min %s", a / 3600, a % 3600 / 60, s < 0 ? "behind" : "ahead of");
	else
		snprintf(buf, n, "%lld s %s", a, s < 0 ? "behind" : "ahead of");
}

static void date_row(hjudge *j, const wc_http_header *h)
{
	char want[64], why[200], span[64], now[30];
	time_t t, wire = (time_t)(j->w->wire_us / 1000000);

	wc_http_date(wire, now);
	snprintf(want, sizeof(want), "%s +-%ds", now, WC_HTTP_DATE_SLACK);
	if (!h) {
		row(j, "http/date", "Date", h, want, "missing");
		return;
	}
	if (wc_http_parse_date(h->value, h->value_len, &t) < 0) {
		row(j, "http/date", "Date", h, want, "not an IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT)");
		return;
	}
	if (t - wire > WC_HTTP_DATE_SLACK || wire - t > WC_HTTP_DATE_SLACK + 1) {
		long long d = (long long)(t - wire), ad = d < 0 ? -d : d, q = ad % 900;
		/* off by a whole number of quarter hours: a time zone's offset */
		int zone = ad >= 900 && (q <= WC_HTTP_DATE_SLACK + 1 || q >= 900 - WC_HTTP_DATE_SLACK - 1);
		human_span(d, span, sizeof(span));
		snprintf(why, sizeof(why), "%s the capture's clock%s", span,
			 zone ? ": local time labelled GMT? (use time.gmtime / formatdate(usegmt=True))" : "");
		row(j, "http/date", "Date", h, want, why);
		return;
	}
	row(j, "http/date", "Date", h, want, NULL);
}

static void last_modified_row(hjudge *j, const wc_http_header *h)
{
	char want[40];
	time_t t;

	wc_http_date(j->w->mtime, want);
	if (!h)
		row(j, "http/last-modified", "Last-Modified", h, want, "missing");
	else if (wc_http_parse_date(h->value, h->value_len, &t) < 0)
		row(j, "http/last-modified", "Last-Modified", h, want, "not an IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT)");
	else if (t != j->w->mtime)
		row(j, "http/last-modified", "Last-Modified", h, want, "not the file's modification time (os.path.getmtime, in GMT)");
	else
		row(j, "http/last-modified", "Last-Modified", h, want, NULL);
}

static void length_row(hjudge *j, const wc_http_header *h, uint64_t *cl, int *have_cl)
{
	char want[64], why[160];

	snprintf(want, sizeof(want), "%zu (the file's bytes)", j->w->body_len);
	*have_cl = h && wc_http_content_length(h->value, h->value_len, cl) == 0;
	if (!h) {
		row(j, "http/content-length", "Content-Length", h, want, "missing");
	} else if (!*have_cl) {
		row(j, "http/content-length", "Content-Length", h, want, "not a number of bytes");
	} else if (*cl != j->w->body_len) {
		snprintf(why, sizeof(why), "%llu is not the file's size%s", (unsigned long long)*cl,
			 *cl < j->w->body_len ? " (the file read as text: characters counted, or line ends changed?)"
					      : "");
		row(j, "http/content-length", "Content-Length", h, want, why);
	} else {
		row(j, "http/content-length", "Content-Length", h, want, NULL);
	}
}

static void type_row(hjudge *j, const wc_http_header *h)
{
	const char *want = wc_http_media_type(j->w->file);
	size_t wn = strlen(want), n;
	char why[100];

	if (!h) {
		row(j, "http/content-type", "Content-Type", h, want, "missing");
		return;
	}
	/* the media type, before any parameter (; charset=utf-8) */
	n = h->value_len;
	for (size_t i = 0; i < h->value_len; i++)
		if (h->value[i] == ';' || h->value[i] == ' ') {
			n = i;
			break;
		}
	if (n != wn || strncasecmp(h->value, want, n)) {
		snprintf(why, sizeof(why), "not the type of '%s'", j->w->file);
		row(j, "http/content-type", "Content-Type", h, want, why);
	} else {
		row(j, "http/content-type", "Content-Type", h, want, NULL);
	}
}

/* Connection: a token list holding keep-alive or close; the connection then does what it says. */
static void connection_row(hjudge *j, const wc_http_header *h, int closed)
{
	const char *want = "keep-alive or close";

	if (!h) {
		row(j, "http/connection", "Connection", h, want, "missing");
	} else if (wc_http_has_token(h->value, h->value_len, "close")) {
		row(j, "http/connection", "Connection", h, want,
		    closed ? NULL : "says close, but the connection stayed open");
	} else if (wc_http_has_token(h->value, h->value_len, "keep-alive")) {
		row(j, "http/keep-alive", "Connection", h, want,
		    closed ? "says keep-alive, but the server closed the connection" : NULL);
	} else {
		row(j, "http/connection", "Connection", h, want,
		    wc_http_is_token(h->value, h->value_len) ? "neither keep-alive nor close" : "not a token");
	}
}

static int status_ok(const wc_http_want *w, int status)
{
	if (w->nstatuses == 0)
		return 1;
	for (int i = 0; i < w->nstatuses; i++)
		if (w->statuses[i] == status)
			return 1;
	return 0;
}

static void statuses_str(const wc_http_want *w, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < w->nstatuses && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%d %s", i ? " or " : "", w->statuses[i],
				      wc_http_reason(w->statuses[i]));
}

int wc_judge_http(const wc_http_want *w, const uint8_t *p, size_t len, int closed, size_t *used, wc_buf *detail,
		  char *summary, size_t slen)
{
	wc_faults all, *f = w->faults;
	hjudge j;
	wc_http_head h;
	char err[160], want[200];
	int rc;
	uint64_t cl = 0;
	int have_cl = 0;
	size_t body, head;

	if (!f) {
		wc_faults_init(&all, NULL, NULL, 0, 0, summary, slen);
		f = &all;
	} else {
		f->summary = summary;
		f->slen = slen;
		summary[0] = 0;
	}
	j.w = w;
	j.out = detail;
	j.f = f;
	*used = len;
	if (w->canary && len >= strlen(w->canary) && memmem(p, len, w->canary, strlen(w->canary))) {
		fault(&j, "http/outside-folder", "served a file from outside its folder (the harness's %s beside it)",
		      "secret.html");
		wc_buf_str(detail, "  no path may lead out of the server's folder: not with '..', not with %2e%2e, not "
				   "through a symbolic link\n");
		return -1;
	}
	rc = wc_http_parse_response((const char *)p, len, 0, &h, err, sizeof(err));
	if (rc == WC_HTTP_INCOMPLETE || rc < 0) {
		if (rc == WC_HTTP_INCOMPLETE)
			fault(&j, "http/malformed", "the response head never ended (no empty line after the headers) in "
			      "%zu bytes", len);
		else
			fault(&j, "http/malformed", "not an HTTP response: %s", err);
		wc_buf_str(detail, "  got: ");
		wc_quote(detail, p, len, 200);
		wc_buf_str(detail, "\n");
		return -1;
	}
	head = (size_t)rc;
	/* the body as the response frames it */
	if (w->head || h.status / 100 == 1 || h.status == 204 || h.status == 304)
		body = 0;
	else if (wc_http_find(&h, "content-length") &&
		 wc_http_content_length(wc_http_find(&h, "content-length")->value,
					wc_http_find(&h, "content-length")->value_len, &cl) == 0)
		body = cl < len - head ? (size_t)cl : len - head;
	else
		body = len - head;
	/* a wrong Content-Length is its own fault: the file's bytes, whole, are still the body */
	if (w->file && !w->head && (body != w->body_len || memcmp(p + head, w->body, body)) &&
	    len - head >= w->body_len && !memcmp(p + head, w->body, w->body_len))
		body = w->body_len;
	*used = head + body;

	{
		const uint8_t *eol = memchr(p, '\n', head);
		size_t n = eol ? (size_t)(eol - p) : 0;
		if (n && p[n - 1] == '\r')
			n--;
		wc_buf_str(detail, "  status line: ");
		wc_quote(detail, p, n, 120);
		wc_buf_str(detail, "\n");
	}
	/* the form of the head is judged, and the judging goes on: every fault of
	 * the message is seen, the first that counts names the failure */
	if (h.major != 1)
		fault(&j, "http/status-line", "status line: version HTTP/%d.%d, expected HTTP/1.x", h.major, h.minor);
	if (h.reason_len == 0)
		fault(&j, "http/status-line", "status line: no reason phrase after the status %d (HTTP/1.x NNN Reason, "
		      "as '%d %s')", h.status, h.status, wc_http_reason(h.status)[0] ? wc_http_reason(h.status) : "OK");
	if (!status_ok(w, h.status)) {
		statuses_str(w, want, sizeof(want));
		fault(&j, "http/status", "status %d %.*s, expected %s", h.status, (int)h.reason_len, h.reason, want);
		return -1;
	}
	if (h.bare_lf)
		fault(&j, "http/crlf", "line ends: byte %zu ends a line of the head with LF alone; HTTP ends lines with "
		      "CRLF (\\r\\n)", h.first_bare_lf);
	if (w->file) {
		const wc_http_header *server = one(&j, "http/server", &h, "server");
		wc_buf_printf(detail, "  %-15s %-34s %s\n", "header", "expected", "got");
		date_row(&j, one(&j, "http/date", &h, "date"));
		row(&j, "http/server", "Server", server, "a name",
		    server && server->value_len == 0 ? "empty" : server ? NULL : "missing");
		last_modified_row(&j, one(&j, "http/last-modified", &h, "last-modified"));
		length_row(&j, one(&j, "http/content-length", &h, "content-length"), &cl, &have_cl);
		type_row(&j, one(&j, "http/content-type", &h, "content-type"));
		if (w->conn)
			connection_row(&j, one(&j, "http/connection", &h, "connection"),
				       closed);
		if (f->bad)
			return -1;
	} else if (w->headers) {
		/* no file to compare with: each header there and well formed */
		const wc_http_header *server = one(&j, "http/server", &h, "server"),
				     *lm = one(&j, "http/last-modified", &h, "last-modified"),
				     *clh = one(&j, "http/content-length", &h, "content-length"),
				     *ct = one(&j, "http/content-type", &h, "content-type");
		time_t t;
		char lenwant[64];
		wc_buf_printf(detail, "  %-15s %-34s %s\n", "header", "expected", "got");
		date_row(&j, one(&j, "http/date", &h, "date"));
		row(&j, "http/server", "Server", server, "a name",
		    server && server->value_len == 0 ? "empty" : server ? NULL : "missing");
		row(&j, "http/last-modified", "Last-Modified", lm, "an IMF-fixdate",
		    !lm ? "missing" : wc_http_parse_date(lm->value, lm->value_len, &t) < 0 ? "not an IMF-fixdate" : NULL);
		snprintf(lenwant, sizeof(lenwant), "%s", w->head ? "the length GET would send" : "");
		if (!w->head)
			snprintf(lenwant, sizeof(lenwant), "%zu (the body's bytes)", body);
		row(&j, "http/content-length", "Content-Length", clh, lenwant,
		    !clh ? "missing" : wc_http_content_length(clh->value, clh->value_len, &cl) < 0 ? "not a number of bytes"
		    : !w->head && cl != body ? "not the length of the body that came" : NULL);
		row(&j, "http/content-type", "Content-Type", ct, "a media type", ct ? NULL : "missing");
		connection_row(&j, one(&j, "http/connection", &h, "connection"), closed);
		if (f->bad)
			return -1;
	} else if (w->conn) {
		wc_buf_printf(detail, "  %-15s %-34s %s\n", "header", "expected", "got");
		connection_row(&j, one(&j, "http/connection", &h, "connection"), closed);
		if (f->bad)
			return -1;
	}
	if (w->head) {
		if (len > head) {
			int counts = fault(&j, "http/head-body", "the response to HEAD carried %zu bytes of body; HEAD gets "
				      "the headers only", len - head);
			wc_buf_str(detail, "  after the head: ");
			wc_quote(detail, p + head, len - head, 72);
			wc_buf_str(detail, "\n");
			*used = len;
			return counts ? -1 : 0;
		}
		return 0;
	}
	if (w->file) {
		if (body == w->body_len && !memcmp(p + head, w->body, body))
			return f->bad ? -1 : 0;
		if (have_cl && cl > len - head) {
			fault(&j, "http/body", "body: %zu of the %llu bytes came%s", len - head, (unsigned long long)cl,
			      closed ? ", then the server closed the connection" : "");
			wc_compare_bytes(detail, w->body, w->body_len, p + head, len - head);
			return -1;
		}
		{
			long d = wc_first_difference(w->body, w->body_len, p + head, body);
			fault(&j, "http/body", "body differs from %s at byte %ld", w->file, d);
			wc_compare_bytes(detail, w->body, w->body_len, p + head, body);
			return -1;
		}
	}
	return f->bad ? -1 : 0;
}
