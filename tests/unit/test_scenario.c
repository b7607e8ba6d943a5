/* test_scenario.c - the scenario grammar: every payload form, repeat blocks, and each error with its file:line: */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "scenario/finding.h"
#include "scenario/scenario.h"
#include "guard.h"

#define PATH "t.scn"
/* lines 1-3 of most scenarios below; the lines under test start at 4 */
#define HDR "lab udp-echo\ntitle t\ntest server\n"
#define CLIENT_HDR "lab udp-echo\ntitle t\ntest client\n"

/* Parses text[0..len) from a copy that ends at an unreadable page; err gets the message. */
static int parse_n(const char *text, size_t len, wc_scenario *sc, char *err, size_t errlen)
{
	const char *p = guard_copy(text, len);
	int rc;

	err[0] = 0;
	rc = wc_scenario_parse(PATH, p, len, sc, err, errlen);
	guard_free(p, len);
	return rc;
}

static void parse_ok(const char *text, wc_scenario *sc)
{
	char err[512];

	if (parse_n(text, strlen(text), sc, err, sizeof(err)) != 0)
		fail_msg("parse failed: %s", err);
}

/* The parse fails with exactly "t.scn:LINE: MSG..." and leaves no steps. */
static void parse_err_n(const char *text, size_t len, int line, const char *msg)
{
	char err[512], want[512];
	wc_scenario sc;

	snprintf(want, sizeof(want), PATH ":%d: %s", line, msg);
	if (parse_n(text, len, &sc, err, sizeof(err)) != -1) {
		wc_scenario_free(&sc);
		fail_msg("parsed, but expected: %s", want);
	}
	if (strncmp(err, want, strlen(want)))
		fail_msg("error\n  '%s'\nexpected to start with\n  '%s'", err, want);
	assert_int_equal(sc.nsteps, 0);
	assert_null(sc.steps);
}

static void parse_err(const char *text, int line, const char *msg)
{
	parse_err_n(text, strlen(text), line, msg);
}

static void assert_step(const wc_scenario *sc, int i, enum wc_step_kind kind, int line, int ep)
{
	assert_true(i < sc->nsteps);
	if (sc->steps[i].kind != kind)
		fail_msg("step %d is '%s', expected '%s'", i, wc_step_kind_str(sc->steps[i].kind), wc_step_kind_str(kind));
	assert_int_equal(sc->steps[i].line, line);
	assert_int_equal(sc->steps[i].ep, ep);
}

static void assert_data(const wc_scenario *sc, int i, const void *want, size_t len)
{
	assert_int_equal(sc->steps[i].len, len);
	assert_non_null(sc->steps[i].data); /* an empty payload too */
	assert_memory_equal(sc->steps[i].data, want, len);
}

/* Every form of the grammar in one server scenario; line numbers on the right. */
static const char full[] =
	"# a comment line\n"                                            /* 1 */
	"lab     udp-echo\n"                                            /* 2 */
	"title   every form of payload  \n"                             /* 3 */
	"level   SHOULD\n"                                              /* 4 */
	"points  3\n"                                                   /* 5 */
	"ref     LABS.md 1: one datagram back\n"                        /* 6 */
	"hint    use recvfrom()\n"                                      /* 7 */
	"test    server\n"                                              /* 8 */
	"variant plain quit   # both\n"                                 /* 9 */
	"timeout 500\n"                                                 /* 10 */
	"deadline 9000\n"                                               /* 11 */
	"\n"                                                            /* 12 */
	"open    A udp\n"                                               /* 13 */
	"\topen\tB\tudp   # a second endpoint\n"                        /* 14 */
	"send    A \"a\\nb\\rc\\td\\0e\\\\f\\\"g\\x41\\xfF\"\n"         /* 15 */
	"expect  A x\"68 65 6C6c\t6f\"   # hex, blanks between pairs\n" /* 16 */
	"send    B \"ab\" * 3\n"                                        /* 17 */
	"send    A \"a\" x\"62\" \"c\"   # concatenation\n"             /* 18 */
	"send    A \"x\" \"yz\" * 2 x\"00\" * 3\n"                      /* 19 */
	"expect  B \"\"\n"                                              /* 20 */
	"expect  B none   # nothing comes back\n"                       /* 21 */
	"send    A \"#not a comment\"# but this is\n"                   /* 22 */
	"send    A \"\" * 5\n"                                          /* 23 */
	"expect  exit 3\n"                                              /* 24 */
	"expect  exit   # any status\n";                                /* 25 */

