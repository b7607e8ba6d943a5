/* test_http.c - HTTP heads parsed in place at every split point, IMF-fixdates, safe paths, media types */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "http.h"

static const char REQ[] = "GET /index.html?x=1 HTTP/1.1\r\n"
			  "Host: localhost:12000\r\n"
			  "User-Agent:   curl/7.88.1  \r\n"
			  "Accept: */*\r\n"
			  "Connection:\tkeep-alive, Upgrade\t\r\n"
			  "X-Empty:\r\n"
			  "\r\n";

static const char RESP[] = "HTTP/1.0 404 Not Found\r\n"
			   "Content-Length: 9\r\n"
			   "Content-Type: text/html\r\n"
			   "\r\n"
			   "not found";

/* The last guarded copy, kept until the next parse so that the views stay readable. */
static const char *last;
static size_t last_len;

static const char *guarded(const char *s, size_t len)
{
	if (last)
		guard_free(last, last_len);
	last = guard_copy(s, len);
	last_len = len;
	return last;
}

/* Parses s[0..len) from a guarded copy, so any over-read faults. */
static int parse_req(const char *s, size_t len, wc_http_head *h, char *err, size_t errlen)
{
	const char *p = guarded(s, len);
	int rc = wc_http_parse_request(p, len, 0, h, err, errlen);
	/* the views point into the copy: check them before it goes */
	for (size_t i = 0; rc >= 0 && i < h->nheaders; i++) {
		assert_true(h->headers[i].name >= p && h->headers[i].name + h->headers[i].name_len <= p + len);
		assert_true(h->headers[i].value >= p && h->headers[i].value + h->headers[i].value_len <= p + len);
	}
	return rc;
}

static int parse_resp(const char *s, size_t len, wc_http_head *h, char *err, size_t errlen)
{
	return wc_http_parse_response(guarded(s, len), len, 0, h, err, errlen);
}

static int bad_req(const char *s)
{
	wc_http_head h;
	char err[128] = "";
	int rc = parse_req(s, strlen(s), &h, err, sizeof(err));
	if (rc == WC_HTTP_BAD)
		assert_true(err[0] != 0);
	return rc == WC_HTTP_BAD;
}

static int bad_resp(const char *s)
{
	wc_http_head h;
	char err[128] = "";
	int rc = parse_resp(s, strlen(s), &h, err, sizeof(err));
	if (rc == WC_HTTP_BAD)
		assert_true(err[0] != 0);
	return rc == WC_HTTP_BAD;
}

static void assert_view(const char *p, size_t n, const char *want)
{
	assert_int_equal(n, strlen(want));
	assert_memory_equal(p, want, n);
}

static void test_request(void **state)
{
	wc_http_head h;
	const wc_http_header *f;
	char err[128];
	(void)state;

	assert_int_equal(wc_http_parse_request(REQ, strlen(REQ), 0, &h, err, sizeof(err)), (int)strlen(REQ));
	assert_view(h.method, h.method_len, "GET");
	assert_view(h.target, h.target_len, "/index.html?x=1");
	assert_int_equal(h.major, 1);
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.nheaders, 5);
	assert_int_equal(h.bare_lf, 0);
	f = wc_http_find(&h, "user-agent");
	assert_non_null(f);
	assert_view(f->name, f->name_len, "User-Agent");
	assert_view(f->value, f->value_len, "curl/7.88.1");
	f = wc_http_find(&h, "CONNECTION");
	assert_non_null(f);
	assert_view(f->value, f->value_len, "keep-alive, Upgrade");
	assert_true(wc_http_has_token(f->value, f->value_len, "upgrade"));
	assert_true(wc_http_has_token(f->value, f->value_len, "Keep-Alive"));
	assert_false(wc_http_has_token(f->value, f->value_len, "close"));
	f = wc_http_find(&h, "x-empty");
	assert_non_null(f);
	assert_int_equal(f->value_len, 0);
	assert_null(wc_http_find(&h, "Content-Length"));
	assert_null(wc_http_find(&h, "Hos"));
	assert_int_equal(wc_http_count(&h, "host"), 1);
	assert_int_equal(wc_http_count(&h, "cookie"), 0);
}

