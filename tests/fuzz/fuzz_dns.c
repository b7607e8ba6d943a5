/* fuzz_dns.c - libFuzzer target: wc_dns_parse, wc_dns_answer, names and the table text of lib/dns.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "fuzz.h"

#define NAME_MAX_IN 300 /* input bytes tried as a dotted name */

/* A name read from msg[0..len): inside it, its text NUL-terminated and short,
 * its pointer backwards. */
static void check_name(const wc_dns_name *n, size_t len)
{
	FUZZ_CHECK(memchr(n->text, '\0', sizeof(n->text)) != NULL);
	FUZZ_CHECK(strlen(n->text) < 256);
	FUZZ_CHECK(n->wire_len >= 1 && n->wire_len <= WC_DNS_MAX_NAME);
	FUZZ_CHECK(n->off < len && n->wire_len <= len - n->off);
	if (n->compressed)
		FUZZ_CHECK(n->ptr < n->off);
	fuzz_touch(n->text, strlen(n->text));
}

static void check_rrs(const wc_dns_rr *rr, size_t n, uint16_t count, size_t len)
{
	FUZZ_CHECK(n <= WC_DNS_MAX_RR && n <= count);
	for (size_t i = 0; i < n; i++) {
		check_name(&rr[i].name, len);
		FUZZ_CHECK(rr[i].off == rr[i].name.off);
		FUZZ_CHECK(rr[i].rdata_off == rr[i].off + rr[i].name.wire_len + 10);
		FUZZ_CHECK(rr[i].rdata_off <= len && rr[i].rdlength <= len - rr[i].rdata_off);
	}
}

/* Returns wc_dns_parse's result after checking what it left in *m. */
static int parse_checked(const uint8_t *p, size_t len, wc_dns_msg *m)
{
	char err[256];
	int rc;

	err[0] = '\0';
	rc = wc_dns_parse(p, len, m, err, sizeof(err));
	FUZZ_CHECK(m->p == p && m->len == len);
	FUZZ_CHECK(m->end <= len);
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	if (rc < 0)
		FUZZ_CHECK(err[0] != '\0');
	FUZZ_CHECK(m->nqd <= WC_DNS_MAX_QD && m->nqd <= m->h.qdcount);
	for (size_t i = 0; i < m->nqd; i++) {
		check_name(&m->qd[i].name, len);
		FUZZ_CHECK(m->qd[i].off == m->qd[i].name.off);
	}
	check_rrs(m->an, m->nan, m->h.ancount, len);
	check_rrs(m->ns, m->nns, m->h.nscount, len);
	check_rrs(m->ar, m->nar, m->h.arcount, len);
	if (rc == 0) {
		FUZZ_CHECK(len >= WC_DNS_HEADER_LEN);
		FUZZ_CHECK(m->nqd == (m->h.qdcount < WC_DNS_MAX_QD ? m->h.qdcount : WC_DNS_MAX_QD));
		FUZZ_CHECK(m->nan == (m->h.ancount < WC_DNS_MAX_RR ? m->h.ancount : WC_DNS_MAX_RR));
	}
	return rc;
}

