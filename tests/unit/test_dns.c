/* test_dns.c - RFC 1035 parsing (pointers, limits, every truncation), queries, the table, the authoritative answer */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cursor.h"
#include "dns.h"
#include "guard.h"

/* The LABS.md 5 example: the response for google.com with ID 1a2b. */
static const uint8_t labs_response[] = {
	0x1a, 0x2b,                                                             /* ID */
	0x84, 0x00,                                                             /* QR 1, AA 1, RCODE 0 */
	0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,                         /* QD 1, AN 2, NS 0, AR 0 */
	0x06, 'g',  'o',  'o',  'g',  'l',  'e',  0x03, 'c',  'o',  'm',  0x00, /* 12: google.com */
	0x00, 0x01, 0x00, 0x01,                                                 /* 24: A IN */
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00,       /* 28: c0 0c A IN TTL 260 */
	0x04, 0xc0, 0xa5, 0x01, 0x01,                                           /* RDLENGTH 4, 192.165.1.1 */
	0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00,       /* 44: c0 0c A IN TTL 260 */
	0x04, 0xc0, 0xa5, 0x01, 0x0a,                                           /* RDLENGTH 4, 192.165.1.10 */
};

/* The query it answers: ID 1a2b, flags 0, QD 1, google.com A IN. */
static const uint8_t google_query[] = {
	0x1a, 0x2b, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 'g',
	'o',  'o',  'g',  'l',  'e',  0x03, 'c',  'o',  'm',  0x00, 0x00, 0x01, 0x00, 0x01,
};

/* A 12-byte header: ID 0x1234, the given flags, QDCOUNT qd, other counts 0. */
static void header(uint8_t *p, uint16_t flags, uint16_t qd)
{
	const uint8_t h[12] = {0x12, 0x34, (uint8_t)(flags >> 8), (uint8_t)flags, (uint8_t)(qd >> 8), (uint8_t)qd};
	memcpy(p, h, 12);
}

/* Reads the name at off in msg[0..len), over a guarded copy. */
static int name_at(const uint8_t *msg, size_t len, size_t off, wc_dns_name *n, char *err, size_t errlen)
{
	const uint8_t *g = guard_copy(msg, len);
	wc_cur c;
	int rc;

	wc_cur_init(&c, g, len);
	assert_int_equal(wc_cur_seek(&c, off), 0);
	rc = wc_dns_read_name(&c, g, len, n, err, errlen);
	if (rc < 0) {
		assert_int_equal(c.off, off); /* the cursor stays */
	} else {
		assert_int_equal(c.off, off + n->wire_len);
	}
	guard_free(g, len);
	return rc;
}

static void test_parse_labs_example(void **state)
{
	const uint8_t *g = guard_copy(labs_response, sizeof(labs_response));
	wc_dns_msg m;
	char err[200] = "";
	(void)state;

	assert_int_equal(wc_dns_parse(g, sizeof(labs_response), &m, err, sizeof(err)), 0);
	assert_int_equal(m.h.id, 0x1a2b);
	assert_int_equal(m.h.qr, 1);
	assert_int_equal(m.h.opcode, 0);
	assert_int_equal(m.h.aa, 1);
	assert_int_equal(m.h.tc, 0);
	assert_int_equal(m.h.rd, 0);
	assert_int_equal(m.h.ra, 0);
	assert_int_equal(m.h.z, 0);
	assert_int_equal(m.h.rcode, 0);
	assert_int_equal(m.h.qdcount, 1);
	assert_int_equal(m.h.ancount, 2);
	assert_int_equal(m.h.nscount, 0);
	assert_int_equal(m.h.arcount, 0);
	assert_int_equal(m.nqd, 1);
	assert_string_equal(m.qd[0].name.text, "google.com");
	assert_int_equal(m.qd[0].off, 12);
	assert_int_equal(m.qd[0].name.off, 12);
	assert_int_equal(m.qd[0].name.wire_len, 12);
	assert_int_equal(m.qd[0].name.compressed, 0);
	assert_int_equal(m.qd[0].qtype, 1);
	assert_int_equal(m.qd[0].qclass, 1);
	assert_int_equal(m.nan, 2);
	for (int i = 0; i < 2; i++) {
		const wc_dns_rr *rr = &m.an[i];

		assert_int_equal(rr->off, 28 + 16 * i);
		assert_string_equal(rr->name.text, "google.com");
		assert_int_equal(rr->name.wire_len, 2);
		assert_int_equal(rr->name.compressed, 1);
		assert_int_equal(rr->name.ptr, 12);
		assert_int_equal(rr->type, 1);
		assert_int_equal(rr->rclass, 1);
		assert_int_equal(rr->ttl, 260);
		assert_int_equal(rr->rdlength, 4);
		assert_int_equal(rr->rdata_off, 40 + 16 * i);
	}
	assert_memory_equal(g + m.an[0].rdata_off, "\xc0\xa5\x01\x01", 4);
	assert_memory_equal(g + m.an[1].rdata_off, "\xc0\xa5\x01\x0a", 4);
	assert_int_equal(m.nns, 0);
	assert_int_equal(m.nar, 0);
	assert_int_equal(m.end, sizeof(labs_response));
	guard_free(g, sizeof(labs_response));
}