static void test_full_server(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(full, &sc);
	assert_string_equal(sc.path, PATH);
	assert_string_equal(sc.id, "t");
	assert_string_equal(sc.lab, "udp-echo");
	assert_string_equal(sc.title, "every form of payload");
	assert_int_equal(sc.level, WC_SHOULD);
	assert_int_equal(sc.points, 3);
	assert_string_equal(sc.ref, "LABS.md 1: one datagram back");
	assert_string_equal(sc.hint, "use recvfrom()");
	assert_int_equal(sc.role, WC_TEST_SERVER);
	assert_int_equal(sc.nvariants, 2);
	assert_string_equal(sc.variants[0], "plain");
	assert_string_equal(sc.variants[1], "quit");
	assert_true(wc_scenario_has_variant(&sc, "quit"));
	assert_false(wc_scenario_has_variant(&sc, "loop"));
	assert_int_equal(sc.timeout_ms, 500);
	assert_int_equal(sc.deadline_ms, 9000);
	assert_int_equal(sc.neps, 2);
	assert_string_equal(sc.eps[0].name, "A");
	assert_string_equal(sc.eps[1].name, "B");
	assert_int_equal(sc.eps[1].line, 14);

	assert_int_equal(sc.nsteps, 13);
	assert_step(&sc, 0, WC_STEP_OPEN, 13, 0);
	assert_step(&sc, 1, WC_STEP_OPEN, 14, 1);
	assert_step(&sc, 2, WC_STEP_SEND, 15, 0);
	assert_data(&sc, 2, "a\nb\rc\td\0e\\f\"gA\xff", 15);
	assert_step(&sc, 3, WC_STEP_EXPECT, 16, 0);
	assert_data(&sc, 3, "hello", 5);
	assert_string_equal(sc.steps[3].text, "x\"68 65 6C6c\t6f\"");
	assert_step(&sc, 4, WC_STEP_SEND, 17, 1);
	assert_data(&sc, 4, "ababab", 6);
	assert_step(&sc, 5, WC_STEP_SEND, 18, 0);
	assert_data(&sc, 5, "abc", 3);
	assert_string_equal(sc.steps[5].text, "\"a\" x\"62\" \"c\"");
	/* '*' repeats the part before it only */
	assert_data(&sc, 6, "xyzyz\0\0\0", 8);
	assert_step(&sc, 7, WC_STEP_EXPECT, 20, 1);
	assert_data(&sc, 7, "", 0);
	assert_step(&sc, 8, WC_STEP_EXPECT_NONE, 21, 1);
	assert_null(sc.steps[8].data);
	assert_string_equal(sc.steps[8].text, "none");
	assert_data(&sc, 9, "#not a comment", 14);
	assert_data(&sc, 10, "", 0);
	assert_step(&sc, 11, WC_STEP_EXPECT_EXIT, 24, -1);
	assert_int_equal(sc.steps[11].status, 3);
	assert_step(&sc, 12, WC_STEP_EXPECT_EXIT, 25, -1);
	assert_int_equal(sc.steps[12].status, -1);

	wc_scenario_free(&sc);
	assert_null(sc.steps);
	assert_int_equal(sc.nsteps, 0);
	wc_scenario_free(&sc); /* twice is harmless */
}

/* The same scenario with CRLF line ends (and none after the last line) parses the same. */
static void test_crlf(void **state)
{
	size_t n = strlen(full);
	char *crlf = malloc(2 * n + 1), *o = crlf;
	wc_scenario a, b;
	(void)state;

	for (size_t i = 0; i < n; i++) {
		if (full[i] == '\n')
			*o++ = '\r';
		*o++ = full[i];
	}
	o -= 2; /* drop the last "\r\n" */
	*o = 0;
	parse_ok(full, &a);
	parse_ok(crlf, &b);
	assert_string_equal(b.title, a.title);
	assert_int_equal(b.deadline_ms, 9000);
	assert_int_equal(b.nsteps, a.nsteps);
	for (int i = 0; i < a.nsteps; i++) {
		assert_int_equal(b.steps[i].kind, a.steps[i].kind);
		assert_int_equal(b.steps[i].line, a.steps[i].line);
		assert_int_equal(b.steps[i].status, a.steps[i].status);
		assert_string_equal(b.steps[i].text, a.steps[i].text);
		assert_int_equal(b.steps[i].len, a.steps[i].len);
		if (a.steps[i].len)
			assert_memory_equal(b.steps[i].data, a.steps[i].data, a.steps[i].len);
	}
	wc_scenario_free(&a);
	wc_scenario_free(&b);
	/* and an error in a CRLF file names the right line */
	parse_err("lab x\r\ntitle t\r\ntest server\r\n\r\nbogus\r\n", 5, "unknown keyword 'bogus'");
	free(crlf);
}

static void test_client(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(CLIENT_HDR
		 "stdin \"hello\\n\"\n"               /* 4 */
		 "expect wire \"hello\"\n"            /* 5 */
		 "expect stdout \"HELLO\"  # shown\n" /* 6 */
		 "close stdin\n"                      /* 7 */
		 "expect exit 0\n",                   /* 8 */
		 &sc);
	assert_int_equal(sc.role, WC_TEST_CLIENT);
	assert_int_equal(sc.nvariants, 0);
	assert_true(wc_scenario_has_variant(&sc, "anything"));
	assert_int_equal(sc.level, WC_MUST); /* the defaults */
	assert_int_equal(sc.points, 1);
	assert_int_equal(sc.timeout_ms, 2000);
	assert_int_equal(sc.deadline_ms, 20000);
	assert_int_equal(sc.nsteps, 5);
	assert_step(&sc, 0, WC_STEP_STDIN, 4, -1);
	assert_data(&sc, 0, "hello\n", 6);
	assert_step(&sc, 1, WC_STEP_EXPECT_WIRE, 5, -1);
	assert_data(&sc, 1, "hello", 5);
	assert_step(&sc, 2, WC_STEP_EXPECT_STDOUT, 6, -1);
	assert_data(&sc, 2, "HELLO", 5);
	assert_step(&sc, 3, WC_STEP_CLOSE_STDIN, 7, -1);
	assert_null(sc.steps[3].data);
	assert_step(&sc, 4, WC_STEP_EXPECT_EXIT, 8, -1);
	assert_int_equal(sc.steps[4].status, 0);
	wc_scenario_free(&sc);
}

