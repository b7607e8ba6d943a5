/* test_report.c - every report format from the same fake verdicts (PASS, FAIL with
 * hostile detail bytes, ERROR, INFO), and the HTML views of a hand-made capture */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report.h"

/* The detail of the failure: XML and JSON specials, a control byte, an ESC, a byte
 * that is not UTF-8 (0xff), UTF-8 text (e acute, a CJK character) and a tab. */
static const char hostile[] = "expected \"<HELLO>\" & 'x'\n\x01got\x1b[31m \xff caf\xc3\xa9 \xe4\xb8\xad\tend\n";

static wc_scenario sc[5];
static wc_job jobs[5];
static wc_verdict v[5];
static char tmpdir[64], pcap_dns[128], pcap_http[128];

static void scenario(int i, const char *lab, const char *id, const char *title, enum wc_level level, int points)
{
	memset(&sc[i], 0, sizeof(sc[i]));
	snprintf(sc[i].path, sizeof(sc[i].path), "fixtures/%s/%s.scn", lab, id);
	snprintf(sc[i].id, sizeof(sc[i].id), "%s", id);
	snprintf(sc[i].lab, sizeof(sc[i].lab), "%s", lab);
	snprintf(sc[i].title, sizeof(sc[i].title), "%s", title);
	snprintf(sc[i].ref, sizeof(sc[i].ref), "LABS.md 1 <MUST>");
	snprintf(sc[i].hint, sizeof(sc[i].hint), "use bytes.upper() & sendto()");
	sc[i].level = level;
	sc[i].points = points;
	memset(&jobs[i], 0, sizeof(jobs[i]));
	jobs[i].sc = &sc[i];
	jobs[i].variant = "plain";
	jobs[i].impl = "alice";
	snprintf(jobs[i].label, sizeof(jobs[i].label), "%s", id);
	wc_verdict_init(&v[i]);
	v[i].ms = 1234;
}

/* ---- a capture: Ethernet, IPv4, UDP or TCP, checksums 0 ---- */

static size_t frame(uint8_t *b, int tcp, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
		    const void *payload, size_t len)
{
	size_t l4 = tcp ? 20 : 8, ip = 20 + l4 + len;

	memset(b, 0, 14 + 20 + l4);
	b[12] = 0x08;                          /* IPv4 */
	b[14] = 0x45;                          /* version 4, IHL 5 */
	b[16] = (uint8_t)(ip >> 8), b[17] = (uint8_t)ip;
	b[22] = 64, b[23] = tcp ? 6 : 17;      /* TTL, protocol */
	b[26] = 127, b[29] = 1, b[30] = 127, b[33] = 1; /* 127.0.0.1 both */
	b[34] = (uint8_t)(sport >> 8), b[35] = (uint8_t)sport;
	b[36] = (uint8_t)(dport >> 8), b[37] = (uint8_t)dport;
	if (tcp) {
		for (int k = 0; k < 4; k++) {
			b[38 + k] = (uint8_t)(seq >> (24 - 8 * k));
			b[42 + k] = (uint8_t)(ack >> (24 - 8 * k));
		}
		b[46] = 0x50, b[47] = flags, b[48] = 0xff, b[49] = 0xff; /* data offset 5, flags, window */
	} else {
		b[38] = (uint8_t)((8 + len) >> 8), b[39] = (uint8_t)(8 + len);
	}
	memcpy(b + 14 + 20 + l4, payload, len);
	return 14 + 20 + l4 + len;
}

static void put(pcap_dumper_t *d, int usec, const uint8_t *b, size_t n)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1700000000;
	h.ts.tv_usec = usec;
	h.caplen = h.len = (bpf_u_int32)n;
	pcap_dump((u_char *)d, &h, b);
}

/* google.com A IN: a query (ID 0x1a2b, RD 0), and the answer with two addresses whose names are c0 0c */
static const uint8_t dns_query[] = {
	0x1a, 0x2b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header: QDCOUNT 1 */
	0x06, 'g', 'o', 'o', 'g', 'l', 'e', 0x03, 'c', 'o', 'm', 0x00,           /* QNAME google.com */
	0x00, 0x01, 0x00, 0x01,                                                  /* QTYPE A, QCLASS IN */
};
static const uint8_t dns_response[] = {
	0x1a, 0x2b, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, /* QR AA, ANCOUNT 2 */
	0x06, 'g', 'o', 'o', 'g', 'l', 'e', 0x03, 'c', 'o', 'm', 0x00, 0x00, 0x01, 0x00, 0x01,
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04, 192, 165, 1, 1,  /* TTL 260 */
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04, 192, 165, 1, 10,
};
static const char http_req[] = "GET /HelloWorld.html HTTP/1.1\r\nHost: x\r\n\r\n";
static const char http_resp[] = "HTTP/1.1 200 OK\r\nServer: toy\r\nContent-Length: 2\r\nContent-Type: text/html\r\n\r\nhi";