static void test_header_bits(void **state)
{
	static const struct {
		uint16_t flags;
		unsigned qr, opcode, aa, tc, rd, ra, z, rcode;
	} cases[] = {
		{0x8000, 1, 0, 0, 0, 0, 0, 0, 0}, {0x7800, 0, 15, 0, 0, 0, 0, 0, 0},
		{0x0800, 0, 1, 0, 0, 0, 0, 0, 0}, {0x0400, 0, 0, 1, 0, 0, 0, 0, 0},
		{0x0200, 0, 0, 0, 1, 0, 0, 0, 0}, {0x0100, 0, 0, 0, 0, 1, 0, 0, 0},
		{0x0080, 0, 0, 0, 0, 0, 1, 0, 0}, {0x0070, 0, 0, 0, 0, 0, 0, 7, 0},
		{0x0010, 0, 0, 0, 0, 0, 0, 1, 0}, {0x000f, 0, 0, 0, 0, 0, 0, 0, 15},
		{0x0003, 0, 0, 0, 0, 0, 0, 0, 3}, {0xffff, 1, 15, 1, 1, 1, 1, 7, 15},
	};
	uint8_t p[12] = {0xab, 0xcd, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
	wc_dns_header h;
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p[2] = (uint8_t)(cases[i].flags >> 8);
		p[3] = (uint8_t)cases[i].flags;
		assert_int_equal(wc_dns_parse_header(p, 12, &h), 0);
		assert_int_equal(h.id, 0xabcd);
		assert_int_equal(h.qr, cases[i].qr);
		assert_int_equal(h.opcode, cases[i].opcode);
		assert_int_equal(h.aa, cases[i].aa);
		assert_int_equal(h.tc, cases[i].tc);
		assert_int_equal(h.rd, cases[i].rd);
		assert_int_equal(h.ra, cases[i].ra);
		assert_int_equal(h.z, cases[i].z);
		assert_int_equal(h.rcode, cases[i].rcode);
		assert_int_equal(h.qdcount, 0x0102);
		assert_int_equal(h.ancount, 0x0304);
		assert_int_equal(h.nscount, 0x0506);
		assert_int_equal(h.arcount, 0x0708);
	}
	h.id = 7;
	assert_int_equal(wc_dns_parse_header(p, 11, &h), -1);
	assert_int_equal(h.id, 0);
}

/*
 * 12: google.com (labels)           06 google 03 com 00
 * 24: mail + pointer to 12          04 mail c0 0c
 * 31: www + pointer to 24           03 www c0 18
 * 37: pointer to 31                 c0 1f
 * 39: pointer to 37, a pointer      c0 25   (not at a label)
 * 41: pointer to 45, ahead          c0 2d
 * 43: pointer to 43, itself         c0 2b
 * 45: "x" then pointer to 45        01 78 c0 2d  (its own start)
 * 49: pointer to 0x3fff, far ahead  ff ff
 */
static const uint8_t ptrs[] = {
	0x12, 0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header */
	0x06, 'g',  'o',  'o',  'g',  'l',  'e',  0x03, 'c',  'o',  'm',  0x00, /* 12 */
	0x04, 'm',  'a',  'i',  'l',  0xc0, 0x0c,                               /* 24 */
	0x03, 'w',  'w',  'w',  0xc0, 0x18,                                     /* 31 */
	0xc0, 0x1f,                                                             /* 37 */
	0xc0, 0x25,                                                             /* 39 */
	0xc0, 0x2d,                                                             /* 41 */
	0xc0, 0x2b,                                                             /* 43 */
	0x01, 'x',  0xc0, 0x2d,                                                 /* 45 */
	0xff, 0xff,                                                             /* 49 */
};

