/* test_judge.c - the DNS and HTTP checks on bytes: each fault named in the summary, the table, and passes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge/faults.h"
#include "judge/judge_dns.h"
#include "judge/judge_http.h"

/* The LABS.md 5 example: google.com, ID 1a2b. */
static const uint8_t query[] = {0x1a, 0x2b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
				0x06, 'g',  'o',  'o',  'g',  'l',  'e',  0x03, 'c',  'o',  'm',  0x00,
				0x00, 0x01, 0x00, 0x01};
static const uint8_t response[] = {
	0x1a, 0x2b, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x06, 0x67, 0x6f,
	0x6f, 0x67, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x0c,
	0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04, 0xc0, 0xa5, 0x01, 0x01, 0xc0,
	0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04, 0xc0, 0xa5, 0x01, 0x0a};

typedef struct result {
	int rc;
	char summary[1000];
	wc_buf detail;
} result;

static void dns(result *r, const uint8_t *got, size_t len)
{
	wc_buf_init(&r->detail, 0);
	r->rc = wc_judge_dns(response, sizeof(response), got, len, &r->detail, r->summary, sizeof(r->summary));
}

static void expect_fault(result *r, const char *summary)
{
	assert_int_equal(r->rc, -1);
	if (strncmp(r->summary, summary, strlen(summary)))
		fail_msg("summary '%s', expected to start with '%s'", r->summary, summary);
	wc_buf_free(&r->detail);
}

static void test_dns_equal(void **state)
{
	result r;
	(void)state;

	dns(&r, response, sizeof(response));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.detail.len, 0);
	wc_buf_free(&r.detail);
}