static void write_pcaps(void)
{
	uint8_t b[400];
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;

	assert_non_null(dead);
	assert_non_null(d = pcap_dump_open(dead, pcap_dns));
	put(d, 0, b, frame(b, 0, 41000, 12000, 0, 0, 0, dns_query, sizeof(dns_query)));
	put(d, 900, b, frame(b, 0, 12000, 41000, 0, 0, 0, dns_response, sizeof(dns_response)));
	pcap_dump_close(d);
	assert_non_null(d = pcap_dump_open(dead, pcap_http));
	put(d, 0, b, frame(b, 1, 40000, 8000, 100, 0, 0x02, "", 0));                         /* SYN */
	put(d, 10, b, frame(b, 1, 8000, 40000, 500, 101, 0x12, "", 0));                      /* SYN ACK */
	put(d, 20, b, frame(b, 1, 40000, 8000, 101, 501, 0x10, "", 0));                      /* ACK */
	put(d, 30, b, frame(b, 1, 40000, 8000, 101, 501, 0x18, http_req, strlen(http_req))); /* 4: request */
	put(d, 40, b, frame(b, 1, 8000, 40000, 501, 101 + strlen(http_req), 0x18, http_resp, strlen(http_resp)));
	put(d, 50, b, frame(b, 1, 8000, 40000, 501 + strlen(http_resp), 0, 0x11, "", 0));    /* FIN */
	pcap_dump_close(d);
	pcap_close(dead);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/wc-report-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(pcap_dns, sizeof(pcap_dns), "%s/dns.pcap", tmpdir);
	snprintf(pcap_http, sizeof(pcap_http), "%s/http.pcap", tmpdir);
	write_pcaps();

	scenario(0, "udp-echo", "basic", "a sentence comes back in capitals", WC_MUST, 2);
	v[0].outcome = WC_PASS;
	snprintf(v[0].pcap, sizeof(v[0].pcap), "%s/none.pcap", tmpdir); /* missing: the HTML says so */
	snprintf(v[0].found, sizeof(v[0].found), "server bound udp 0.0.0.0:12000");

	scenario(1, "udp-echo", "mixed-case", "mixed case # only a-z change", WC_SHOULD, 3);
	v[1].outcome = WC_FAIL;
	v[1].line = 12;
	v[1].frame = 2;
	snprintf(v[1].summary, sizeof(v[1].summary), "A: reply differs at byte 4 <&>");
	wc_buf_put(&v[1].detail, hostile, sizeof(hostile) - 1);
	snprintf(v[1].pcap, sizeof(v[1].pcap), "%s", pcap_dns);

	scenario(2, "dns", "answer-google.com", "google.com is answered", WC_MUST, 4);
	v[2].outcome = WC_ERROR;
	snprintf(v[2].summary, sizeof(v[2].summary), "the reference server did not start");
	snprintf(v[2].pcap, sizeof(v[2].pcap), "%s", pcap_dns);
	v[2].frame = 2;

	scenario(3, "dns", "notimp", "an IQUERY answers NOTIMP", WC_INFO, 1);
	v[3].outcome = WC_FAIL;
	snprintf(v[3].summary, sizeof(v[3].summary), "A: RCODE differs");
	snprintf(v[3].pcap, sizeof(v[3].pcap), "%s", pcap_dns);

	scenario(4, "http", "connection-header", "Connection says keep-alive or close", WC_MUST, 3);
	v[4].outcome = WC_FAIL;
	v[4].frame = 5;
	snprintf(v[4].summary, sizeof(v[4].summary), "A: Connection: missing");
	snprintf(v[4].pcap, sizeof(v[4].pcap), "%s", pcap_http);
	snprintf(v[4].found, sizeof(v[4].found), "server bound tcp 0.0.0.0:8000");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 5; i++)
		wc_verdict_free(&v[i]);
	unlink(pcap_dns);
	unlink(pcap_http);
	return rmdir(tmpdir);
}