static void test_pointers(void **state)
{
	wc_dns_name n;
	char err[200];
	(void)state;

	/* backwards: fine, and the chain of names through pointers too */
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 24, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "mail.google.com");
	assert_int_equal(n.off, 24);
	assert_int_equal(n.wire_len, 7);
	assert_int_equal(n.compressed, 1);
	assert_int_equal(n.ptr, 12);
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 31, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "www.mail.google.com");
	assert_int_equal(n.wire_len, 6);
	assert_int_equal(n.ptr, 24);
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 37, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "www.mail.google.com");
	assert_int_equal(n.wire_len, 2);
	assert_int_equal(n.ptr, 31);
	/* a pointer at a pointer: not at a label */
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 39, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not point at a label"));
	assert_string_equal(n.text, "");
	/* ahead, itself, to its own name's start, far past the end */
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 41, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pointer at offset 41 to 45 does not point before its name"));
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 43, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pointer at offset 43 to 43 does not point before its name"));
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 45, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pointer at offset 47 to 45 does not point before its name"));
	assert_int_equal(name_at(ptrs, sizeof(ptrs), 49, &n, err, sizeof(err)), -1);
}

/* Two names pointing at each other, and a long chain: no loop can be followed. */
static void test_no_loop(void **state)
{
	uint8_t m[19 + 4 * 130];
	wc_dns_name n;
	char err[200];
	(void)state;

	header(m, 0, 0);
	m[12] = 0xc0, m[13] = 14; /* 12 -> 14 */
	m[14] = 0xc0, m[15] = 12; /* 14 -> 12 */
	assert_int_equal(name_at(m, 16, 12, &n, err, sizeof(err)), -1);
	assert_int_equal(name_at(m, 16, 14, &n, err, sizeof(err)), -1);
	/* 130 names "a" + pointer to the one before, after "a" 00 at 16: each
	 * jump goes back; the name grows 2 bytes a jump, past 255 at last */
	m[16] = 1, m[17] = 'a', m[18] = 0;
	for (size_t i = 0; i < 130; i++) {
		size_t at = 19 + 4 * i;

		size_t prev = i ? at - 4 : 16;

		m[at] = 1;
		m[at + 1] = 'a';
		m[at + 2] = (uint8_t)(0xc0 | prev >> 8);
		m[at + 3] = (uint8_t)prev;
	}
	assert_int_equal(name_at(m, sizeof(m), 19, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "a.a");
	assert_int_equal(name_at(m, sizeof(m), 19 + 4 * 40, &n, err, sizeof(err)), 0);
	assert_int_equal(strlen(n.text), 2 * 42 - 1);
	/* 127 labels "a": 255 bytes; 128: 257 */
	assert_int_equal(name_at(m, sizeof(m), 19 + 4 * 125, &n, err, sizeof(err)), 0);
	assert_int_equal(strlen(n.text), 2 * 127 - 1);
	assert_int_equal(name_at(m, sizeof(m), 19 + 4 * 126, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than 255"));
}

static void test_label_limits(void **state)
{
	uint8_t m[12 + 300];
	wc_dns_name n;
	char err[200];
	(void)state;

	header(m, 0, 0);
	/* a label of 63 bytes: fine */
	m[12] = 63;
	memset(m + 13, 'x', 63);
	m[76] = 0;
	assert_int_equal(name_at(m, 77, 12, &n, err, sizeof(err)), 0);
	assert_int_equal(strlen(n.text), 63);
	/* 64 (0x40): the top bits 01, not a length */
	m[12] = 64;
	memset(m + 13, 'x', 64);
	m[77] = 0;
	assert_int_equal(name_at(m, 78, 12, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "label type 0x40 at offset 12"));
	m[12] = 0x80; /* 10: reserved too */
	assert_int_equal(name_at(m, 78, 12, &n, err, sizeof(err)), -1);
}

/* Names of 255 bytes (fine) and 256 or more (refused), written out and through a pointer. */
static void test_name_limit(void **state)
{
	uint8_t m[12 + 600];
	wc_dns_name n;
	char err[200];
	size_t o = 12;
	(void)state;

	header(m, 0, 0);
	/* 3 labels of 63 and one of 61: 3 * 64 + 62 + 1 = 255 */
	for (int i = 0; i < 4; i++) {
		int len = i < 3 ? 63 : 61;
		m[o] = (uint8_t)len;
		memset(m + o + 1, 'a' + i, (size_t)len);
		o += 1 + (size_t)len;
	}
	m[o++] = 0;
	assert_int_equal(o - 12, 255);
	assert_int_equal(name_at(m, o, 12, &n, err, sizeof(err)), 0);
	assert_int_equal(strlen(n.text), 253);
	assert_int_equal(n.wire_len, 255);
	/* the last label one byte longer: 256 */
	m[12 + 3 * 64] = 62;
	m[12 + 3 * 64 + 62] = 'd';
	m[12 + 3 * 64 + 63] = 0;
	assert_int_equal(name_at(m, 12 + 256, 12, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than 255"));
	/* "b" + a pointer to a 254-byte name (61 back to 60): 2 + 254 = 256 */
	m[12 + 3 * 64] = 60;
	m[12 + 3 * 64 + 61] = 0;
	o = 12 + 3 * 64 + 62; /* the 254-byte name ends here */
	m[o] = 1, m[o + 1] = 'b', m[o + 2] = 0xc0, m[o + 3] = 12;
	assert_int_equal(name_at(m, o + 4, 12, &n, err, sizeof(err)), 0);
	assert_int_equal(n.wire_len, 254);
	assert_int_equal(name_at(m, o + 4, o, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "longer than 255"));
}

/* Every prefix of a valid message is refused, without reading past it. */
static void test_truncated(void **state)
{
	static const uint8_t *msgs[] = {labs_response, google_query};
	static const size_t lens[] = {sizeof(labs_response), sizeof(google_query)};
	wc_dns_msg m;
	char err[200];
	(void)state;

	for (size_t k = 0; k < 2; k++) {
		for (size_t len = 0; len < lens[k]; len++) {
			const uint8_t *g = guard_copy(msgs[k], len);

			err[0] = '\0';
			assert_int_equal(wc_dns_parse(g, len, &m, err, sizeof(err)), -1);
			assert_true(err[0] != '\0');
			assert_true(m.end <= len);
			if (len >= 12)
				assert_int_equal(m.h.id, 0x1a2b);
			guard_free(g, len);
		}
	}
	/* and a message that ends early but whose counts say more */
	assert_int_equal(wc_dns_parse(google_query, 12, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "question 1 of 1"));
	/* bytes after the last record are allowed */
	{
		uint8_t longer[sizeof(google_query) + 3];
		memcpy(longer, google_query, sizeof(google_query));
		memset(longer + sizeof(google_query), 0xee, 3);
		assert_int_equal(wc_dns_parse(longer, sizeof(longer), &m, err, sizeof(err)), 0);
		assert_int_equal(m.end, sizeof(google_query));
	}
}

/* \DDD for every byte but letters, digits, '-' and '_'; the root is "". */
static void test_escapes(void **state)
{
	static const uint8_t m[] = {
		0,    0,   0,    0,   0,    0,   0,   0,    0,   0,
		0,    0,   0x07, 'a', '.',  'b', ' ', 0xff, '-', '_', /* 12: "a.b \xff-_" */
		0x03, 'A', '\\', '9', 0x00,                           /* 20: "A\9" */
		0x00,                                                 /* 25: the root */
	};
	wc_dns_name n;
	char err[200];
	(void)state;

	assert_int_equal(name_at(m, sizeof(m), 12, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "a\\046b\\032\\255-_.A\\092"
				    "9");
	assert_int_equal(name_at(m, sizeof(m), 25, &n, err, sizeof(err)), 0);
	assert_string_equal(n.text, "");
	assert_int_equal(n.wire_len, 1);
}

/* A name of 255 bytes, all escaped, does not fit text[256]: cut, with "...". */
static void test_text_cut(void **state)
{
	uint8_t m[12 + 255];
	wc_dns_name n;
	char err[200];
	size_t o = 12;
	(void)state;

	memset(m, 0, sizeof(m));
	for (int i = 0; i < 4; i++) {
		int len = i < 3 ? 63 : 61;
		m[o] = (uint8_t)len;
		memset(m + o + 1, '*', (size_t)len);
		o += 1 + (size_t)len;
	}
	m[o++] = 0;
	assert_int_equal(name_at(m, o, 12, &n, err, sizeof(err)), 0);
	assert_true(strlen(n.text) < sizeof(n.text));
	assert_int_equal(strncmp(n.text, "\\042\\042", 8), 0);
	assert_string_equal(n.text + strlen(n.text) - 3, "...");
	/* whole escapes only before the "..." */
	assert_int_equal((strlen(n.text) - 3) % 4, 0);
	assert_int_equal(n.wire_len, 255);
}

static void test_build_query(void **state)
{
	/* ID 1a2b, RD 1, QD 1; www.Example.COM A IN */
	static const uint8_t want[] = {
		0x1a, 0x2b, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 'w',  'w',  'w',  0x07,
		'E',  'x',  'a',  'm',  'p',  'l',  'e',  0x03, 'C',  'O',  'M',  0x00, 0x00, 0x01, 0x00, 0x01,
	};
	uint8_t out[512];
	(void)state;

	assert_int_equal(wc_dns_build_query(out, sizeof(out), 0x1a2b, "google.com", 1, 0), sizeof(google_query));
	assert_memory_equal(out, google_query, sizeof(google_query));
	assert_int_equal(wc_dns_build_query(out, sizeof(out), 0x1a2b, "www.Example.COM.", 1, 1), sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	/* type 28 (AAAA) */
	assert_int_equal(wc_dns_build_query(out, sizeof(out), 0x1a2b, "google.com", 28, 0), sizeof(google_query));
	assert_int_equal(out[25], 28);
	/* one byte short, bad names */
	assert_int_equal(wc_dns_build_query(out, sizeof(google_query) - 1, 1, "google.com", 1, 0), -1);
	assert_int_equal(wc_dns_build_query(out, sizeof(out), 1, "a..b", 1, 0), -1);
}

static void test_name_to_wire(void **state)
{
	char text[300];
	uint8_t out[300];
	(void)state;

	assert_int_equal(wc_dns_name_to_wire("google.com", out, sizeof(out)), 12);
	assert_memory_equal(out,
			    "\x06google\x03"
			    "com",
			    12);
	assert_int_equal(wc_dns_name_to_wire("google.com.", out, sizeof(out)), 12);
	assert_memory_equal(out,
			    "\x06google\x03"
			    "com",
			    12);
	assert_int_equal(wc_dns_name_to_wire("", out, sizeof(out)), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(wc_dns_name_to_wire(".", out, sizeof(out)), 1);
	assert_int_equal(wc_dns_name_to_wire("a..b", out, sizeof(out)), -1);
	assert_int_equal(wc_dns_name_to_wire(".a", out, sizeof(out)), -1);
	assert_int_equal(wc_dns_name_to_wire("a..", out, sizeof(out)), -1);
	assert_int_equal(wc_dns_name_to_wire("..", out, sizeof(out)), -1);
	/* 63 fine, 64 not */
	memset(text, 'x', 63);
	strcpy(text + 63, ".ca");
	assert_int_equal(wc_dns_name_to_wire(text, out, sizeof(out)), 1 + 63 + 3 + 1);
	memset(text, 'x', 64);
	strcpy(text + 64, ".ca");
	assert_int_equal(wc_dns_name_to_wire(text, out, sizeof(out)), -1);
	/* 255 bytes on the wire fine, 256 not */
	memset(text, 'y', sizeof(text));
	text[63] = text[127] = text[191] = '.';
	text[253] = '\0'; /* 63.63.63.61: 3 * 64 + 62 + 1 */
	assert_int_equal(wc_dns_name_to_wire(text, out, sizeof(out)), 255);
	text[253] = 'y';
	text[254] = '\0';
	assert_int_equal(wc_dns_name_to_wire(text, out, sizeof(out)), -1);
	/* out too small, by one */
	assert_int_equal(wc_dns_name_to_wire("google.com", out, 11), -1);
	assert_int_equal(wc_dns_name_to_wire("google.com", out, 12), 12);
	assert_int_equal(wc_dns_name_to_wire("", out, 0), -1);
}

static void test_rcode_str(void **state)
{
	(void)state;
	assert_string_equal(wc_dns_rcode_str(0), "NOERROR");
	assert_string_equal(wc_dns_rcode_str(1), "FORMERR");
	assert_string_equal(wc_dns_rcode_str(2), "SERVFAIL");
	assert_string_equal(wc_dns_rcode_str(3), "NXDOMAIN");
	assert_string_equal(wc_dns_rcode_str(4), "NOTIMP");
	assert_string_equal(wc_dns_rcode_str(5), "REFUSED");
	assert_string_equal(wc_dns_rcode_str(7), "RCODE 7");
}

/* Writes text to a new temporary file; returns its path (static). */
static const char *tmp_file(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_dns.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_table_load(void **state)
{
	static wc_dns_table t;
	const char *path;
	char err[300], want[400];
	(void)state;

	path = tmp_file("# comment\n\n  Example.org.  30 10.0.0.1 10.0.0.2 # two\n\tb-c_d.ca\t0\t1.2.3.4\r\n");
	assert_int_equal(wc_dns_table_load(path, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.e[0].name, "Example.org.");
	assert_int_equal(t.e[0].ttl, 30);
	assert_int_equal(t.e[0].naddr, 2);
	assert_memory_equal(t.e[0].addr[1], "\x0a\x00\x00\x02", 4);
	assert_string_equal(t.e[1].name, "b-c_d.ca");
	assert_int_equal(t.e[1].ttl, 0);
	unlink(path);

	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"a.com 10 1.2.3.4\nb.com\n", ":2: 'b.com' has no TTL"},
		{"a.com 10\n", ":1: 'a.com' has no address"},
		{"a.com ten 1.2.3.4\n", ":1: invalid TTL 'ten'"},
		{"a.com 2147483648 1.2.3.4\n", ":1: invalid TTL"},
		{"a.com -1 1.2.3.4\n", ":1: invalid TTL"},
		{"#\n\na.com 1 1.2.3\n", ":3: invalid address '1.2.3'"},
		{"a.com 1 ::1\n", ":1: invalid address '::1'"},
		{"a..com 1 1.2.3.4\n", ":1: invalid name 'a..com'"},
		{"a,com 1 1.2.3.4\n", ":1: name 'a,com' has ','"},
		{"a.com 1 1.2.3.4\nA.COM 2 1.2.3.5\n", ":2: name 'A.COM' appears twice"},
		{"a.com 1 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8 1.1.1.9\n",
		 ":1: too many addresses for 'a.com' (at most 8)"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = tmp_file(bad[i].text);
		assert_int_equal(wc_dns_table_load(path, &t, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s%s", path, bad[i].msg);
		if (strncmp(err, want, strlen(want)))
			fail_msg("table '%s': got '%s', want '%s...'", bad[i].text, err, want);
		unlink(path);
	}
	/* eight addresses are fine */
	path = tmp_file("a.com 1 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 1.1.1.6 1.1.1.7 1.1.1.8\n");
	assert_int_equal(wc_dns_table_load(path, &t, err, sizeof(err)), 0);
	assert_int_equal(t.e[0].naddr, 8);
	unlink(path);
	/* 64 names fine, 65 not */
	{
		char text[65 * 32] = "";
		for (int i = 0; i < 65; i++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "n%d.ca 1 1.2.3.4\n", i);
		assert_int_equal(wc_dns_table_parse(text, strlen(text), "many", &t, err, sizeof(err)), -1);
		assert_string_equal(err, "many:65: too many names (at most 64)");
		assert_int_equal(wc_dns_table_parse(text, strlen(text) - strlen("n64.ca 1 1.2.3.4\n"), "many", &t, err,
						    sizeof(err)),
				 0);
		assert_int_equal(t.n, 64);
	}
	assert_int_equal(wc_dns_table_load("/nonexistent/table", &t, err, sizeof(err)), -1);
	assert_string_equal(err, "cannot open '/nonexistent/table': No such file or directory");
}

/* fixtures/dns/table holds the LABS.md table, as wc_dns_table_labs() does. */
static void test_table_fixture(void **state)
{
	static wc_dns_table file, labs;
	char path[512], err[300];
	const char *top = __FILE__, *cut = strstr(top, "tests/unit/test_dns.c");
	(void)state;

	snprintf(path, sizeof(path), "%.*sfixtures/dns/table", (int)(cut ? cut - top : 0), top);
	if (access(path, R_OK) < 0)
		skip(); /* run away from the source tree */
	assert_int_equal(wc_dns_table_load(path, &file, err, sizeof(err)), 0);
	wc_dns_table_labs(&labs);
	assert_int_equal(labs.n, 5);
	assert_memory_equal(&file, &labs, sizeof(file));
	assert_string_equal(labs.e[0].name, "google.com");
	assert_int_equal(labs.e[0].ttl, 260);
	assert_int_equal(labs.e[0].naddr, 2);
	assert_memory_equal(labs.e[0].addr[1], "\xc0\xa5\x01\x0a", 4);
	assert_string_equal(labs.e[4].name, "amazon.ca");
	assert_memory_equal(labs.e[4].addr[0], "\xc0\xa5\x01\x05", 4);
}

static void test_table_find(void **state)
{
	static wc_dns_table t;
	(void)state;

	wc_dns_table_labs(&t);
	assert_ptr_equal(wc_dns_table_find(&t, "google.com"), &t.e[0]);
	assert_ptr_equal(wc_dns_table_find(&t, "GOOGLE.com"), &t.e[0]);
	assert_ptr_equal(wc_dns_table_find(&t, "YouTube.COM."), &t.e[1]);
	assert_null(wc_dns_table_find(&t, "google.co"));
	assert_null(wc_dns_table_find(&t, "google.com.."));
	assert_null(wc_dns_table_find(&t, "www.google.com"));
	assert_null(wc_dns_table_find(&t, ""));
}

/* wc_dns_answer over a guarded copy of q. */
static int answer(const wc_dns_table *t, const uint8_t *q, size_t len, uint8_t *out, size_t outlen)
{
	const uint8_t *g = guard_copy(q, len);
	int rc = wc_dns_answer(t, g, len, out, outlen);

	guard_free(g, len);
	return rc;
}

static void test_answer_labs(void **state)
{
	static wc_dns_table t;
	uint8_t out[512], q[sizeof(google_query)];
	wc_dns_msg m;
	(void)state;

	wc_dns_table_labs(&t);
	assert_int_equal(answer(&t, google_query, sizeof(google_query), out, sizeof(out)), sizeof(labs_response));
	assert_memory_equal(out, labs_response, sizeof(labs_response));
	/* exactly enough room, and one byte less */
	assert_int_equal(answer(&t, google_query, sizeof(google_query), out, sizeof(labs_response)),
			 sizeof(labs_response));
	assert_int_equal(answer(&t, google_query, sizeof(google_query), out, sizeof(labs_response) - 1), -1);
	/* GoOgLe.CoM with RD: the question as sent, RD copied, answers c0 0c */
	memcpy(q, google_query, sizeof(q));
	q[2] = 0x01;
	memcpy(q + 13, "GoOgLe", 6);
	memcpy(q + 20, "CoM", 3);
	assert_int_equal(answer(&t, q, sizeof(q), out, sizeof(out)), sizeof(labs_response));
	assert_int_equal(out[2], 0x85);
	assert_int_equal(out[3], 0x00);
	assert_memory_equal(out + 12, q + 12, 16);
	assert_memory_equal(out + 28, labs_response + 28, sizeof(labs_response) - 28);
	assert_int_equal(wc_dns_parse(out, sizeof(labs_response), &m, NULL, 0), 0);
	assert_string_equal(m.an[1].name.text, "GoOgLe.CoM");
	/* QTYPE ANY (255) answers too, class ANY too */
	memcpy(q, google_query, sizeof(q));
	q[25] = 255;
	assert_int_equal(answer(&t, q, sizeof(q), out, sizeof(out)), sizeof(labs_response));
	assert_int_equal(out[7], 2);
	q[27] = 255;
	assert_int_equal(answer(&t, q, sizeof(q), out, sizeof(out)), sizeof(labs_response));
	assert_int_equal(out[27], 255); /* the question as sent */
	assert_int_equal(out[33], 1);   /* the answers' class: IN */
	/* an EDNS OPT record in the additional section is ignored */
	{
		uint8_t e[sizeof(google_query) + 11];
		memcpy(e, google_query, sizeof(google_query));
		e[11] = 1;
		memcpy(e + sizeof(google_query), "\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 11);
		assert_int_equal(answer(&t, e, sizeof(e), out, sizeof(out)), sizeof(labs_response));
		assert_memory_equal(out, labs_response, sizeof(labs_response));
	}
}

static void test_answer_nxdomain_other_type(void **state)
{
	static wc_dns_table t;
	/* ID 0x6e7f, unknown.example A IN */
	static const uint8_t q[] = {
		0x6e, 0x7f, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 'u',  'n',  'k',  'n',
		'o',  'w',  'n',  0x07, 'e',  'x',  'a',  'm',  'p',  'l',  'e',  0x00, 0x00, 0x01, 0x00, 0x01,
	};
	uint8_t out[512], aaaa[sizeof(google_query)];
	(void)state;

	wc_dns_table_labs(&t);
	assert_int_equal(answer(&t, q, sizeof(q), out, sizeof(out)), sizeof(q));
	assert_memory_equal(out, "\x6e\x7f\x84\x03\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	assert_memory_equal(out + 12, q + 12, sizeof(q) - 12);
	/* google.com AAAA: NOERROR, AA, no answer */
	memcpy(aaaa, google_query, sizeof(aaaa));
	aaaa[25] = 28;
	assert_int_equal(answer(&t, aaaa, sizeof(aaaa), out, sizeof(out)), sizeof(aaaa));
	assert_memory_equal(out, "\x1a\x2b\x84\x00\x00\x01\x00\x00\x00\x00\x00\x00", 12);
	assert_memory_equal(out + 12, aaaa + 12, sizeof(aaaa) - 12);
	/* google.com A in class CH (3): no answer either */
	memcpy(aaaa, google_query, sizeof(aaaa));
	aaaa[27] = 3;
	assert_int_equal(answer(&t, aaaa, sizeof(aaaa), out, sizeof(out)), sizeof(aaaa));
	assert_int_equal(out[7], 0);
}

static void test_answer_errors(void **state)
{
	static wc_dns_table t;
	static const uint8_t formerr[12] = {0x1a, 0x2b, 0x80, 0x01};
	static const uint8_t formerr_rd[12] = {0x1a, 0x2b, 0x81, 0x01};
	uint8_t out[512], q[64];
	(void)state;

	wc_dns_table_labs(&t);
	/* QDCOUNT 0 and 2: FORMERR, no section */
	memcpy(q, google_query, sizeof(google_query));
	q[5] = 0;
	assert_int_equal(answer(&t, q, sizeof(google_query), out, sizeof(out)), 12);
	assert_memory_equal(out, formerr, 12);
	q[5] = 2;
	q[2] = 0x01; /* RD copied */
	assert_int_equal(answer(&t, q, sizeof(google_query), out, sizeof(out)), 12);
	assert_memory_equal(out, formerr_rd, 12);
	/* the question cut at every length from 12 on */
	for (size_t len = 12; len < sizeof(google_query); len++) {
		assert_int_equal(answer(&t, google_query, len, out, sizeof(out)), 12);
		assert_memory_equal(out, formerr, 12);
	}
	/* a QNAME that points at itself */
	memcpy(q, google_query, 12);
	memcpy(q + 12, "\xc0\x0c\x00\x01\x00\x01", 6);
	assert_int_equal(answer(&t, q, 18, out, sizeof(out)), 12);
	assert_memory_equal(out, formerr, 12);
	/* OPCODE 2: NOTIMP, the OPCODE and RD copied, counts 0 */
	memcpy(q, google_query, sizeof(google_query));
	q[2] = 0x11;
	assert_int_equal(answer(&t, q, sizeof(google_query), out, sizeof(out)), 12);
	assert_memory_equal(out, "\x1a\x2b\x91\x04\x00\x00\x00\x00\x00\x00\x00\x00", 12);
	/* shorter than a header, or a response: nothing */
	for (size_t len = 0; len < 12; len++)
		assert_int_equal(answer(&t, google_query, len, out, sizeof(out)), 0);
	assert_int_equal(answer(&t, labs_response, sizeof(labs_response), out, sizeof(out)), 0);
	/* no room even for the header */
	assert_int_equal(answer(&t, q, sizeof(google_query), out, 11), -1);
	q[2] = 0x00;
	q[5] = 0;
	assert_int_equal(answer(&t, q, sizeof(google_query), out, 11), -1);
}

/* A question whose name points into the header is answered with its name written out. */
static void test_answer_compressed_question(void **state)
{
	static wc_dns_table t;
	/* ID 0x0161 ("\x01a"), flags 0: offset 0 reads as label "a" then the
	 * 00 of the flags; the QNAME "xx" + pointer to 0 is "xx.a" */
	static const uint8_t q[] = {
		0x01, 0x61, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x02, 'x',  'x',  0xc0, 0x00, 0x00, 0x01, 0x00, 0x01,
	};
	uint8_t out[512];
	wc_dns_msg m;
	(void)state;

	t.n = 1;
	snprintf(t.e[0].name, sizeof(t.e[0].name), "XX.A");
	t.e[0].ttl = 5;
	t.e[0].naddr = 1;
	memcpy(t.e[0].addr[0], "\x01\x02\x03\x04", 4);
	assert_int_equal(answer(&t, q, sizeof(q), out, sizeof(out)), 12 + 6 + 4 + 16);
	assert_int_equal(wc_dns_parse(out, 12 + 6 + 4 + 16, &m, NULL, 0), 0);
	assert_memory_equal(out + 12,
			    "\x02xx\x01"
			    "a\x00",
			    6);
	assert_string_equal(m.an[0].name.text, "xx.a");
	assert_int_equal(m.an[0].ttl, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_labs_example),
		cmocka_unit_test(test_header_bits),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_no_loop),
		cmocka_unit_test(test_label_limits),
		cmocka_unit_test(test_name_limit),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_text_cut),
		cmocka_unit_test(test_build_query),
		cmocka_unit_test(test_name_to_wire),
		cmocka_unit_test(test_rcode_str),
		cmocka_unit_test(test_table_load),
		cmocka_unit_test(test_table_fixture),
		cmocka_unit_test(test_table_find),
		cmocka_unit_test(test_answer_labs),
		cmocka_unit_test(test_answer_nxdomain_other_type),
		cmocka_unit_test(test_answer_errors),
		cmocka_unit_test(test_answer_compressed_question),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