static void test_repeat(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR
		 "open A udp\n"        /* 4 */
		 "repeat 2  # twice\n" /* 5 */
		 "send A \"x\"\n"      /* 6 */
		 "repeat 3\n"          /* 7 */
		 "expect A \"X\"\n"    /* 8 */
		 "end\n"               /* 9 */
		 "end\n"               /* 10 */
		 "expect A none\n",    /* 11 */
		 &sc);
	/* open, then (x X X X) twice, then none */
	assert_int_equal(sc.nsteps, 10);
	assert_step(&sc, 0, WC_STEP_OPEN, 4, 0);
	for (int r = 0; r < 2; r++) {
		int b = 1 + r * 4;
		assert_step(&sc, b, WC_STEP_SEND, 6, 0);
		assert_data(&sc, b, "x", 1);
		for (int k = 1; k <= 3; k++) {
			assert_step(&sc, b + k, WC_STEP_EXPECT, 8, 0);
			assert_data(&sc, b + k, "X", 1);
		}
	}
	assert_step(&sc, 9, WC_STEP_EXPECT_NONE, 11, 0);
	/* each copy owns its payload */
	for (int i = 1; i < 9; i++)
		assert_true(sc.steps[i].data != sc.steps[i + 1].data);
	wc_scenario_free(&sc);

	/* repeat 1 is the block once */
	parse_ok(HDR "open A udp\nrepeat 1\nsend A \"x\"\nend\n", &sc);
	assert_int_equal(sc.nsteps, 2);
	wc_scenario_free(&sc);
}

static void test_payload_limits(void **state)
{
	wc_scenario sc;
	(void)state;

	/* exactly 1 MiB is allowed */
	parse_ok(HDR "open A udp\nsend A \"a\" * 1048576\n", &sc);
	assert_int_equal(sc.steps[1].len, 1048576);
	assert_int_equal(sc.steps[1].data[1048575], 'a');
	wc_scenario_free(&sc);

	parse_err(HDR "open A udp\nsend A \"ab\" * 524289\n", 5, "payload larger than 1048576 bytes");
	parse_err(HDR "open A udp\nsend A \"a\" * 1048576 \"b\"\n", 5, "payload larger than 1048576 bytes");
	parse_err(HDR "open A udp\nsend A \"ab\" * 1048577\n", 5,
		  "'*' must be a whole number from 1 to 1048576, not '1048577'");
	parse_err(HDR "open A udp\nsend A \"ab\" * 0\n", 5, "'*' must be a whole number from 1 to 1048576, not '0'");
	parse_err(HDR "open A udp\nsend A \"ab\" *\n", 5, "'*' needs a number");
}

static void test_errors_metadata(void **state)
{
	(void)state;

	parse_err(HDR "\nfrobnicate x\n", 5, "unknown keyword 'frobnicate'");
	parse_err("title t\ntest server\nopen A udp\n", 1, "the scenario needs a 'lab' line");
	parse_err("lab x\ntest server\nopen A udp\n", 1, "the scenario needs a 'title' line");
	parse_err("lab x\ntitle t\n", 1, "the scenario needs a 'test server' or 'test client' line");
	parse_err(HDR "title again\n", 4, "'title' is given twice");
	parse_err(HDR "lab again\n", 4, "'lab' is given twice");
	parse_err(HDR "test client\n", 4, "'test' is given twice");
	parse_err("lab x\ntitle t\ntest both\n", 3, "'test' takes 'server' or 'client', not 'both'");
	parse_err(HDR "level HIGH\n", 4, "level must be MUST, SHOULD or INFO, not 'HIGH'");
	parse_err(HDR "level must\n", 4, "level must be MUST, SHOULD or INFO, not 'must'");
	parse_err(HDR "level MUST now\n", 4, "unexpected 'now' at the end of the line");
	parse_err(HDR "points 1001\n", 4, "'points' must be a whole number from 0 to 1000, not '1001'");
	parse_err(HDR "points -1\n", 4, "'points' must be a whole number from 0 to 1000, not '-1'");
	parse_err(HDR "points 2x\n", 4, "'points' must be a whole number from 0 to 1000, not '2x'");
	parse_err(HDR "points\n", 4, "'points' needs a number");
	parse_err(HDR "title\n", 4, "'title' is given twice");
	parse_err("lab x\ntitle\n", 2, "'title' needs a value");
	{
		char text[256] = "lab x\ntitle ";
		memset(text + strlen(text), 'T', 160); /* sizeof(sc.title) is 160: one too many */
		parse_err(text, 2, "'title' is too long (160 characters, at most 159)");
	}
	parse_err(HDR "timeout 0\n", 4, "'timeout' must be a whole number from 1 to 600000, not '0'");
	parse_err(HDR "variant\n", 4, "'variant' needs at least one name");
	parse_err(HDR "variant a b c d e f g h i\n", 4, "too many variants (at most 8)");
	parse_err(HDR "framing lines\n", 4, "framing takes 'any' (messages as they are, or as lines to a server that "
					   "waits for a line end), not 'lines'");
	parse_err(HDR "subject\n", 4, "subject: expected one or more fault IDs (http/crlf, dns/id, ...)");
	parse_err(HDR "subject http/crfl\n", 4, "subject: unknown fault 'http/crfl' (docs/reports.md lists them)");
	parse_err(HDR "subject http/crlf http/date http/crlf\n", 4, "subject: 'http/crlf' is named twice");
	parse_err(HDR "subject http/malformed\n", 4,
		  "subject: 'http/malformed' counts in every scenario already (a message that cannot be read)");
}