static void test_response(void **state)
{
	wc_http_head h;
	const wc_http_header *f;
	uint64_t cl;
	size_t head = strlen(RESP) - 9;
	(void)state;

	assert_int_equal(parse_resp(RESP, strlen(RESP), &h, NULL, 0), (int)head);
	assert_int_equal(h.status, 404);
	assert_view(h.reason, h.reason_len, "Not Found");
	assert_int_equal(h.major, 1);
	assert_int_equal(h.minor, 0);
	f = wc_http_find(&h, "content-length");
	assert_non_null(f);
	assert_int_equal(wc_http_content_length(f->value, f->value_len, &cl), 0);
	assert_int_equal(cl, 9);
	/* an empty reason, with or without its space */
	assert_int_equal(parse_resp("HTTP/1.1 200 \r\n\r\n", 17, &h, NULL, 0), 17);
	assert_int_equal(h.reason_len, 0);
	assert_int_equal(parse_resp("HTTP/1.1 204\r\n\r\n", 16, &h, NULL, 0), 16);
	assert_int_equal(h.status, 204);
	assert_int_equal(h.reason_len, 0);
	/* a reason may hold spaces and tabs */
	assert_int_equal(parse_resp("HTTP/1.1 200 O K\tfine\n\n", 23, &h, NULL, 0), 23);
	assert_view(h.reason, h.reason_len, "O K\tfine");
}

/* Every proper prefix of a valid head is INCOMPLETE, never BAD. */
static void each_split(const char *s, size_t len, int request)
{
	wc_http_head h;
	char err[128];
	int full;

	full = request ? parse_req(s, len, &h, err, sizeof(err)) : parse_resp(s, len, &h, err, sizeof(err));
	assert_true(full > 0);
	for (size_t i = 0; i < (size_t)full; i++) {
		int rc = request ? parse_req(s, i, &h, err, sizeof(err)) : parse_resp(s, i, &h, err, sizeof(err));
		if (rc != WC_HTTP_INCOMPLETE)
			fail_msg("prefix of %zu bytes: %d (%s)", i, rc, err);
	}
}

static void test_every_split(void **state)
{
	static const char lf[] = "GET / HTTP/1.0\nHost: a\n\n";
	static const char mixed[] = "HEAD /a HTTP/1.1\r\nA: b\n\r\n";
	(void)state;

	each_split(REQ, strlen(REQ), 1);
	each_split(RESP, strlen(RESP) - 9, 0);
	each_split(lf, strlen(lf), 1);
	each_split(mixed, strlen(mixed), 1);
	each_split("HTTP/1.1 200 OK\n\n", 17, 0);
}

static void test_bare_lf(void **state)
{
	wc_http_head h;
	static const char mixed[] = "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n";
	static const char blank[] = "HTTP/1.1 200 OK\r\nA: b\r\n\n";
	(void)state;

	assert_int_equal(parse_req(mixed, strlen(mixed), &h, NULL, 0), (int)strlen(mixed));
	assert_int_equal(h.bare_lf, 1);
	assert_int_equal(h.first_bare_lf, 23); /* the LF after "Host: a" */
	assert_int_equal(mixed[h.first_bare_lf], '\n');
	assert_int_equal(parse_resp(blank, strlen(blank), &h, NULL, 0), (int)strlen(blank));
	assert_int_equal(h.bare_lf, 1);
	assert_int_equal(h.first_bare_lf, strlen(blank) - 1);
	assert_int_equal(parse_resp(RESP, strlen(RESP), &h, NULL, 0), (int)strlen(RESP) - 9);
	assert_int_equal(h.bare_lf, 0);
}

static void test_leading_empty_lines(void **state)
{
	wc_http_head h;
	static const char s[] = "\r\n\r\nGET / HTTP/1.1\r\n\r\n";
	(void)state;

	/* a server ignores empty lines before a request line */
	assert_int_equal(parse_req(s, strlen(s), &h, NULL, 0), (int)strlen(s));
	assert_view(h.method, h.method_len, "GET");
	each_split(s, strlen(s), 1);
	/* not before a status line */
	assert_true(bad_resp("\r\nHTTP/1.1 200 OK\r\n\r\n"));
}

