/* dns.h - RFC 1035 messages: parsed through the bounds-checked cursor (names with
 * compression pointers that point only backwards, so loops are impossible) and
 * built with compression; the lab's table (LABS.md 5) and the authoritative answer. */
#ifndef WC_DNS_H
#define WC_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

#define WC_DNS_HEADER_LEN 12
#define WC_DNS_MAX_NAME 255  /* wire length of a name (RFC 1035 2.3.4) */
#define WC_DNS_MAX_QD 4      /* questions kept; more is parsed and counted, not kept */
#define WC_DNS_MAX_RR 32     /* records kept per section */

enum { WC_DNS_TYPE_A = 1, WC_DNS_CLASS_IN = 1 };
enum { WC_DNS_NOERROR = 0, WC_DNS_FORMERR = 1, WC_DNS_SERVFAIL = 2, WC_DNS_NXDOMAIN = 3, WC_DNS_NOTIMP = 4 };

typedef struct wc_dns_header {
	uint16_t id;
	uint8_t qr, opcode, aa, tc, rd, ra, z, rcode; /* z: the 3 bits */
	uint16_t qdcount, ancount, nscount, arcount;
} wc_dns_header;

typedef struct wc_dns_name {
	char text[256];     /* dotted, case as sent, no final dot; "" for the root. Label
			       bytes other than letters, digits, '-' and '_' are written \DDD */
	size_t off;         /* where the name starts in the message */
	size_t wire_len;    /* its bytes at off: labels, then the 0 or the 2-byte pointer */
	int compressed;     /* it ends with a pointer */
	uint16_t ptr;       /* that pointer's target offset */
} wc_dns_name;

typedef struct wc_dns_question {
	wc_dns_name name;
	uint16_t qtype, qclass;
	size_t off;
} wc_dns_question;

typedef struct wc_dns_rr {
	wc_dns_name name;
	uint16_t type, rclass;
	uint32_t ttl;
	uint16_t rdlength;
	size_t rdata_off;   /* offset of RDATA in the message */
	size_t off;         /* offset of the record */
} wc_dns_rr;

typedef struct wc_dns_msg {
	const uint8_t *p;   /* the message (not owned) */
	size_t len;
	wc_dns_header h;
	wc_dns_question qd[WC_DNS_MAX_QD];
	size_t nqd;         /* kept */
	wc_dns_rr an[WC_DNS_MAX_RR], ns[WC_DNS_MAX_RR], ar[WC_DNS_MAX_RR];
	size_t nan, nns, nar; /* kept */
	size_t end;         /* offset after the last record parsed */
} wc_dns_msg;

/* The 12-byte header. 0, or -1 when len < 12. */
int wc_dns_parse_header(const uint8_t *p, size_t len, wc_dns_header *h);
/*
 * The whole message: header, then as many questions and records as the counts
 * say. 0 on success (bytes after the last record are allowed; m->end tells
 * where it stopped). -1 when malformed: err says what and at which offset, and
 * m holds what was parsed before (the header if len >= 12).
 */
int wc_dns_parse(const uint8_t *p, size_t len, wc_dns_msg *m, char *err, size_t errlen);
/*
 * A name at c's offset in the message msg[0..len): labels (at most 63 bytes
 * each, 255 in all), ended by 0 or by a pointer that must point strictly
 * before the name's first byte and at a label; the pointed-to name follows the
 * same rule, so every jump goes backwards and a loop cannot be written. c
 * moves past the name as written. 0, or -1 with err.
 */
int wc_dns_read_name(wc_cur *c, const uint8_t *msg, size_t len, wc_dns_name *n, char *err, size_t errlen);
/* Dotted text (no escapes, optional final dot) to wire labels in out. Its length, or -1. */
int wc_dns_name_to_wire(const char *text, uint8_t *out, size_t outlen);
/* A standard query (QDCOUNT 1, QTYPE, QCLASS IN, RD as given) into out. Its length, or -1. */
int wc_dns_build_query(uint8_t *out, size_t outlen, uint16_t id, const char *name, uint16_t qtype, int rd);

/* Field names for reports: "NOERROR", "FORMERR", ...; "RCODE 7" style for others (static buffer). */
const char *wc_dns_rcode_str(unsigned rcode);

/* ---- the lab's table: type A, class IN ---- */
#define WC_DNS_TABLE_MAX 64
#define WC_DNS_ADDRS_MAX 8
typedef struct wc_dns_entry {
	char name[256];     /* as in the file, matched case-insensitively */
	uint32_t ttl;
	uint8_t addr[WC_DNS_ADDRS_MAX][4];
	int naddr;
} wc_dns_entry;

typedef struct wc_dns_table {
	wc_dns_entry e[WC_DNS_TABLE_MAX];
	int n;
} wc_dns_table;

/*
 * Reads a table file: '#' comments and blank lines ignored; each other line
 * "NAME TTL ADDR [ADDR...]" (IPv4 dotted quads). 0, or -1 with
 * "path:line: message" in err.
 */
int wc_dns_table_load(const char *path, wc_dns_table *t, char *err, size_t errlen);
/* As wc_dns_table_load(), from text[0..len) (no NUL needed); path only names
 * the text in err's "path:line: message". 0, or -1. */
int wc_dns_table_parse(const char *text, size_t len, const char *path, wc_dns_table *t, char *err, size_t errlen);
/* The table of LABS.md 5 (google.com 260 192.165.1.1 192.165.1.10, ...), as
 * fixtures/dns/table holds it. */
void wc_dns_table_labs(wc_dns_table *t);
/* The entry for name (dotted, case-insensitive, a final dot ignored), or NULL. */
const wc_dns_entry *wc_dns_table_find(const wc_dns_table *t, const char *name);

/*
 * The authoritative answer to the datagram q[0..qlen), into out:
 *   - shorter than a header (no ID to answer): returns 0, nothing to send;
 *   - QR set (a response, not a query): 0;
 *   - OPCODE other than 0: NOTIMP, the header's counts 0;
 *   - malformed (QDCOUNT != 1, the question unreadable): FORMERR with the ID
 *     and the query's RD, no question;
 *   - name in the table, QTYPE A or ANY (255), QCLASS IN: NOERROR, AA 1, the
 *     question echoed as sent, one answer per address with name c0 0c;
 *   - name in the table, other type: NOERROR, AA 1, no answer;
 *   - name not in the table: NXDOMAIN, AA 1, the question echoed.
 * RD is copied from the query (RFC 1035 4.1.1), RA 0.
 * Returns the response length, or -1 when it would not fit in outlen.
 */
int wc_dns_answer(const wc_dns_table *t, const uint8_t *q, size_t qlen, uint8_t *out, size_t outlen);

#endif