static wc_report_in run(void)
{
	wc_report_in in = {"alice", "Ali \"Khan\" <ak>", jobs, v, 5, 2, 1700000000, 61234, NULL, 0, 0, NULL};
	return in;
}

/* The report of format as a malloc'ed string. */
static char *render(const char *format, int color)
{
	wc_report_in in = run();
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	assert_int_equal(wc_report_write(format, &in, f, color), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(s), n); /* no NUL byte inside */
	return s;
}

static int has(const char *s, const char *needle)
{
	if (strstr(s, needle))
		return 1;
	print_error("missing: %s\n", needle);
	return 0;
}

/* No byte XML 1.0 refuses (controls but tab, LF, CR), and valid UTF-8 throughout. */
static void xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		assert_false(*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r');
		assert_int_not_equal(*p, 0xff);
	}
}

static void test_names(void **state)
{
	wc_report_in in = run();
	(void)state;
	const char *names[] = {"text", "junit", "tap", "json", "gradescope", "autolab", "html"};
	const char *files[] = {"report.txt", "junit.xml", "report.tap", "wirecheck.json", "results.json", "autolab.txt",
			       "report.html"};
	for (int i = 0; i < 7; i++) {
		assert_true(wc_report_known(names[i]));
		assert_string_equal(wc_report_file(names[i]), files[i]);
	}
	assert_false(wc_report_known("pdf"));
	assert_false(wc_report_known(NULL));
	assert_null(wc_report_file("JUNIT"));
	errno = 0;
	assert_int_equal(wc_report_write("pdf", &in, stdout, 0), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_text(void **state)
{
	char *s = render("text", 0), *c = render("text", 1);
	(void)state;

	assert_true(has(s, "PASS  udp-echo/basic "));
	/* a SHOULD that fails is a WARN: its points lost, the run not failed (LABS.md, Levels) */
	assert_true(has(s, "WARN  udp-echo/mixed-case                SHOULD  0/3  A: reply differs at byte 4 <&>\n"));
	assert_true(has(s, "      scenario: fixtures/udp-echo/mixed-case.scn:12: mixed case # only a-z change\n"));
	assert_true(has(s, "    expected \"<HELLO>\" & 'x'\n"));
	assert_true(has(s, "(Wireshark filter: frame.number == 2)"));
	assert_true(has(s, "ERROR dns/answer-google.com"));
	assert_true(has(s, "INFO  dns/notimp "));
	assert_true(has(s, "\nscore 2/12\n"));
	assert_true(has(s, "not run: 2 scenarios"));
	assert_true(has(s, "warnings: 1 SHOULD checks failed (WARN: their points are lost, the run is not failed; "
			   "--strict fails it)\n"));
	assert_true(has(s, "1 passed, 2 failed\n"));
	assert_null(strstr(s, "\033[32m")); /* the detail's own ESC byte passes through; no colour of ours */
	assert_null(strstr(s, "\033[0m"));
	assert_true(has(c, "\033[32mPASS \033[0m udp-echo/basic"));
	assert_true(has(c, "\033[33mWARN \033[0m udp-echo/mixed-case"));
	assert_true(has(c, "\033[33mERROR\033[0m dns/answer-google.com"));
	assert_true(has(c, "\033[33mINFO \033[0m dns/notimp"));
	free(s);
	free(c);
}

/* --strict: the same SHOULD failure is a FAIL and counts among the failed. */
static void test_strict(void **state)
{
	char *s, *j;
	(void)state;

	for (int i = 0; i < 5; i++)
		jobs[i].strict = 1;
	s = render("text", 0);
	j = render("json", 0);
	for (int i = 0; i < 5; i++)
		jobs[i].strict = 0;
	assert_true(has(s, "FAIL  udp-echo/mixed-case                SHOULD  0/3  A: reply differs at byte 4 <&>\n"));
	assert_null(strstr(s, "WARN"));
	assert_true(has(s, "1 passed, 3 failed\n"));
	assert_true(has(j, "\"failed\": 3,\n    \"warned\": 0,"));
	free(s);
	free(j);
}

static void test_junit(void **state)
{
	char *s = render("junit", 0);
	(void)state;

	xml_clean(s);
	assert_true(has(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"wirecheck\" tests=\"5\" "
			   "failures=\"2\" errors=\"1\" skipped=\"1\" time=\"61.234\">"));
	assert_true(has(s, "<testsuite name=\"udp-echo\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
			   "time=\"2.468\" timestamp=\"2023-11-14T22:13:20\">"));
	assert_true(has(s, "<property name=\"student\" value=\"Ali &quot;Khan&quot; &lt;ak&gt;\"/>"));
	assert_true(has(s, "<testcase classname=\"wirecheck.udp-echo\" name=\"mixed-case - mixed case # only a-z "
			   "change\" time=\"1.234\">"));
	assert_true(has(s, "<failure message=\"A: reply differs at byte 4 &lt;&amp;&gt;\" type=\"SHOULD\">"));
	/* the detail: escaped, the control bytes as text, the bad byte as U+FFFD, UTF-8 kept */
	assert_true(has(s, "expected &quot;&lt;HELLO&gt;&quot; &amp; &#39;x&#39;\n\\x01got\\x1b[31m \xef\xbf\xbd "
			   "caf\xc3\xa9 \xe4\xb8\xad\tend\n"));
	assert_true(has(s, "requirement: LABS.md 1 &lt;MUST&gt;\nhint: use bytes.upper() &amp; sendto()\n</failure>"));
	assert_true(has(s, "<error message=\"the reference server did not start\" type=\"MUST\">"));
	assert_true(has(s, "<skipped message=\"INFO, not graded: A: RCODE differs\"/>"));
	assert_true(has(s, "[[ATTACHMENT|"));
	assert_true(has(s, "</testsuites>\n"));
	free(s);
}

static void test_tap(void **state)
{
	char *s = render("tap", 0);
	(void)state;

	assert_true(s == strstr(s, "TAP version 13\n1..5\n"));
	assert_true(has(s, "\nok 1 - udp-echo/basic: a sentence comes back in capitals\n"));
	assert_true(has(s, "\nnot ok 2 - udp-echo/mixed-case: mixed case \\# only a-z change # TODO WARN: a SHOULD "
			   "check, its points lost; it does not fail the run\n  ---\n"));
	assert_true(has(s, "  outcome: \"warn\"\n"));
	assert_true(has(s, "  summary: \"A: reply differs at byte 4 <&>\"\n"));
	assert_true(has(s, "  detail: \"expected \\\"<HELLO>\\\" & 'x'\\n\\u0001got\\u001b[31m \\ufffd caf\xc3\xa9 "
			   "\xe4\xb8\xad\\tend\\n\"\n"));
	assert_true(has(s, "  level: \"SHOULD\"\n  points: 0\n  max_points: 3\n"));
	assert_true(has(s, "  frame: 2\n"));
	assert_true(has(s, "\nnot ok 3 - dns/answer-google.com: google.com is answered\n"));
	assert_true(has(s, "\nok 4 - dns/notimp: an IQUERY answers NOTIMP # SKIP not graded\n"));
	assert_true(has(s, "  ...\n"));
	free(s);
}

static void test_json(void **state)
{
	char *s = render("json", 0);
	(void)state;

	assert_true(has(s, "\"impl\": \"alice\""));
	assert_true(has(s, "\"student\": \"Ali \\\"Khan\\\" <ak>\""));
	assert_true(has(s, "\"started\": \"2023-11-14T22:13:20Z\""));
	assert_true(has(s, "\"passed\": 1,\n    \"failed\": 2,\n    \"warned\": 1,\n    \"errors\": 1,"));
	assert_true(has(s, "\"outcome\": \"warn\""));
	assert_true(has(s, "\"points\": 2,\n    \"max_points\": 12\n"));
	assert_true(has(s, "\"detail\": \"expected \\\"<HELLO>\\\" & 'x'\\n\\u0001got\\u001b[31m \\ufffd caf"));
	assert_true(has(s, "\"outcome\": \"error\""));
	assert_true(has(s, "\"graded\": false,\n      \"points\": 0,\n      \"score\": 0,"));
	assert_true(has(s, "\"variant\": \"plain\""));
	assert_true(has(s, "\"retried\": false,\n"));
	assert_true(has(s, "\"reconstructed\": false\n"));
	free(s);
}

static void test_gradescope(void **state)
{
	char *s = render("gradescope", 0);
	(void)state;

	assert_true(s == strstr(s, "{\n  \"score\": 2,\n  \"max_score\": 12,\n  \"execution_time\": 62,\n"));
	assert_true(has(s, "\"name\": \"udp-echo/basic: a sentence comes back in capitals\",\n      \"number\": "
			   "\"1.1\",\n      \"score\": 2,\n      \"max_score\": 2,\n      \"status\": \"passed\""));
	assert_true(has(s, "\"number\": \"2.2\",\n      \"score\": 0,\n      \"max_score\": 0,\n      \"status\": "
			   "\"failed\",\n      \"output\": \"INFO: reported, not graded.\\nA: RCODE differs\\n"));
	assert_true(has(s, "\"tags\": [\"dns\", \"INFO\"]"));
	assert_true(has(s, "hint: use bytes.upper() & sendto()"));
	assert_true(has(s, "\"visibility\": \"visible\""));
	free(s);
}

static void test_autolab(void **state)
{
	char *s = render("autolab", 0), *last;
	(void)state;

	assert_true(has(s, "WARN  udp-echo/mixed-case"));
	s[strlen(s) - 1] = 0;
	last = strrchr(s, '\n') + 1;
	assert_string_equal(last, "{\"scores\": {\"udp-echo\": 2, \"dns\": 0, \"http\": 0}, \"scoreboard\": [2, 2, 0, 0]}");
	free(s);
}

static void test_html(void **state)
{
	char *s = render("html", 0);
	(void)state;

	xml_clean(s);
	assert_true(s == strstr(s, "<!DOCTYPE html>\n<html lang=\"en\">"));
	assert_true(has(s, "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
	/* nothing that could be fetched */
	assert_null(strstr(s, "http://"));
	assert_null(strstr(s, "https://"));
	assert_null(strstr(s, "src="));
	assert_null(strstr(s, "url("));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<link"));
	assert_true(has(s, "Ali &quot;Khan&quot; &lt;ak&gt;"));
	assert_true(has(s, "<b>2/12</b>"));
	assert_true(has(s, "expected &quot;&lt;HELLO&gt;&quot; &amp; &#39;x&#39;\n\\x01got\\x1b[31m \xef\xbf\xbd"));
	assert_true(has(s, "<code>frame.number == 2</code>"));
	assert_true(has(s, "<code>udp</code>")); /* no port found */
	assert_true(has(s, "The capture could not be read here"));
	/* the DNS views of the capture: sequence, header bits, annotated hex, fields */
	assert_true(has(s, "<svg width="));
	assert_true(has(s, "DNS id 0x1a2b query"));
	assert_true(has(s, "RCODE<br>0000 (NOERROR)"));
	assert_true(has(s, "<span class=\"f-ptr\" title=\"answer 1 NAME pointer\">c0</span>"));
	assert_true(has(s, "<td class=\"f-qname\">QNAME</td><td>google.com</td>"));
	assert_true(has(s, "<td>192.165.1.10</td>"));
	assert_true(has(s, "<td>260 s</td>"));
	assert_true(has(s, "(the frame the failure names)"));
	/* the HTTP views: the request, the response's headers, the one the failure names missing */
	assert_true(has(s, "Request in frame 4: <code>GET /HelloWorld.html HTTP/1.1</code>"));
	assert_true(has(s, "Response in frame 5: <code>HTTP/1.1 200 OK</code>"));
	assert_true(has(s, "<tr><td>Server</td><td>toy</td></tr>"));
	assert_true(has(s, "<tr class=\"mark\"><td>Connection</td><td>(missing: the failure names it)</td></tr>"));
	assert_true(has(s, "SYN"));
	assert_true(has(s, "<code>frame.number == 5</code> <code>tcp.port == 8000</code>"));
	assert_true(has(s, "</html>\n"));
	free(s);
}

/* A stream that fails: the writer says so. */
static void test_write_error(void **state)
{
	wc_report_in in = run();
	FILE *f = fopen("/dev/full", "w");
	(void)state;

	if (!f)
		skip();
	assert_int_equal(wc_report_write("json", &in, f, 0), -1);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),	   cmocka_unit_test(test_text),	 cmocka_unit_test(test_strict),	 cmocka_unit_test(test_junit),
		cmocka_unit_test(test_tap),	   cmocka_unit_test(test_json),	 cmocka_unit_test(test_gradescope),
		cmocka_unit_test(test_autolab),	   cmocka_unit_test(test_html),	 cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