/* The answer parses cleanly, has the query's ID and says what lib/dns.h says. */
static void check_answer(const wc_dns_table *t, const uint8_t *q, size_t qlen, const wc_dns_msg *qm)
{
	static wc_dns_msg am;
	static uint8_t out[512], again[512];
	int n = wc_dns_answer(t, q, qlen, out, sizeof(out));

	FUZZ_CHECK(n >= 0); /* 12 + 255 + 4 + 8 * 16 bytes at most */
	if (qlen < WC_DNS_HEADER_LEN || qm->h.qr) {
		FUZZ_CHECK(n == 0);
		return;
	}
	FUZZ_CHECK(n >= WC_DNS_HEADER_LEN);
	FUZZ_CHECK(parse_checked(out, (size_t)n, &am) == 0);
	FUZZ_CHECK(am.end == (size_t)n);
	FUZZ_CHECK(am.h.id == qm->h.id && am.h.qr == 1 && am.h.rd == qm->h.rd && am.h.ra == 0 && am.h.tc == 0);
	FUZZ_CHECK(am.h.nscount == 0 && am.h.arcount == 0);
	if (qm->h.opcode) {
		FUZZ_CHECK(am.h.rcode == WC_DNS_NOTIMP && am.h.opcode == qm->h.opcode && am.h.qdcount == 0);
	} else if (am.h.rcode == WC_DNS_FORMERR) {
		FUZZ_CHECK(am.h.qdcount == 0 && am.h.ancount == 0 && n == WC_DNS_HEADER_LEN);
	} else {
		const wc_dns_entry *e = wc_dns_table_find(t, am.qd[0].name.text);

		FUZZ_CHECK(am.h.rcode == WC_DNS_NOERROR || am.h.rcode == WC_DNS_NXDOMAIN);
		FUZZ_CHECK(am.h.aa == 1 && am.h.qdcount == 1 && qm->h.qdcount == 1);
		/* the question as sent: the same text, case kept */
		if (qm->nqd == 1)
			FUZZ_CHECK(!strcmp(am.qd[0].name.text, qm->qd[0].name.text));
		FUZZ_CHECK((am.h.rcode == WC_DNS_NOERROR) == (e != NULL));
		FUZZ_CHECK(am.h.ancount == 0 || (e && am.h.ancount == e->naddr));
		for (size_t i = 0; i < am.nan; i++) {
			FUZZ_CHECK(am.an[i].name.compressed && am.an[i].name.ptr == WC_DNS_HEADER_LEN);
			FUZZ_CHECK(am.an[i].type == WC_DNS_TYPE_A && am.an[i].rdlength == 4);
			FUZZ_CHECK(am.an[i].ttl == e->ttl);
			FUZZ_CHECK(!memcmp(out + am.an[i].rdata_off, e->addr[i], 4));
		}
	}
	/* the same bytes with exactly enough room; one byte less is refused */
	FUZZ_CHECK(wc_dns_answer(t, q, qlen, again, (size_t)n) == n && !memcmp(again, out, (size_t)n));
	FUZZ_CHECK(wc_dns_answer(t, q, qlen, again, (size_t)n - 1) == -1);
}

/* The input as a dotted name: a query built from it reads back as the same name. */
static void check_name_text(const uint8_t *data, size_t size)
{
	char text[NAME_MAX_IN + 1];
	uint8_t q[512];
	static wc_dns_msg m;
	size_t n = size < NAME_MAX_IN ? size : NAME_MAX_IN, tl;
	int plain = 1, len;

	memcpy(text, data, n);
	text[n] = '\0';
	tl = strlen(text);
	for (size_t i = 0; i < tl; i++) {
		char ch = text[i];
		plain &= (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			 ch == '-' || ch == '_' || ch == '.';
	}
	len = wc_dns_build_query(q, sizeof(q), 0x1234, text, WC_DNS_TYPE_A, 1);
	if (len < 0)
		return;
	FUZZ_CHECK(parse_checked(q, (size_t)len, &m) == 0);
	FUZZ_CHECK(m.end == (size_t)len && m.nqd == 1 && m.h.rd == 1 && m.h.id == 0x1234);
	if (plain) {
		if (tl && text[tl - 1] == '.')
			text[--tl] = '\0';
		FUZZ_CHECK(!strcmp(m.qd[0].name.text, text));
	}
}

/* The input as a table text. */
static void check_table(const uint8_t *data, size_t size)
{
	static wc_dns_table t;
	char err[512];

	if (wc_dns_table_parse((const char *)data, size, "fuzz", &t, err, sizeof(err)) < 0) {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL && !strncmp(err, "fuzz:", 5));
		return;
	}
	FUZZ_CHECK(t.n >= 0 && t.n <= WC_DNS_TABLE_MAX);
	for (int i = 0; i < t.n; i++) {
		FUZZ_CHECK(t.e[i].naddr >= 1 && t.e[i].naddr <= WC_DNS_ADDRS_MAX);
		FUZZ_CHECK(wc_dns_table_find(&t, t.e[i].name) == &t.e[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static wc_dns_table t;
	static wc_dns_msg m;
	static int init;
	uint8_t *copy;

	if (!init) {
		wc_dns_table_labs(&t);
		init = 1;
	}
	/* an exact-size copy, so ASan sees a read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	parse_checked(copy, size, &m);
	check_answer(&t, copy, size, &m);
	free(copy);
	check_name_text(data, size);
	check_table(data, size);
	return 0;
}