static void test_as_hex(void **state)
{
	wc_scenario sc;
	char err[400];
	const char *text = "lab dns\ntitle t\ntest server\nopen A udp\nsend A as-hex \"\\x1a\\x2b\\x01\"\n"
			   "expect A dns not-hex \"\\x1a\\x2b\\x84\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\"\n";
	(void)state;

	assert_int_equal(wc_scenario_parse("s.scn", text, strlen(text), &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.steps[1].as_hex, 1);
	assert_int_equal(sc.steps[1].len, 6);
	assert_memory_equal(sc.steps[1].data, "1a2b01", 6);
	assert_int_equal(sc.steps[2].match, WC_MATCH_DNS_NOT_HEX);
	assert_int_equal(sc.steps[2].len, 12);
	wc_scenario_free(&sc);
}

static void test_subject(void **state)
{
	wc_scenario sc;
	char err[400];
	const char *text = HDR "subject http/status  http/crlf # the form of the head\nopen A udp\n";
	(void)state;

	assert_int_equal(wc_scenario_parse("s.scn", text, strlen(text), &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.subject, "http/status http/crlf");
	assert_int_equal(sc.subject_line, 4);
	assert_true(wc_subject_has(sc.subject, "http/crlf"));
	assert_false(wc_subject_has(sc.subject, "http/crl"));
	assert_false(wc_subject_has(sc.subject, "http/date"));
	wc_scenario_free(&sc);
}

static void test_errors_structure(void **state)
{
	(void)state;

	parse_err(HDR, 1, "the scenario has no steps");
	parse_err(HDR "# only comments\n\n", 1, "the scenario has no steps");
	parse_err(HDR "timeout 5000\ndeadline 1000\nopen A udp\n", 1,
		  "deadline (1000 ms) is shorter than timeout (5000 ms)");
	parse_err("lab x\nopen A udp\ntitle t\ntest server\n", 2, "'open' comes after the 'test' line");
	parse_err("lab x\ntitle t\nexpect exit\ntest server\n", 3, "'expect' comes after the 'test' line");
	parse_err_n(HDR "open A udp\nsend A \"a\0b\"\n", sizeof(HDR "open A udp\nsend A \"a\0b\"\n") - 1, 5,
		    "a NUL byte in the scenario text");
	/* repeat blocks */
	parse_err(HDR "open A udp\nrepeat 2\nsend A \"x\"\n", 5, "'repeat' without 'end'");
	parse_err(HDR "open A udp\nrepeat 2\nrepeat 3\nsend A \"x\"\nend\n", 5, "'repeat' without 'end'");
	parse_err(HDR "open A udp\nrepeat 2\nsend A \"x\"\nrepeat 3\nsend A \"x\"\n", 7, "'repeat' without 'end'");
	parse_err(HDR "open A udp\nend\n", 5, "'end' without 'repeat'");
	parse_err(HDR "open A udp\nrepeat 2\nsend A \"x\"\nend\nend\n", 8, "'end' without 'repeat'");
	parse_err(HDR "open A udp\nrepeat 2\nend\n", 6, "empty repeat block (line 5)");
	parse_err(HDR "open A udp\nrepeat 2\nopen B udp\nsend B \"x\"\nend\n", 8,
		  "'open' cannot stand inside a repeat block (line 6)");
	parse_err(HDR "open A udp\nrepeat 0\n", 5, "'repeat' must be a whole number from 1 to 10000, not '0'");
	parse_err(HDR "open A udp\nrepeat 2 times\n", 5, "unexpected 'times' at the end of the line");
	parse_err(HDR "open A udp\nrepeat 2\nsend A \"x\"\nend now\n", 7, "unexpected 'now' at the end of the line");
	parse_err(HDR "open A udp\nrepeat 2\nrepeat 2\nrepeat 2\nrepeat 2\nrepeat 2\n", 9,
		  "repeat blocks nest at most 4 deep");
	parse_err(HDR "open A udp\nrepeat 10000\nrepeat 10000\nsend A \"x\"\nend\nend\n", 9,
		  "too many steps (at most 20000, repeat blocks included)");
}

/* The rule 'open cannot stand inside a repeat block' holds for any count, 1 included. */
static void test_open_inside_repeat_once(void **state)
{
	(void)state;

	parse_err(HDR "repeat 1\nopen A udp\nend\nsend A \"x\"\n", 6,
		  "'open' cannot stand inside a repeat block (line 5)");
}

static void test_errors_payload(void **state)
{
	(void)state;

#define OPEN HDR "open A udp\n"
	parse_err(OPEN "send A \"abc\n", 5, "unterminated string: a closing '\"' is missing");
	parse_err(OPEN "send A \"abc", 5, "unterminated string: a closing '\"' is missing");
	parse_err(OPEN "send A \"abc\\", 5, "unterminated string: a closing '\"' is missing");
	parse_err(OPEN "send A \"abc\\\"\n", 5, "unterminated string: a closing '\"' is missing");
	parse_err(OPEN "send A \"a\\qb\"\n", 5, "unknown escape '\\q' (use \\n \\r \\t \\0 \\\\ \\\" \\xHH)");
	parse_err(OPEN "send A \"\\x4g\"\n", 5, "'\\x' must be followed by two hex digits");
	parse_err(OPEN "send A \"\\xg4\"\n", 5, "'\\x' must be followed by two hex digits");
	parse_err(OPEN "send A \"\\x4\"\n", 5, "'\\x' must be followed by two hex digits");
	parse_err(OPEN "send A \"\\x4", 5, "'\\x' must be followed by two hex digits");
	parse_err(OPEN "send A \"\\x", 5, "'\\x' must be followed by two hex digits");
	parse_err(OPEN "send A x\"6g\"\n", 5, "hex string: '6' is not a pair of hex digits");
	parse_err(OPEN "send A x\"616\"\n", 5, "hex string: '6' is not a pair of hex digits");
	parse_err(OPEN "send A x\"6 1\"\n", 5, "hex string: '6' is not a pair of hex digits");
	parse_err(OPEN "send A x\"zz\"\n", 5, "hex string: 'z' is not a pair of hex digits");
	parse_err(OPEN "send A x\"61", 5, "unterminated hex string: a closing '\"' is missing");
	parse_err(OPEN "send A x\"6", 5, "hex string: '6' is not a pair of hex digits");
	parse_err(OPEN "send A\n", 5, "a payload is missing (\"text\", x\"hex\", @file or $name)");
	parse_err(OPEN "send A # nothing\n", 5, "a payload is missing (\"text\", x\"hex\", @file or $name)");
	parse_err(OPEN "send A hello\n", 5, "expected a payload (\"text\", x\"hex\", @file or $name), not 'hello'");
	parse_err(OPEN "send A \"x\" junk\n", 5, "expected a payload (\"text\", x\"hex\", @file or $name), not 'junk'");
	parse_err(OPEN "send A x\n", 5, "expected a payload (\"text\", x\"hex\", @file or $name), not 'x'");
	parse_err(OPEN "send A @\n", 5, "'@' must be followed by a file name");
	parse_err(OPEN "send A @", 5, "'@' must be followed by a file name");
	parse_err(OPEN "send A @../secret\n", 5, "payload file '../secret' must be a plain name beside the scenario");
	parse_err(OPEN "send A @/etc/passwd\n", 5, "payload file '/etc/passwd' must be a plain name beside the scenario");
	parse_err(OPEN "send A @no-such-file\n", 5,
		  "cannot read payload file './no-such-file': No such file or directory");
#undef OPEN
}

static void test_errors_steps(void **state)
{
	(void)state;

	parse_err(HDR "send B \"x\"\n", 4, "unknown endpoint 'B' (open it first: 'open NAME udp')");
	parse_err(HDR "open A udp\nexpect B \"x\"\n", 5, "unknown endpoint 'B' (open it first: 'open NAME udp')");
	parse_err(HDR "open A udp\nopen A udp\n", 5, "endpoint 'A' is already open");
	parse_err(HDR "open A\n", 4, "'open A' needs a protocol: udp or tcp");
	parse_err(HDR "open A sctp\n", 4, "'open A' needs a protocol: udp or tcp");
	parse_err(HDR "open\n", 4, "'open' needs an endpoint name of 1 to 31 characters");
	parse_err(HDR "open exit udp\n", 4, "'exit' is a reserved word, not an endpoint name");
	parse_err(HDR "open A udp extra\n", 4, "unexpected 'extra' at the end of the line");
	parse_err(HDR "open A udp\nexpect\n", 5, "'expect' needs what: an endpoint, 'exit', 'wire' or 'stdout'");
	parse_err(HDR "open A udp\nexpect A none extra\n", 5, "unexpected 'extra' at the end of the line");
	parse_err(HDR "open A udp\nexpect exit 0 junk\n", 5, "unexpected 'junk' at the end of the line");
	parse_err(HDR "open A udp\nexpect exit 256\n", 5, "'expect exit' must be a whole number from 0 to 255, not '256'");
	parse_err(HDR "open A udp\nexpect exit zero\n", 5, "'expect exit' must be a whole number from 0 to 255, not 'zero'");
	/* client steps in a server scenario */
	parse_err(HDR "stdin \"x\"\n", 4, "'stdin' is a step for 'test client' scenarios");
	parse_err(HDR "close stdin\n", 4, "'close stdin' is a step for 'test client' scenarios");
	parse_err(HDR "expect wire \"x\"\n", 4, "'expect wire' is a step for 'test client' scenarios");
	parse_err(HDR "expect stdout \"x\"\n", 4, "'expect stdout' is a step for 'test client' scenarios");
	/* server steps in a client scenario */
	parse_err(CLIENT_HDR "open A udp\n", 4, "'open' is a step for 'test server' scenarios");
	parse_err(CLIENT_HDR "send A \"x\"\n", 4, "'send' is a step for 'test server' scenarios");
	parse_err(CLIENT_HDR "expect A \"x\"\n", 4, "'expect A': a client scenario expects 'wire', 'stdout' or 'exit'");
	parse_err(CLIENT_HDR "close stdout\n", 4, "'close' takes 'stdin' in a client scenario");
}

/* Every prefix of the full scenario, from a guarded copy: no over-read, a clean result either way. */
static void test_every_prefix(void **state)
{
	size_t n = strlen(full);
	(void)state;

	for (size_t len = 0; len <= n; len++) {
		char err[512];
		wc_scenario sc;
		int rc = parse_n(full, len, &sc, err, sizeof(err));
		if (rc == 0) {
			assert_true(sc.nsteps > 0);
			wc_scenario_free(&sc);
		} else {
			assert_int_equal(rc, -1);
			assert_int_equal(strncmp(err, PATH ":", strlen(PATH ":")), 0);
			assert_int_equal(sc.nsteps, 0);
			assert_null(sc.steps);
		}
	}
}

/* A temporary folder with a scenario and its payload files; removed by the teardown. */
static char dir[64];

static void write_file(const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/wc-scenario-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = {"t.scn", "req.bin", "big.bin", "bad.scn", "ok.bin", "q.hex"};
	char path[128];
	(void)state;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

static void test_load_payload_file(void **state)
{
	static const char scn[] = HDR
		"open A udp\n"
		"send A @req.bin   # beside the scenario\n"
		"expect A \"<\" @req.bin \">\"\n";
	char path[128], err[512] = "", want[256];
	wc_scenario sc;
	(void)state;

	write_file("req.bin", "q\0\xff\n", 4);
	write_file("t.scn", scn, sizeof(scn) - 1);
	snprintf(path, sizeof(path), "%s/t.scn", dir);
	if (wc_scenario_load(path, &sc, err, sizeof(err)) != 0)
		fail_msg("load failed: %s", err);
	assert_string_equal(sc.path, path);
	assert_string_equal(sc.id, "t");
	assert_int_equal(sc.nsteps, 3);
	assert_data(&sc, 1, "q\0\xff\n", 4);
	assert_string_equal(sc.steps[1].text, "@req.bin");
	assert_data(&sc, 2, "<q\0\xff\n>", 6);
	wc_scenario_free(&sc);

	/* a missing payload file: the scenario's path and line, and the file's full path */
	write_file("bad.scn", HDR "open A udp\n\nsend A @ok.bin\n", sizeof(HDR "open A udp\n\nsend A @ok.bin\n") - 1);
	snprintf(path, sizeof(path), "%s/bad.scn", dir);
	snprintf(want, sizeof(want), "%s:6: cannot read payload file '%s/ok.bin': No such file or directory", path, dir);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_null(sc.steps);

	/* a payload file over 1 MiB */
	{
		size_t big = (1u << 20) + 1;
		char *b = calloc(1, big);
		assert_non_null(b);
		write_file("big.bin", b, big);
		free(b);
	}
	write_file("bad.scn", HDR "open A udp\nsend A @big.bin\n", sizeof(HDR "open A udp\nsend A @big.bin\n") - 1);
	snprintf(want, sizeof(want), "%s:5: payload file '%s/big.bin' is larger than 1048576 bytes", path, dir);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_int_equal(sc.nsteps, 0);

	/* no scenario file at all */
	snprintf(path, sizeof(path), "%s/none.scn", dir);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void test_names(void **state)
{
	(void)state;

	assert_string_equal(wc_level_str(WC_MUST), "MUST");
	assert_string_equal(wc_level_str(WC_INFO), "INFO");
	assert_string_equal(wc_level_str((enum wc_level)7), "?");
	assert_string_equal(wc_step_kind_str(WC_STEP_EXPECT_NONE), "expect none");
	assert_string_equal(wc_step_kind_str(WC_STEP_EXPECT_STDOUT), "expect stdout");
	assert_string_equal(wc_step_kind_str((enum wc_step_kind)99), "?");
}

/* TCP steps: endpoints, send stressors, line and close expectations, $name. */
static void test_tcp_steps(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR "open A tcp slow\n"
		     "open B tcp\n"
		     "send A \"abcdef\" segments 3\n"
		     "send A \"xyz\\n\" bytewise\n"
		     "expect A \"ABCDEF\"\n"
		     "expect A line \"Hi \" $name \"!\"\n"
		     "shutdown A\n"
		     "expect A closed\n"
		     "reset B\n"
		     "close A\n",
		 &sc);
	assert_int_equal(sc.neps, 2);
	assert_int_equal(sc.eps[0].proto, IPPROTO_TCP);
	assert_int_equal(sc.eps[0].slow, 1);
	assert_int_equal(sc.eps[1].slow, 0);
	assert_int_equal(sc.steps[2].kind, WC_STEP_SEND);
	assert_int_equal(sc.steps[2].segments, 3);
	assert_int_equal(sc.steps[3].segments, 4); /* bytewise: one piece a byte */
	assert_int_equal(sc.steps[5].kind, WC_STEP_EXPECT_LINE);
	assert_int_equal(sc.steps[5].nnames, 1);
	assert_int_equal(sc.steps[5].name_at[0], 3);
	assert_int_equal(sc.steps[6].kind, WC_STEP_SHUTDOWN);
	assert_int_equal(sc.steps[7].kind, WC_STEP_EXPECT_CLOSED);
	assert_int_equal(sc.steps[8].kind, WC_STEP_RESET);
	assert_int_equal(sc.steps[9].kind, WC_STEP_CLOSE);
	assert_int_equal(wc_scenario_bind_name(&sc, "Ali Khan"), 0);
	assert_int_equal(sc.steps[5].len, strlen("Hi Ali Khan!"));
	assert_memory_equal(sc.steps[5].data, "Hi Ali Khan!", sc.steps[5].len);
	wc_scenario_free(&sc);

	parse_err(HDR "open A udp\nsend A \"ab\" segments 2\n", 5, "'segments' is for tcp endpoints");
	parse_err(HDR "open A tcp\nsend A \"ab\" segments 3\n", 5, "3 segments of a 2-byte payload");
	parse_err(HDR "open A udp\nexpect A closed\n", 5, "'expect A closed' is for tcp endpoints");
	parse_err(HDR "open A udp\nexpect A line \"x\"\n", 5, "'expect A line' is for tcp endpoints");
	parse_err(HDR "open A tcp\nexpect A line \"x\\n\"\n", 5, "'expect A line' takes the line without its line end");
	parse_err(HDR "open A udp\nshutdown A\n", 5, "'shutdown' is for tcp endpoints");
	parse_err(HDR "open A udp slow\n", 4, "'slow' is for tcp endpoints");
	parse_err(HDR "reset B\n", 4, "unknown endpoint 'B' (open it first: 'open NAME tcp')");
	parse_err(HDR "open A tcp\nsend A $name $name $name $name $name\n", 5, "at most 4 $name parts in one payload");
	/* each payload within its cap, their sum not: the limit holds for the whole scenario */
	parse_err(HDR "open A udp\nrepeat 10000\nsend A \"x\" * 1000000\nend\n", 7,
		  "the payloads add up to more than 64 MiB (repeat block of line 5)");
}

/* 'variant concurrent' names the concurrent-* variants too, and nothing else. */
static void test_variant_prefix(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR "variant concurrent quit\nopen A udp\n", &sc);
	assert_true(wc_scenario_has_variant(&sc, "concurrent"));
	assert_true(wc_scenario_has_variant(&sc, "concurrent-threads"));
	assert_true(wc_scenario_has_variant(&sc, "quit"));
	assert_false(wc_scenario_has_variant(&sc, "concurrently"));
	assert_false(wc_scenario_has_variant(&sc, "session"));
	wc_scenario_free(&sc);
}

/* .hex payload files: pairs, blanks, comments; a bad pair names the file and its line */
static void test_hex_file(void **state)
{
	static const char scn[] = HDR "open A udp\nsend A @q.hex\nexpect A dns @q.hex\n";
	static const char hex[] = "# a query\n1a 2b   # ID\n0100 00 01\n\n00 00 00 00 00 00 # counts\n";
	char path[128], err[512] = "", want[300];
	wc_scenario sc;
	(void)state;

	write_file("q.hex", hex, sizeof(hex) - 1);
	write_file("t.scn", scn, sizeof(scn) - 1);
	snprintf(path, sizeof(path), "%s/t.scn", dir);
	if (wc_scenario_load(path, &sc, err, sizeof(err)) != 0)
		fail_msg("load failed: %s", err);
	assert_data(&sc, 1, "\x1a\x2b\x01\x00\x00\x01\0\0\0\0\0\0", 12);
	assert_int_equal(sc.steps[2].kind, WC_STEP_EXPECT);
	assert_int_equal(sc.steps[2].match, WC_MATCH_DNS);
	assert_data(&sc, 2, "\x1a\x2b\x01\x00\x00\x01\0\0\0\0\0\0", 12);
	wc_scenario_free(&sc);

	write_file("q.hex", "1a 2b\n0g\n", 9);
	snprintf(want, sizeof(want), "%s:5: %s/q.hex:2: '0' does not start a pair of hex digits", path, dir);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	write_file("q.hex", "1a 2b 3", 7);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "q.hex:1: '3' does not start a pair"));
	/* a DNS expectation shorter than a header */
	write_file("q.hex", "1a 2b", 5);
	snprintf(want, sizeof(want), "%s:6: 'expect A dns': a DNS message has a 12-byte header, this one 2 bytes", path);
	assert_int_equal(wc_scenario_load(path, &sc, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void test_dns_steps(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR "open A udp\nsend A \"x\"\nexpect A dns rcode 3\nexpect printed\n", &sc);
	assert_int_equal(sc.steps[2].match, WC_MATCH_DNS_RCODE);
	assert_int_equal(sc.steps[2].status, 3);
	assert_int_equal(sc.steps[3].kind, WC_STEP_EXPECT_PRINTED);
	wc_scenario_free(&sc);
	parse_ok(CLIENT_HDR "stdin \"a\\n\"\nexpect wire dns-query \"GOOGLE.com\" rd 0\nexpect wire dns-query \"b.c\"\n"
			    "expect wire none\n", &sc);
	assert_int_equal(sc.steps[1].kind, WC_STEP_EXPECT_WIRE);
	assert_int_equal(sc.steps[1].match, WC_MATCH_DNS_QUERY);
	assert_int_equal(sc.steps[1].rd0, 1);
	assert_data(&sc, 1, "GOOGLE.com", 10);
	assert_int_equal(sc.steps[2].rd0, 0);
	assert_int_equal(sc.steps[3].match, WC_MATCH_NONE);
	wc_scenario_free(&sc);

	parse_err(HDR "open A tcp\nexpect A dns x\"00\"\n", 5, "'expect A dns' is for udp endpoints");
	parse_err(HDR "open A udp\nexpect A dns rcode 16\n", 5, "'rcode' must be a whole number from 0 to 15");
	parse_err(HDR "open A udp\nexpect A dns x\"00 01\"\n", 5, "'expect A dns': a DNS message has a 12-byte header");
	parse_err(CLIENT_HDR "expect wire dns-query \"\"\n", 4, "'expect wire dns-query' takes a domain name");
	parse_err(CLIENT_HDR "expect wire dns-query \"a.b\" rd 1\n", 4, "'rd' must be a whole number from 0 to 0");
	parse_err(CLIENT_HDR "expect printed\n", 4, "'expect printed' is a step for 'test server' scenarios");
	parse_err(HDR "open printed udp\n", 4, "'printed' is a reserved word");
}

static void test_http_steps(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR "open A tcp\nsend A \"GET / HTTP/1.1\\r\\n\\r\\n\"\nexpect A http 200 file a/b.html connection\n"
		     "expect A http 400|403|404\nexpect A http any\nexpect A http 200 head x.png\n",
		 &sc);
	assert_int_equal(sc.steps[2].kind, WC_STEP_EXPECT_HTTP);
	assert_int_equal(sc.steps[2].nstatuses, 1);
	assert_int_equal(sc.steps[2].statuses[0], 200);
	assert_string_equal(sc.steps[2].file, "a/b.html");
	assert_int_equal(sc.steps[2].conn, 1);
	assert_int_equal(sc.steps[2].head, 0);
	assert_int_equal(sc.steps[3].nstatuses, 3);
	assert_int_equal(sc.steps[3].statuses[2], 404);
	assert_int_equal(sc.steps[3].conn, 0);
	assert_int_equal(sc.steps[4].nstatuses, 0);
	assert_int_equal(sc.steps[5].head, 1);
	assert_string_equal(sc.steps[5].file, "x.png");
	wc_scenario_free(&sc);

	parse_err(HDR "open A udp\nexpect A http 200\n", 5, "'expect A http' is for tcp endpoints");
	parse_err(HDR "open A tcp\nexpect A http\n", 5, "'expect A http' needs a status");
	parse_err(HDR "open A tcp\nexpect A http 20\n", 5, "'20' is not a status");
	parse_err(HDR "open A tcp\nexpect A http 200|\n", 5, "'200|' ends with '|'");
	parse_err(HDR "open A tcp\nexpect A http 200x\n", 5, "'200x' is not a status");
	parse_err(HDR "open A tcp\nexpect A http 200|201|202|203|204\n", 5, "at most 4 statuses");
	parse_err(HDR "open A tcp\nexpect A http 200 file\n", 5, "'file' needs a file of the docroot");
	parse_err(HDR "open A tcp\nexpect A http 200 file ../x\n", 5, "'file' must be a plain path inside the docroot");
	parse_err(HDR "open A tcp\nexpect A http 200 file /x\n", 5, "'file' must be a plain path inside the docroot");
	parse_err(HDR "open A tcp\nexpect A http 200 file x y\n", 5, "unexpected 'y' at the end of the line");
}

/* if NAME kept-alive ... end: the steps inside carry the condition; nested repeat blocks too */
static void test_if_block(void **state)
{
	wc_scenario sc;
	(void)state;

	parse_ok(HDR "open A tcp\nopen B tcp\nsend A \"a\"\nif A kept-alive\nsend A \"b\"\nrepeat 2\nsend A \"c\"\nend\n"
		     "if B kept-alive\nsend B \"d\"\nend\nend\nsend A \"e\"\n",
		 &sc);
	assert_int_equal(sc.nsteps, 8);
	assert_int_equal(sc.steps[2].if_kept_alive, 0);
	assert_int_equal(sc.steps[3].if_kept_alive, 1);
	assert_int_equal(sc.steps[4].if_kept_alive, 1);
	assert_int_equal(sc.steps[5].if_kept_alive, 1);
	assert_int_equal(sc.steps[6].if_kept_alive, 2);
	assert_int_equal(sc.steps[7].if_kept_alive, 0);
	wc_scenario_free(&sc);

	parse_err(HDR "open A tcp\nif A kept-alive\nsend A \"x\"\n", 5, "'if' without 'end'");
	parse_err(HDR "open A tcp\nif A kept-alive\nend\n", 6, "empty if block (line 5)");
	parse_err(HDR "open A tcp\nif A kept-alive\nopen B tcp\nend\n", 7, "'open' cannot stand inside an if block");
	parse_err(HDR "open A udp\nif A kept-alive\n", 5, "'if A kept-alive' is for tcp endpoints");
	parse_err(HDR "open A tcp\nif A alive\n", 5, "'if' takes 'NAME kept-alive'");
	parse_err(HDR "open A tcp\nif B kept-alive\n", 5, "'if' takes 'NAME kept-alive'");
	parse_err(CLIENT_HDR "if A kept-alive\n", 4, "'if' is a step for 'test server' scenarios");
	parse_err(HDR "end\n", 4, "'end' without 'repeat' or 'if'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_server),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_payload_limits),
		cmocka_unit_test(test_errors_metadata),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_as_hex),
		cmocka_unit_test(test_errors_structure),
		cmocka_unit_test(test_open_inside_repeat_once),
		cmocka_unit_test(test_tcp_steps),
		cmocka_unit_test(test_variant_prefix),
		cmocka_unit_test(test_errors_payload),
		cmocka_unit_test(test_errors_steps),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_load_payload_file),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hex_file),
		cmocka_unit_test(test_dns_steps),
		cmocka_unit_test(test_http_steps),
		cmocka_unit_test(test_if_block),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