static void test_dns_header_fields(void **state)
{
	static const struct {
		size_t at;
		uint8_t val;
		const char *summary;
	} cases[] = {
		{0, 0x00, "ID: expected 0x1a2b (the query's), got 0x002b"},
		{2, 0x80, "AA: expected 1, got 0"},
		{2, 0x85, "RD: expected 0, got 1"},
		{3, 0x80, "RA: expected 0, got 1"},
		{3, 0x03, "RCODE: expected 0 (NOERROR), got 3 (NXDOMAIN)"},
		{2, 0x04, "QR: expected 1, got 0"},
		{2, 0x86, "TC: expected 0, got 1"},
		{3, 0x10, "Z: expected 0, got 1"},
		{7, 0x01, "ANCOUNT: expected 2, got 1"},
		{37, 0x05, "answer 1 TTL: expected 260, got 261"},
		{43, 0x02, "answer 1 RDATA: expected 192.165.1.1, got 192.165.1.2"},
		{29, 0x0d, "the reply is malformed: answer record 1 of 2: pointer"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t m[sizeof(response)];
		result r;
		memcpy(m, response, sizeof(m));
		m[cases[i].at] = cases[i].val;
		dns(&r, m, sizeof(m));
		expect_fault(&r, cases[i].summary);
	}
}

/* The lab's usual mistakes on the answers: names written out, a 2-byte TTL. */
static void test_dns_answers(void **state)
{
	uint8_t m[128];
	size_t n = 0;
	result r;
	(void)state;

	/* header and question as expected, then one answer whose NAME is written out */
	memcpy(m, response, 28);
	n = 28;
	m[7] = 1;
	memcpy(m + n, response + 12, 12); /* google.com written out */
	n += 12;
	memcpy(m + n, "\x00\x01\x00\x01\x00\x00\x01\x04\x00\x04\xc0\xa5\x01\x01", 14);
	n += 14;
	dns(&r, m, n);
	expect_fault(&r, "ANCOUNT: expected 2, got 1");

	m[7] = 2;
	memcpy(m + n, response + 12, 12);
	n += 12;
	memcpy(m + n, "\x00\x01\x00\x01\x00\x00\x01\x04\x00\x04\xc0\xa5\x01\x0a", 14);
	n += 14;
	dns(&r, m, n);
	assert_non_null(strstr((const char *)r.detail.p, "google.com (written out)   <-- differs"));
	expect_fault(&r, "answer 1 NAME: expected c0 0c -> google.com, got google.com (written out)");

	/* TTL in two bytes: the record runs short, and the reply no longer parses as it should */
	memcpy(m, response, 28);
	n = 28;
	memcpy(m + n, "\xc0\x0c\x00\x01\x00\x01\x01\x04\x00\x04\xc0\xa5\x01\x01", 14);
	n += 14;
	memcpy(m + n, "\xc0\x0c\x00\x01\x00\x01\x01\x04\x00\x04\xc0\xa5\x01\x0a", 14);
	n += 14;
	dns(&r, m, n);
	assert_non_null(strstr((const char *)r.detail.p, "answer 1 NAME"));
	expect_fault(&r, "the reply is malformed: ");
}

static void test_dns_ascii_hex(void **state)
{
	char text[2 * sizeof(response) + 1];
	uint8_t back[sizeof(response)];
	size_t n;
	result r;
	(void)state;

	for (size_t i = 0; i < sizeof(response); i++)
		snprintf(text + 2 * i, 3, "%02x", response[i]);
	assert_true(wc_dns_is_ascii_hex((const uint8_t *)text, strlen(text), back, sizeof(back), &n));
	assert_int_equal(n, sizeof(response));
	assert_memory_equal(back, response, n);
	dns(&r, (const uint8_t *)text, strlen(text));
	assert_non_null(strstr((const char *)r.detail.p, "the text spells ID 0x1a2b"));
	expect_fault(&r, "the reply is ASCII hex text (120 characters), not a binary DNS message");
	/* too short to be a message, or not hex at all */
	assert_false(wc_dns_is_ascii_hex((const uint8_t *)"1a2b", 4, NULL, 0, &n));
	assert_false(wc_dns_is_ascii_hex(response, sizeof(response), NULL, 0, &n));
}

static void test_dns_short_and_malformed(void **state)
{
	uint8_t m[sizeof(response)];
	result r;
	(void)state;

	dns(&r, response, 5);
	expect_fault(&r, "the reply has 5 bytes, shorter than a DNS header (12)");
	memcpy(m, response, sizeof(m));
	m[28] = 0xc0;
	m[29] = 0x30; /* a pointer forward */
	dns(&r, m, sizeof(m));
	expect_fault(&r, "the reply is malformed: ");
	dns(&r, response, sizeof(response) - 1);
	expect_fault(&r, "the reply is malformed: ");
}

static void query_judge(result *r, const uint8_t *q, size_t len, const char *name, int rd0)
{
	wc_buf_init(&r->detail, 0);
	r->rc = wc_judge_dns_query(q, len, name, rd0, &r->detail, r->summary, sizeof(r->summary));
}

static void test_dns_query(void **state)
{
	uint8_t q[sizeof(query) + 1];
	result r;
	(void)state;

	query_judge(&r, query, sizeof(query), "google.com", 1);
	assert_int_equal(r.rc, 0);
	wc_buf_free(&r.detail);
	query_judge(&r, query, sizeof(query), "GOOGLE.COM.", 0);
	assert_int_equal(r.rc, 0);
	wc_buf_free(&r.detail);

	memcpy(q, query, sizeof(query));
	q[2] = 0x01; /* RD */
	query_judge(&r, q, sizeof(query), "google.com", 0);
	assert_int_equal(r.rc, 0); /* RD is a SHOULD: judged only with rd 0 */
	wc_buf_free(&r.detail);
	query_judge(&r, q, sizeof(query), "google.com", 1);
	expect_fault(&r, "RD: expected 0, got 1");
	q[2] = 0x80;
	query_judge(&r, q, sizeof(query), "google.com", 0);
	expect_fault(&r, "QR: expected 0, got 1");
	q[2] = 0x04; /* AA: not judged in a query (the lab's own example sets it) */
	query_judge(&r, q, sizeof(query), "google.com", 1);
	assert_int_equal(r.rc, 0);
	wc_buf_free(&r.detail);

	query_judge(&r, query, sizeof(query), "youtube.com", 0);
	expect_fault(&r, "QNAME: expected youtube.com (labels), got google.com (written out)");
	memcpy(q, query, sizeof(query));
	q[25] = 0xff;
	query_judge(&r, q, sizeof(query), "google.com", 0);
	expect_fault(&r, "QTYPE: expected 1, got 255");
	memcpy(q, query, sizeof(query));
	q[5] = 2;
	query_judge(&r, q, sizeof(query), "google.com", 0);
	expect_fault(&r, "QDCOUNT: expected 1, got 2");
	memcpy(q, query, sizeof(query));
	q[sizeof(query)] = '\n';
	query_judge(&r, q, sizeof(query) + 1, "google.com", 0);
	expect_fault(&r, "1 bytes follow the question");
	query_judge(&r, (const uint8_t *)"1a2b0000000100000000000006676f6f676c6503636f6d0000010001", 56, "google.com", 0);
	expect_fault(&r, "the query is ASCII hex text");
}

static void test_dns_rcode(void **state)
{
	static const uint8_t formerr[] = {0x1a, 0x2b, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0};
	uint8_t m[sizeof(formerr)];
	result r;
	(void)state;

	wc_buf_init(&r.detail, 0);
	assert_int_equal(wc_judge_dns_rcode(formerr, sizeof(formerr), query, sizeof(query), 1, &r.detail, r.summary,
					    sizeof(r.summary)),
			 0);
	assert_int_equal(r.detail.len, 0);
	memcpy(m, formerr, sizeof(m));
	m[3] = 0x02;
	r.rc = wc_judge_dns_rcode(m, sizeof(m), query, sizeof(query), 1, &r.detail, r.summary, sizeof(r.summary));
	expect_fault(&r, "RCODE: expected 1 (FORMERR), got 2 (SERVFAIL)");
	wc_buf_init(&r.detail, 0);
	m[3] = 0x01;
	m[1] = 0x2c;
	r.rc = wc_judge_dns_rcode(m, sizeof(m), query, sizeof(query), 1, &r.detail, r.summary, sizeof(r.summary));
	expect_fault(&r, "ID: expected 0x1a2b (the query's), got 0x1a2c");
}

static void test_printed(void **state)
{
	static const char out[] = "Server ready\n"
				  "Request:\n"
				  "1a 2b 00 00 00 01 00 00 00 00 00 00 06 67 6f 6f\n"
				  "67 6c 65 03 63 6f 6d 00 00 01 00 01\n"
				  "Response: 1a 2b 84 00\n"
				  "00 01\n"
				  "\n"
				  "request: 0xde 0xad\n"
				  "done\n";
	wc_printed blk[8];
	wc_buf bytes;
	int n;
	(void)state;

	wc_buf_init(&bytes, 0);
	n = wc_printed_parse((const uint8_t *)out, sizeof(out) - 1, &bytes, blk, 8);
	assert_int_equal(n, 3);
	assert_int_equal(blk[0].response, 0);
	assert_int_equal(blk[0].line, 2);
	assert_int_equal(blk[0].len, sizeof(query));
	assert_memory_equal(bytes.p + blk[0].off, query, sizeof(query));
	assert_int_equal(blk[1].response, 1);
	assert_int_equal(blk[1].len, 6);
	assert_memory_equal(bytes.p + blk[1].off, "\x1a\x2b\x84\x00\x00\x01", 6);
	assert_int_equal(blk[2].response, 0);
	assert_int_equal(blk[2].len, 2);
	assert_memory_equal(bytes.p + blk[2].off, "\xde\xad", 2);
	assert_int_equal(blk[0].bad_line, 0); /* 16, then 12 */
	assert_int_equal(blk[1].bad_line, 5); /* 4 on the marker's line, then more */
	assert_int_equal(blk[1].bad_count, 4);
	wc_buf_free(&bytes);

	/* the lab's layout: 16 bytes a line, the last may hold fewer */
	{
		static const char one_line[] = "Request:\n1a2b0000000100000000000006676f6f676c6503636f6d0000010001\nResponse:\n"
					       "1a 2b 84 00 00 01 00 02 00 00 00 00\n00 01 02 03\n";
		wc_buf_init(&bytes, 0);
		n = wc_printed_parse((const uint8_t *)one_line, sizeof(one_line) - 1, &bytes, blk, 8);
		assert_int_equal(n, 2);
		assert_int_equal(blk[0].len, 28);
		assert_int_equal(blk[0].bad_line, 2);
		assert_int_equal(blk[0].bad_count, 28);
		/* 12 then 4: the first line is short */
		assert_int_equal(blk[1].bad_line, 4);
		assert_int_equal(blk[1].bad_count, 12);
		wc_buf_free(&bytes);
	}
}

/* ---- HTTP ---- */

#define T0 1700000000 /* the capture's clock: Tue, 14 Nov 2023 22:13:20 GMT */
static const char page[] = "<html>hi</html>\n";

static void http(result *r, const char *resp, int head, int conn, int closed, size_t *used)
{
	static const int ok200[] = {200};
	wc_http_want w;

	memset(&w, 0, sizeof(w));
	w.statuses = ok200;
	w.nstatuses = 1;
	w.head = head;
	w.conn = conn;
	w.file = "index.html";
	w.body = (const uint8_t *)page;
	w.body_len = strlen(page);
	w.mtime = 1704164645;
	w.wire_us = (int64_t)T0 * 1000000;
	w.canary = "SECRET";
	wc_buf_init(&r->detail, 0);
	r->rc = wc_judge_http(&w, (const uint8_t *)resp, strlen(resp), closed, used, &r->detail, r->summary,
			      sizeof(r->summary));
}

#define GOOD_HEAD(date, lm, cl, type, conn, eol)                                                                 \
	"HTTP/1.1 200 OK" eol "Date: " date eol "Server: t" eol "Last-Modified: " lm eol "Content-Length: " cl eol \
	"Content-Type: " type eol "Connection: " conn eol eol
#define NOW "Tue, 14 Nov 2023 22:13:20 GMT"
#define LM "Tue, 02 Jan 2024 03:04:05 GMT"

static void test_http_pass(void **state)
{
	const char *resp = GOOD_HEAD(NOW, LM, "16", "text/html; charset=utf-8", "close", "\r\n") "<html>hi</html>\n"
										      "HTTP/1.1 next";
	size_t used;
	result r;
	(void)state;

	http(&r, resp, 0, 1, 0, &used);
	/* the next response's bytes follow: the connection did not close right after this one */
	expect_fault(&r, "Connection: says close, but the connection stayed open");
	http(&r, resp, 0, 0, 0, &used);
	assert_int_equal(r.rc, 0);
	assert_int_equal(used, strlen(resp) - strlen("HTTP/1.1 next"));
	wc_buf_free(&r.detail);
	resp = GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\r\n") "<html>hi</html>\n";
	http(&r, resp, 0, 1, 1, &used);
	assert_int_equal(r.rc, 0);
	wc_buf_free(&r.detail);
	/* HEAD: the same headers, no body */
	http(&r, GOOD_HEAD(NOW, LM, "16", "text/html", "keep-alive", "\r\n"), 1, 1, 0, &used);
	assert_int_equal(r.rc, 0);
	wc_buf_free(&r.detail);
}

static void test_http_faults(void **state)
{
	static const struct {
		const char *resp;
		int head, closed;
		const char *summary;
	} cases[] = {
		{GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\n") "<html>hi</html>\n", 0, 1,
		 "line ends: byte 15 ends a line of the head with LF alone"},
		{"HTTP/1.1 200 OK\r\nServer: t\r\nLast-Modified: " LM "\r\nContent-Length: 16\r\nContent-Type: text/html\r\n"
		 "Connection: close\r\n\r\n<html>hi</html>\n", 0, 1, "Date: missing"},
		{GOOD_HEAD("Wed, 15 Nov 2023 03:58:20 GMT", LM, "16", "text/html", "close", "\r\n") "<html>hi</html>\n", 0,
		 1, "Date: 5 h 45 min ahead of the capture's clock: local time labelled GMT?"},
		{GOOD_HEAD("Tue, 14 Nov 2023 22:13:40 GMT", LM, "16", "text/html", "close", "\r\n") "<html>hi</html>\n", 0,
		 1, "Date: 20 s ahead of the capture's clock"},
		{GOOD_HEAD("Tuesday, 14-Nov-23 22:13:20 GMT", LM, "16", "text/html", "close", "\r\n") "<html>hi</html>\n",
		 0, 1, "Date: not an IMF-fixdate"},
		{GOOD_HEAD(NOW, NOW, "16", "text/html", "close", "\r\n") "<html>hi</html>\n", 0, 1,
		 "Last-Modified: not the file's modification time"},
		{GOOD_HEAD(NOW, LM, "15", "text/html", "close", "\r\n") "<html>hi</html>\n", 0, 1,
		 "Content-Length: 15 is not the file's size (the file read as text"},
		{GOOD_HEAD(NOW, LM, "16", "text/plain", "close", "\r\n") "<html>hi</html>\n", 0, 1,
		 "Content-Type: not the type of 'index.html'"},
		{GOOD_HEAD(NOW, LM, "16", "text/html", "keep-alive", "\r\n") "<html>hi</html>\n", 0, 1,
		 "Connection: says keep-alive, but the server closed the connection"},
		{GOOD_HEAD(NOW, LM, "16", "text/html", "upgrade", "\r\n") "<html>hi</html>\n", 0, 1,
		 "Connection: neither keep-alive nor close"},
		{GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\r\n") "<html>hi</html>\n", 1, 1,
		 "the response to HEAD carried 16 bytes of body"},
		{GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\r\n") "<html>HI</html>\n", 0, 1,
		 "body differs from index.html at byte 6"},
		{GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\r\n") "<html>", 0, 1,
		 "body: 6 of the 16 bytes came, then the server closed the connection"},
		{"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 0, 1, "status 404 Not Found, expected 200 OK"},
		{"HTTP/2.0 200 OK\r\n\r\n", 0, 1, "status line: version HTTP/2.0, expected HTTP/1.x"},
		{"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 0, 1, "status line: no reason phrase after the status 200"},
		{"<html>hi</html>\n", 0, 1, "not an HTTP response"},
		{"HTTP/1.1 200 OK\r\nDate: x\r\n", 0, 1, "the response head never ended"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nSECRET", 0, 1, "served a file from outside its folder"},
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t used;
		result r;
		http(&r, cases[i].resp, cases[i].head, 1, cases[i].closed, &used);
		expect_fault(&r, cases[i].summary);
	}
}

/* Content-Length twice, and a missing Server */
static void test_http_duplicates(void **state)
{
	const char *resp = "HTTP/1.1 200 OK\r\nDate: " NOW "\r\nServer: t\r\nLast-Modified: " LM
			   "\r\nContent-Length: 16\r\nContent-Length: 16\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
			   "<html>hi</html>\n";
	size_t used;
	result r;
	(void)state;

	http(&r, resp, 0, 1, 1, &used);
	expect_fault(&r, "content-length: sent 2 times");
	http(&r, "HTTP/1.1 200 OK\r\nDate: " NOW "\r\nLast-Modified: " LM "\r\nContent-Length: 16\r\nContent-Type: "
		 "text/html\r\nConnection: close\r\n\r\n<html>hi</html>\n",
	     0, 1, 1, &used);
	expect_fault(&r, "Server: missing");
}

/* One fault, one deduction: a shared fault outside the scenario's subject is a
 * finding and the subject is still judged; inside it, it fails the scenario. */
static void sorted_http(result *r, const char *resp, const char *subject, wc_verdict *v)
{
	static const int ok200[] = {200};
	wc_http_want w;
	wc_faults f;
	size_t used;

	memset(&w, 0, sizeof(w));
	w.statuses = ok200;
	w.nstatuses = 1;
	w.file = "index.html";
	w.body = (const uint8_t *)page;
	w.body_len = strlen(page);
	w.mtime = 1704164645;
	w.wire_us = (int64_t)T0 * 1000000;
	wc_faults_init(&f, subject, v, 12, 4, r->summary, sizeof(r->summary));
	w.faults = &f;
	wc_buf_init(&r->detail, 0);
	r->rc = wc_judge_http(&w, (const uint8_t *)resp, strlen(resp), 1, &used, &r->detail, r->summary,
			      sizeof(r->summary));
	snprintf(v->fault, sizeof(v->fault), "%s", r->rc ? f.id : "");
}

static void test_sorted_http(void **state)
{
	/* LF line ends and a Date two hours ahead (local time labelled GMT) */
	const char *lf = GOOD_HEAD("Wed, 15 Nov 2023 00:13:20 GMT", LM, "16", "text/html", "close", "\n") "<html>hi</html>\n";
	const char *badbody = GOOD_HEAD(NOW, LM, "16", "text/html", "close", "\n") "<html>HI</html>\n";
	wc_verdict v;
	result r;
	(void)state;

	/* a traversal or 404 scenario: its subject is the status; both faults are findings */
	wc_verdict_init(&v);
	sorted_http(&r, lf, "http/status http/body", &v);
	assert_int_equal(r.rc, 0);
	assert_int_equal(v.nfindings, 2);
	assert_string_equal(v.findings[0].id, "http/crlf");
	assert_string_equal(v.findings[1].id, "http/date");
	assert_int_equal(v.findings[1].line, 12);
	assert_int_equal(v.findings[1].frame, 4);
	if (!strstr(v.findings[1].summary, "local time labelled GMT"))
		fail_msg("Date finding: '%s'", v.findings[1].summary);
	wc_buf_free(&r.detail);
	wc_verdict_free(&v);
	/* the scenario that grades CRLF fails on it, the Date still a finding */
	wc_verdict_init(&v);
	sorted_http(&r, lf, "http/status http/body http/crlf", &v);
	expect_fault(&r, "line ends: byte 15 ends a line of the head with LF alone");
	assert_string_equal(v.fault, "http/crlf");
	assert_int_equal(v.nfindings, 1);
	assert_string_equal(v.findings[0].id, "http/date");
	wc_verdict_free(&v);
	/* a finding does not hide the subject: the body is still judged */
	wc_verdict_init(&v);
	sorted_http(&r, badbody, "http/status http/body", &v);
	expect_fault(&r, "body differs from index.html at byte 6");
	assert_string_equal(v.fault, "http/body");
	assert_int_equal(v.nfindings, 1);
	assert_string_equal(v.findings[0].id, "http/crlf");
	wc_verdict_free(&v);
	/* no subject line: every local fault counts, no shared one */
	wc_verdict_init(&v);
	sorted_http(&r, badbody, "", &v);
	expect_fault(&r, "body differs");
	assert_int_equal(v.nfindings, 1);
	wc_verdict_free(&v);
}

static void test_sorted_dns(void **state)
{
	uint8_t got[sizeof(response)];
	char summary[600];
	wc_verdict v;
	wc_faults f;
	wc_buf detail;
	(void)state;

	/* AA 0 (flags 0x8000): a finding in a scenario about the ID, the fault of the one about AA */
	memcpy(got, response, sizeof(got));
	got[2] = 0x80;
	wc_verdict_init(&v);
	wc_buf_init(&detail, 0);
	wc_faults_init(&f, "dns/id", &v, 3, 2, summary, sizeof(summary));
	assert_int_equal(wc_judge_dns_sorted(response, sizeof(response), got, sizeof(got), &detail, &f), 0);
	assert_int_equal(v.nfindings, 1);
	assert_string_equal(v.findings[0].id, "dns/flag-aa");
	assert_string_equal(v.findings[0].summary, "AA: expected 1, got 0");
	wc_faults_init(&f, "dns/flag-aa dns/header", &v, 3, 2, summary, sizeof(summary));
	assert_int_equal(wc_judge_dns_sorted(response, sizeof(response), got, sizeof(got), &detail, &f), -1);
	assert_string_equal(f.id, "dns/flag-aa");
	assert_string_equal(summary, "AA: expected 1, got 0");
	/* another ID: counts where the subject is the ID */
	memcpy(got, response, sizeof(got));
	got[1] = 0x2c;
	wc_faults_init(&f, "dns/id", &v, 3, 2, summary, sizeof(summary));
	assert_int_equal(wc_judge_dns_sorted(response, sizeof(response), got, sizeof(got), &detail, &f), -1);
	assert_string_equal(f.id, "dns/id");
	/* an answer name written out: the answers' form, graded where the subject names it */
	wc_faults_init(&f, "dns/id", &v, 3, 2, summary, sizeof(summary));
	memcpy(got, response, sizeof(got));
	got[28] = 0xc0;
	got[29] = 0x0d; /* a pointer to offset 13: "google.com" without its length byte read right */
	wc_judge_dns_sorted(response, sizeof(response), got, sizeof(got), &detail, &f);
	assert_int_equal(f.bad, 0);
	wc_buf_free(&detail);
	wc_verdict_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_equal),
		cmocka_unit_test(test_dns_header_fields),
		cmocka_unit_test(test_dns_answers),
		cmocka_unit_test(test_dns_ascii_hex),
		cmocka_unit_test(test_dns_short_and_malformed),
		cmocka_unit_test(test_dns_query),
		cmocka_unit_test(test_dns_rcode),
		cmocka_unit_test(test_printed),
		cmocka_unit_test(test_http_pass),
		cmocka_unit_test(test_http_faults),
		cmocka_unit_test(test_http_duplicates),
		cmocka_unit_test(test_sorted_http),
		cmocka_unit_test(test_sorted_dns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
