/* http.c - HTTP/1.x message heads parsed in place through a bounds-checked cursor, and the small shared pieces */
#include "http.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"

#define HEAD_MAX_DEFAULT (64 * 1024)

/* Writes a reason for WC_HTTP_BAD into err, when there is one. */
static int bad(char *err, size_t errlen, const char *why)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", why);
	return WC_HTTP_BAD;
}

/* The next byte without taking it, -1 at the end. */
static int peek(const wc_cur *c)
{
	return c->off < c->len ? c->p[c->off] : -1;
}

/* RFC 9110 5.6.2 tchar */
static int is_tchar(int b)
{
	if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
		return 1;
	return b > 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

/* Bytes allowed in a field value or a reason phrase: HT, SP, VCHAR, obs-text. */
static int is_text(int b)
{
	return b == '\t' || (b >= 0x20 && b != 0x7f);
}

/* Takes the bytes that satisfy pred; returns a view of them and their count. */
static size_t take_while(wc_cur *c, int (*pred)(int), const char **view)
{
	size_t n = 0, left = wc_cur_left(c);
	const uint8_t *v;

	while (n < left && pred(c->p[c->off + n]))
		n++;
	wc_cur_bytes(c, n, &v);
	*view = (const char *)v;
	return n;
}

/* Takes the byte b if it is next. */
static int take_byte(wc_cur *c, int b)
{
	if (peek(c) != b)
		return 0;
	return wc_cur_skip(c, 1) == 0;
}

static int is_digit(int b)
{
	return b >= '0' && b <= '9';
}

static int is_target_byte(int b)
{
	return b > 0x20 && b != 0x7f;
}

/*
 * One line of the head: its content (without the line end) as a sub-cursor.
 * Returns 0, WC_HTTP_INCOMPLETE when no LF is in sight. A CR is a line end
 * only right before the LF; bare_lf notes an LF alone.
 */
static int take_line(wc_cur *c, wc_cur *line, wc_http_head *h)
{
	size_t left = wc_cur_left(c), n;
	const uint8_t *p, *lf;

	if (!left)
		return WC_HTTP_INCOMPLETE;
	p = c->p + c->off;
	lf = memchr(p, '\n', left);
	if (!lf)
		return WC_HTTP_INCOMPLETE;
	n = (size_t)(lf - p);
	if (n && p[n - 1] == '\r') {
		wc_cur_sub(c, n - 1, line);
		wc_cur_skip(c, 2);
		return 0;
	}
	wc_cur_sub(c, n, line);
	if (!h->bare_lf) {
		h->bare_lf = 1;
		h->first_bare_lf = c->off;
	}
	wc_cur_skip(c, 1);
	return 0;
}

/* HTTP-version "HTTP/" DIGIT "." DIGIT. Returns 0 or -1. */
static int take_version(wc_cur *c, wc_http_head *h)
{
	const uint8_t *v;

	if (wc_cur_bytes(c, 8, &v) < 0 || memcmp(v, "HTTP/", 5) || !is_digit(v[5]) || v[6] != '.' || !is_digit(v[7]))
		return -1;
	h->major = v[5] - '0';
	h->minor = v[7] - '0';
	return 0;
}

/* method SP request-target SP HTTP-version */
static int request_line(wc_cur *l, wc_http_head *h, char *err, size_t errlen)
{
	h->method_len = take_while(l, is_tchar, &h->method);
	if (!h->method_len)
		return bad(err, errlen, "request line: no method");
	if (!take_byte(l, ' '))
		return bad(err, errlen, "request line: method not followed by one space");
	h->target_len = take_while(l, is_target_byte, &h->target);
	if (!h->target_len)
		return bad(err, errlen, "request line: no target");
	if (!take_byte(l, ' '))
		return bad(err, errlen, "request line: target not followed by one space");
	if (take_version(l, h) < 0)
		return bad(err, errlen, "request line: no version HTTP/x.y");
	if (wc_cur_left(l))
		return bad(err, errlen, "request line: bytes after the version");
	return 0;
}

/* HTTP-version SP 3DIGIT [SP reason-phrase]; the SP before an empty reason may lack */
static int status_line(wc_cur *l, wc_http_head *h, char *err, size_t errlen)
{
	const uint8_t *d;

	if (take_version(l, h) < 0)
		return bad(err, errlen, "status line: no version HTTP/x.y");
	if (!take_byte(l, ' '))
		return bad(err, errlen, "status line: version not followed by one space");
	if (wc_cur_bytes(l, 3, &d) < 0 || !is_digit(d[0]) || !is_digit(d[1]) || !is_digit(d[2]))
		return bad(err, errlen, "status line: no 3-digit status code");
	h->status = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
	h->reason = (const char *)l->p + l->off;
	h->reason_len = 0;
	if (!wc_cur_left(l))
		return 0;
	if (!take_byte(l, ' '))
		return bad(err, errlen, "status line: status code not followed by a space");
	h->reason_len = take_while(l, is_text, &h->reason);
	if (wc_cur_left(l))
		return bad(err, errlen, "status line: control byte in the reason phrase");
	return 0;
}

static int is_blank(int b)
{
	return b == ' ' || b == '\t';
}

/* field-name ":" OWS field-value OWS */
static int header_line(wc_cur *l, wc_http_head *h, char *err, size_t errlen)
{
	wc_http_header *f;
	const char *blanks;
	size_t n;

	if (is_blank(peek(l)))
		return bad(err, errlen, "header line starts with a blank (obsolete line folding)");
	if (h->nheaders >= WC_HTTP_MAX_HEADERS)
		return bad(err, errlen, "too many header lines");
	f = &h->headers[h->nheaders];
	f->name_len = take_while(l, is_tchar, &f->name);
	if (!f->name_len)
		return bad(err, errlen, "header line without a name");
	if (!take_byte(l, ':'))
		return bad(err, errlen, is_blank(peek(l)) ? "blank between a header name and its colon"
							  : "header name with a byte not allowed in a token");
	take_while(l, is_blank, &blanks);
	f->value_len = take_while(l, is_text, &f->value);
	if (wc_cur_left(l))
		return bad(err, errlen, "control byte in a header value");
	for (n = f->value_len; n && is_blank((unsigned char)f->value[n - 1]); n--)
		;
	f->value_len = n;
	h->nheaders++;
	return 0;
}

static int parse(int request, const char *buf, size_t len, size_t max, wc_http_head *h, char *err, size_t errlen)
{
	wc_cur c, line;
	int rc;

	memset(h, 0, sizeof(*h));
	if (err && errlen)
		err[0] = 0;
	if (!max)
		max = HEAD_MAX_DEFAULT;
	if (max > INT_MAX)
		max = INT_MAX;
	wc_cur_init(&c, buf, len < max ? len : max);
	/* a server ignores empty lines before a request line (RFC 9112 2.2) */
	while (request && (peek(&c) == '\r' || peek(&c) == '\n')) {
		size_t at = c.off;
		rc = take_line(&c, &line, h);
		if (rc)
			goto more;
		if (wc_cur_left(&line)) {
			c.off = at;
			break;
		}
	}
	rc = take_line(&c, &line, h);
	if (rc)
		goto more;
	rc = request ? request_line(&line, h, err, errlen) : status_line(&line, h, err, errlen);
	if (rc)
		return rc;
	for (;;) {
		rc = take_line(&c, &line, h);
		if (rc)
			goto more;
		if (!wc_cur_left(&line))
			return (int)c.off;
		rc = header_line(&line, h, err, errlen);
		if (rc)
			return rc;
	}
more:
	if (len >= max) {
		char why[64];
		snprintf(why, sizeof(why), "head longer than %zu bytes", max);
		return bad(err, errlen, why);
	}
	return WC_HTTP_INCOMPLETE;
}

int wc_http_parse_request(const char *buf, size_t len, size_t max, wc_http_head *h, char *err, size_t errlen)
{
	return parse(1, buf, len, max, h, err, errlen);
}

int wc_http_parse_response(const char *buf, size_t len, size_t max, wc_http_head *h, char *err, size_t errlen)
{
	return parse(0, buf, len, max, h, err, errlen);
}

static int name_is(const wc_http_header *f, const char *name)
{
	size_t n = strlen(name);
	return f->name_len == n && !strncasecmp(f->name, name, n);
}

const wc_http_header *wc_http_find(const wc_http_head *h, const char *name)
{
	for (size_t i = 0; i < h->nheaders && i < WC_HTTP_MAX_HEADERS; i++)
		if (name_is(&h->headers[i], name))
			return &h->headers[i];
	return NULL;
}

int wc_http_count(const wc_http_head *h, const char *name)
{
	int n = 0;

	for (size_t i = 0; i < h->nheaders && i < WC_HTTP_MAX_HEADERS; i++)
		n += name_is(&h->headers[i], name);
	return n;
}

int wc_http_has_token(const char *value, size_t len, const char *token)
{
	size_t tl = strlen(token), i = 0, start, end;

	while (i <= len) {
		start = i;
		while (i < len && value[i] != ',')
			i++;
		end = i;
		while (start < end && is_blank((unsigned char)value[start]))
			start++;
		while (end > start && is_blank((unsigned char)value[end - 1]))
			end--;
		if (end - start == tl && tl && !strncasecmp(value + start, token, tl))
			return 1;
		i++;
	}
	return 0;
}

int wc_http_is_token(const char *value, size_t len)
{
	if (!value || !len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_tchar((unsigned char)value[i]))
			return 0;
	return 1;
}

int wc_http_content_length(const char *value, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;

	*out = 0;
	if (!value || !len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit((unsigned char)value[i]))
			return -1;
		d = (unsigned)(value[i] - '0');
		if (v > ((uint64_t)INT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static const char WDAY[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char MON[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* n decimal digits of v at p, zero-padded. */
static char *put_num(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

void wc_http_date(time_t t, char out[30])
{
	struct tm tm;
	char *p = out;

	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		/* no IMF-fixdate for it: the epoch rather than a malformed date */
		t = 0;
		gmtime_r(&t, &tm);
	}
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	memcpy(p, WDAY[tm.tm_wday % 7], 3);
	memcpy(p + 3, ", ", 2);
	p = put_num(p + 5, tm.tm_mday, 2);
	*p++ = ' ';
	memcpy(p, MON[tm.tm_mon % 12], 3);
	p += 3;
	*p++ = ' ';
	p = put_num(p, tm.tm_year + 1900, 4);
	*p++ = ' ';
	p = put_num(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_num(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_num(p, tm.tm_sec, 2);
	memcpy(p, " GMT", 5);
}

/* n decimal digits at s, value in [lo, hi]. Returns it or -1. */
static int digits(const char *s, int n, int lo, int hi)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= lo && v <= hi ? v : -1;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int wc_http_parse_date(const char *s, size_t len, time_t *out)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm, back;
	int wday = -1, mon = -1, day, year, hour, min, sec;
	time_t t;

	*out = 0;
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (!s || len != 29 || memcmp(s + 3, ", ", 2) || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
	    s[19] != ':' || s[22] != ':' || memcmp(s + 25, " GMT", 4))
		return -1;
	for (int i = 0; i < 7; i++)
		if (!memcmp(s, WDAY[i], 3))
			wday = i;
	for (int i = 0; i < 12; i++)
		if (!memcmp(s + 8, MON[i], 3))
			mon = i;
	day = digits(s + 5, 2, 1, 31);
	year = digits(s + 12, 4, 0, 9999);
	hour = digits(s + 17, 2, 0, 23);
	min = digits(s + 20, 2, 0, 59);
	sec = digits(s + 23, 2, 0, 59);
	if (wday < 0 || mon < 0 || day < 0 || year < 0 || hour < 0 || min < 0 || sec < 0)
		return -1;
	if (day > mdays[mon] + (mon == 1 && is_leap(year)))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (!gmtime_r(&t, &back) || back.tm_wday != wday || back.tm_mday != day)
		return -1;
	*out = t;
	return 0;
}

static int hexval(int b)
{
	if (b >= '0' && b <= '9')
		return b - '0';
	if (b >= 'a' && b <= 'f')
		return b - 'a' + 10;
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

/* Moves c past "scheme://authority" of an absolute-form target (RFC 9112
 * 3.2.2), so that its path follows. Returns 1 when it was one. */
static int skip_authority(wc_cur *c)
{
	static const char *const schemes[] = {"http://", "https://"};
	const uint8_t *v;

	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(schemes[i]);
		if (wc_cur_left(c) >= n && !strncasecmp((const char *)c->p + c->off, schemes[i], n)) {
			wc_cur_skip(c, n);
			while (peek(c) >= 0 && peek(c) != '/' && peek(c) != '?' && peek(c) != '#')
				wc_cur_bytes(c, 1, &v);
			return 1;
		}
	}
	return 0;
}

/* Ends the segment out[seg..seg+sl) written after the kept path out[0..*pos):
 * drops it ("", "."), climbs (".."), or keeps it. Returns 0, -1 above the root. */
static int end_segment(char *out, size_t *pos, size_t seg, size_t sl)
{
	if (sl == 0 || (sl == 1 && out[seg] == '.'))
		return 0;
	if (sl == 2 && out[seg] == '.' && out[seg + 1] == '.') {
		if (*pos == 0)
			return -1;
		while (*pos > 0 && out[*pos - 1] != '/')
			(*pos)--;
		if (*pos > 0)
			(*pos)--; /* the '/' before the dropped segment */
		return 0;
	}
	if (*pos > 0)
		out[*pos] = '/';
	*pos = seg + sl;
	return 0;
}

int wc_http_target_path(const char *target, size_t len, char *out, size_t outlen)
{
	wc_cur c;
	size_t pos = 0, seg, sl = 0;
	uint8_t b, hi, lo;
	int abs;

	if (!out || !outlen)
		return -1;
	out[0] = 0;
	wc_cur_init(&c, target, len);
	abs = skip_authority(&c);
	if (abs && (!wc_cur_left(&c) || peek(&c) == '?' || peek(&c) == '#')) {
		/* "http://host" alone: the root */
		return 0;
	}
	if (!take_byte(&c, '/'))
		return -1;
	seg = 0;
	while (wc_cur_u8(&c, &b) == 0) {
		if (b == '?' || b == '#')
			break;
		if (b == 0)
			return -1;
		if (b == '%') {
			int h, l;
			if (wc_cur_u8(&c, &hi) < 0 || wc_cur_u8(&c, &lo) < 0)
				return -1;
			h = hexval(hi);
			l = hexval(lo);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return -1;
			b = (uint8_t)(h << 4 | l);
		}
		if (b == '/') {
			if (end_segment(out, &pos, seg, sl) < 0)
				return -1;
			seg = pos + (pos > 0);
			sl = 0;
			continue;
		}
		if (seg + sl + 1 >= outlen)
			return -1;
		out[seg + sl++] = (char)b;
	}
	if (end_segment(out, &pos, seg, sl) < 0)
		return -1;
	if (pos > INT_MAX - 1)
		return -1;
	out[pos] = 0;
	return (int)pos;
}

static const struct {
	const char *ext;
	const char *type;
} MEDIA[] = {
	{"html", "text/html"},
	{"htm", "text/html"},
	{"txt", "text/plain"},
	{"css", "text/css"},
	{"js", "text/javascript"},
	{"mjs", "text/javascript"},
	{"json", "application/json"},
	{"xml", "application/xml"},
	{"csv", "text/csv"},
	{"md", "text/markdown"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"svg", "image/svg+xml"},
	{"ico", "image/x-icon"},
	{"webp", "image/webp"},
	{"pdf", "application/pdf"},
	{"zip", "application/zip"},
	{"gz", "application/gzip"},
	{"wasm", "application/wasm"},
	{"mp3", "audio/mpeg"},
	{"mp4", "video/mp4"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
	{"bin", "application/octet-stream"},
};

const char *wc_http_media_type(const char *path)
{
	const char *slash, *dot;

	if (!path)
		return "application/octet-stream";
	slash = strrchr(path, '/');
	dot = strrchr(slash ? slash + 1 : path, '.');
	if (dot && dot[1])
		for (size_t i = 0; i < sizeof(MEDIA) / sizeof(MEDIA[0]); i++)
			if (!strcasecmp(dot + 1, MEDIA[i].ext))
				return MEDIA[i].type;
	return "application/octet-stream";
}

const char *wc_http_reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}