static void test_bad_requests(void **state)
{
	char many[4096];
	size_t n;
	(void)state;

	assert_true(bad_req("GET /\r\n\r\n"));                       /* no version */
	assert_true(bad_req("GET / HTTP/1\r\n\r\n"));                /* bad version */
	assert_true(bad_req("GET / HTTP/1.10\r\n\r\n"));
	assert_true(bad_req("GET / http/1.1\r\n\r\n"));
	assert_true(bad_req("GET / HTTP/1.1 \r\n\r\n"));
	assert_true(bad_req("GET  / HTTP/1.1\r\n\r\n"));             /* two spaces */
	assert_true(bad_req(" GET / HTTP/1.1\r\n\r\n"));
	assert_true(bad_req("G(T / HTTP/1.1\r\n\r\n"));              /* not a token */
	assert_true(bad_req("GET / HTTP/1.1\r\nHost : a\r\n\r\n"));  /* space in header name */
	assert_true(bad_req("GET / HTTP/1.1\r\nHo st: a\r\n\r\n"));
	assert_true(bad_req("GET / HTTP/1.1\r\n: a\r\n\r\n"));       /* no name */
	assert_true(bad_req("GET / HTTP/1.1\r\nHost a\r\n\r\n"));    /* no colon */
	assert_true(bad_req("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n")); /* obsolete folding */
	assert_true(bad_req("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n"));  /* control chars */
	assert_true(bad_req("GET / HTTP/1.1\r\nA: b\x7f\r\n\r\n"));
	assert_true(bad_req("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n"));   /* a CR alone */
	assert_true(bad_req("GET / HTTP/1.1\r\r\n\r\n"));
	assert_true(bad_req("GET /\x01 HTTP/1.1\r\n\r\n"));
	/* a bad line is bad before the head is whole */
	assert_true(bad_req("GET / HTTP/1.1\r\nHost : a\r\n"));
	assert_true(bad_resp("HTTP/1.1 20 OK\r\n\r\n"));
	assert_true(bad_resp("HTTP/1.1 2000 OK\r\n\r\n"));
	assert_true(bad_resp("HTTP/1.1  200 OK\r\n\r\n"));
	assert_true(bad_resp("HTTP/1.1 200 OK\x01\r\n\r\n"));
	assert_true(bad_resp("ICY 200 OK\r\n\r\n"));
	assert_true(bad_resp("HTTP/1.1 200 OK\r\nA:b\r\n\tfolded\r\n\r\n"));

	/* too many headers: WC_HTTP_MAX_HEADERS is fine, one more is not */
	n = (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\n");
	for (int i = 0; i < WC_HTTP_MAX_HEADERS; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "H%d: v\r\n", i);
	snprintf(many + n, sizeof(many) - n, "\r\n");
	assert_false(bad_req(many));
	snprintf(many + n, sizeof(many) - n, "One: more\r\n\r\n");
	assert_true(bad_req(many));
}

static void test_max(void **state)
{
	wc_http_head h;
	char err[128] = "";
	char big[300];
	const char *p;
	(void)state;

	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	p = guard_copy(big, sizeof(big));
	/* no end within max bytes: BAD once max bytes are here, INCOMPLETE before */
	assert_int_equal(wc_http_parse_request(p, 99, 100, &h, err, sizeof(err)), WC_HTTP_INCOMPLETE);
	assert_int_equal(wc_http_parse_request(p, 100, 100, &h, err, sizeof(err)), WC_HTTP_BAD);
	assert_true(strstr(err, "longer") != NULL);
	assert_int_equal(wc_http_parse_request(p, 300, 100, &h, err, sizeof(err)), WC_HTTP_BAD);
	guard_free(p, sizeof(big));
	/* a head that ends within max is fine, whatever follows it */
	memcpy(big + 19, "b\r\n\r\n", 5);
	assert_int_equal(wc_http_parse_request(big, sizeof(big), 24, &h, err, sizeof(err)), 24);
	assert_int_equal(wc_http_parse_request(big, sizeof(big), 23, &h, err, sizeof(err)), WC_HTTP_BAD);
	/* the empty input needs more */
	assert_int_equal(wc_http_parse_request("", 0, 0, &h, err, sizeof(err)), WC_HTTP_INCOMPLETE);
	assert_int_equal(wc_http_parse_response(NULL, 0, 0, &h, NULL, 0), WC_HTTP_INCOMPLETE);
}

static void test_content_length(void **state)
{
	uint64_t v = 7;
	(void)state;

	assert_int_equal(wc_http_content_length("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wc_http_content_length("1048576", 7, &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(wc_http_content_length("9223372036854775807", 19, &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(wc_http_content_length("9223372036854775808", 19, &v), -1);
	assert_int_equal(wc_http_content_length("99999999999999999999999", 23, &v), -1);
	assert_int_equal(wc_http_content_length("", 0, &v), -1);
	assert_int_equal(wc_http_content_length("-1", 2, &v), -1);
	assert_int_equal(wc_http_content_length("+1", 2, &v), -1);
	assert_int_equal(wc_http_content_length(" 1", 2, &v), -1);
	assert_int_equal(wc_http_content_length("1 ", 2, &v), -1);
	assert_int_equal(wc_http_content_length("1,1", 3, &v), -1);
	assert_int_equal(wc_http_content_length("0x10", 4, &v), -1);
	assert_int_equal(v, 0);
}

static void test_tokens(void **state)
{
	(void)state;

	assert_true(wc_http_has_token("keep-alive, Upgrade", 19, "upgrade"));
	assert_true(wc_http_has_token("close", 5, "close"));
	assert_true(wc_http_has_token(" ,close , ", 10, "close"));
	assert_false(wc_http_has_token("closed", 6, "close"));
	assert_false(wc_http_has_token("close", 4, "close")); /* only len bytes count */
	assert_false(wc_http_has_token("", 0, "close"));
	assert_false(wc_http_has_token("a,,b", 4, ""));
	assert_true(wc_http_is_token("keep-alive", 10));
	assert_true(wc_http_is_token("!#$%&'*+-.^_`|~09azAZ", 21));
	assert_false(wc_http_is_token("keep alive", 10));
	assert_false(wc_http_is_token("a,b", 3));
	assert_false(wc_http_is_token("\"q\"", 3));
	assert_false(wc_http_is_token("", 0));
}

static void test_date(void **state)
{
	char out[30];
	(void)state;

	wc_http_date(784111777, out);
	assert_string_equal(out, "Sun, 06 Nov 1994 08:49:37 GMT");
	wc_http_date(0, out);
	assert_string_equal(out, "Thu, 01 Jan 1970 00:00:00 GMT");
	wc_http_date(951782400, out); /* a leap day */
	assert_string_equal(out, "Tue, 29 Feb 2000 00:00:00 GMT");
	wc_http_date(1709251199, out);
	assert_string_equal(out, "Thu, 29 Feb 2024 23:59:59 GMT");
}

static int date_of(const char *s, time_t *t)
{
	return wc_http_parse_date(s, strlen(s), t);
}

static void test_parse_date(void **state)
{
	time_t t;
	char out[30];
	(void)state;

	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(date_of("Tue, 29 Feb 2000 00:00:00 GMT", &t), 0);
	assert_int_equal(t, 951782400);
	assert_int_equal(date_of("Thu, 01 Jan 1970 00:00:00 GMT", &t), 0);
	assert_int_equal(t, 0);
	/* a round trip */
	wc_http_date(1700000000, out);
	assert_int_equal(wc_http_parse_date(out, 29, &t), 0);
	assert_int_equal(t, 1700000000);
	/* the obsolete forms */
	assert_int_equal(date_of("Sunday, 06-Nov-94 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun Nov  6 08:49:37 1994", &t), -1);
	/* the wrong weekday, zone, calendar day, case, width */
	assert_int_equal(date_of("Mon, 06 Nov 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:37 UTC", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:37 gmt", &t), -1);
	assert_int_equal(date_of("sun, 06 Nov 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 nov 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 6 Nov 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:37 GMT ", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:37 +0000", &t), -1);
	assert_int_equal(date_of("Thu, 29 Feb 2001 00:00:00 GMT", &t), -1);
	assert_int_equal(date_of("Mon, 31 Apr 2000 00:00:00 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 00 Nov 1994 08:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 24:49:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:60:37 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:49:61 GMT", &t), -1);
	assert_int_equal(date_of("Sun, 06 Nov 1994 08:4a:37 GMT", &t), -1);
	assert_int_equal(date_of("", &t), -1);
	assert_int_equal(t, 0);
}

/* The path of a target, or "-" when refused. */
static const char *path_of(const char *target, char *out, size_t outlen)
{
	int n = wc_http_target_path(target, strlen(target), out, outlen);
	if (n < 0)
		return "-";
	assert_int_equal((size_t)n, strlen(out));
	return out;
}

static void test_target_path(void **state)
{
	char out[256];
	(void)state;

	assert_string_equal(path_of("/", out, sizeof(out)), "");
	assert_string_equal(path_of("/index.html", out, sizeof(out)), "index.html");
	assert_string_equal(path_of("/a/b/c.txt", out, sizeof(out)), "a/b/c.txt");
	assert_string_equal(path_of("/a/b/", out, sizeof(out)), "a/b");
	assert_string_equal(path_of("/a/./b", out, sizeof(out)), "a/b");
	assert_string_equal(path_of("//a", out, sizeof(out)), "a");
	assert_string_equal(path_of("/a//b///c", out, sizeof(out)), "a/b/c");
	assert_string_equal(path_of("/a/../b", out, sizeof(out)), "b");
	assert_string_equal(path_of("/a/b/../../c", out, sizeof(out)), "c");
	assert_string_equal(path_of("/a/..", out, sizeof(out)), "");
	assert_string_equal(path_of("/a%20b.html", out, sizeof(out)), "a b.html");
	assert_string_equal(path_of("/%41%62", out, sizeof(out)), "Ab");
	assert_string_equal(path_of("/x.html?y=/../../z", out, sizeof(out)), "x.html");
	assert_string_equal(path_of("/x.html#frag", out, sizeof(out)), "x.html");
	assert_string_equal(path_of("/...", out, sizeof(out)), "...");
	assert_string_equal(path_of("/..a", out, sizeof(out)), "..a");
	/* absolute form: its path */
	assert_string_equal(path_of("http://host:80/a/b", out, sizeof(out)), "a/b");
	assert_string_equal(path_of("HTTP://host", out, sizeof(out)), "");
	assert_string_equal(path_of("http://host?q", out, sizeof(out)), "");
	/* traversal */
	assert_string_equal(path_of("/..", out, sizeof(out)), "-");
	assert_string_equal(path_of("/../x", out, sizeof(out)), "-");
	assert_string_equal(path_of("/a/../../x", out, sizeof(out)), "-");
	assert_string_equal(path_of("/%2e%2e/x", out, sizeof(out)), "-");
	assert_string_equal(path_of("/%2E%2e%2fx", out, sizeof(out)), "-");
	assert_string_equal(path_of("/.%2e/x", out, sizeof(out)), "-");
	assert_string_equal(path_of("/a/%2e%2e/%2e%2e/x", out, sizeof(out)), "-");
	assert_string_equal(path_of("http://h/../x", out, sizeof(out)), "-");
	/* NULs, bad escapes, other forms */
	assert_string_equal(path_of("/%00", out, sizeof(out)), "-");
	assert_int_equal(wc_http_target_path("/a\0b", 4, out, sizeof(out)), -1);
	assert_string_equal(path_of("/%zz", out, sizeof(out)), "-");
	assert_string_equal(path_of("/%4", out, sizeof(out)), "-");
	assert_string_equal(path_of("/%", out, sizeof(out)), "-");
	assert_string_equal(path_of("index.html", out, sizeof(out)), "-");
	assert_string_equal(path_of("*", out, sizeof(out)), "-");
	assert_string_equal(path_of("", out, sizeof(out)), "-");
	/* room for the path and its NUL */
	assert_string_equal(path_of("/abc", out, 3), "-");
	assert_string_equal(path_of("/abc", out, 4), "abc");
	assert_string_equal(path_of("/a/bc/..", out, 4), "-"); /* "bc" needs the room on its way */
	assert_int_equal(wc_http_target_path("/", 1, out, 0), -1);
}

static void test_media_types(void **state)
{
	static const char *const table[][2] = {
		{"index.html", "text/html"},
		{"a/b/page.HTM", "text/html"},
		{"notes.txt", "text/plain"},
		{"s.css", "text/css"},
		{"app.js", "text/javascript"},
		{"d.json", "application/json"},
		{"i.png", "image/png"},
		{"p.jpg", "image/jpeg"},
		{"p.JPEG", "image/jpeg"},
		{"g.gif", "image/gif"},
		{"v.svg", "image/svg+xml"},
		{"favicon.ico", "image/x-icon"},
		{"doc.pdf", "application/pdf"},
		{"blob.bin", "application/octet-stream"},
		{"noext", "application/octet-stream"},
		{"dir.html/file", "application/octet-stream"},
		{"trailing.", "application/octet-stream"},
		{".html", "text/html"},
		{"x.unknown", "application/octet-stream"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_string_equal(wc_http_media_type(table[i][0]), table[i][1]);
}

static void test_reasons(void **state)
{
	static const struct {
		int status;
		const char *reason;
	} table[] = {
		{200, "OK"},
		{301, "Moved Permanently"},
		{304, "Not Modified"},
		{400, "Bad Request"},
		{403, "Forbidden"},
		{404, "Not Found"},
		{405, "Method Not Allowed"},
		{408, "Request Timeout"},
		{413, "Content Too Large"},
		{414, "URI Too Long"},
		{431, "Request Header Fields Too Large"},
		{500, "Internal Server Error"},
		{501, "Not Implemented"},
		{505, "HTTP Version Not Supported"},
		{299, ""},
		{-1, ""},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_string_equal(wc_http_reason(table[i].status), table[i].reason);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_response),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_leading_empty_lines),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_target_path),
		cmocka_unit_test(test_media_types),
		cmocka_unit_test(test_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
