/* judge_dns.h - the protocol checks of DNS messages: pure functions from bytes to a
 * verdict line and a field-by-field table (no sockets, no record) */
#ifndef WC_JUDGE_DNS_H
#define WC_JUDGE_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cursor.h"

/* ---- DNS (LABS.md 5) ---- */

/*
 * Compares the message got with want, field by field: the header's fields, each
 * question, each answer (name, and whether it is the pointer c0 0c, type, class,
 * TTL, RDLENGTH, RDATA), then the bytes. Appends the table to detail. Returns 0
 * when the two are equal byte for byte; otherwise -1 with summary naming the
 * first field that differs (or the first byte, if every field agrees).
 */
int wc_judge_dns(const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen, wc_buf *detail, char *summary,
		 size_t slen);

struct wc_faults;

/* wc_judge_dns with its faults sorted (faults.h): a shared fault the scenario
 * does not grade becomes a finding and does not fail it; summary and the first
 * counting fault's ID in f. */
int wc_judge_dns_sorted(const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen, wc_buf *detail,
			struct wc_faults *f);

/*
 * A response with RCODE rcode to the query q[0..qlen): its ID, QR 1, the
 * query's OPCODE and that RCODE; the rest is shown, not judged. 0, or -1.
 */
int wc_judge_dns_rcode(const uint8_t *got, size_t glen, const uint8_t *q, size_t qlen, unsigned rcode, wc_buf *detail,
		       char *summary, size_t slen);
int wc_judge_dns_rcode_sorted(const uint8_t *got, size_t glen, const uint8_t *q, size_t qlen, unsigned rcode,
			      wc_buf *detail, struct wc_faults *f);

/*
 * A client's query for 'name' (LABS.md 5, Query): QR, OPCODE, TC, Z, RCODE 0;
 * QDCOUNT 1, the other counts 0; QNAME the labels of name (any case); QTYPE 1,
 * QCLASS 1; nothing after the question; RD 0 too when rd0. The ID is shown, not
 * judged (the caller compares IDs across queries). 0, or -1 with summary.
 */
int wc_judge_dns_query(const uint8_t *got, size_t glen, const char *name, int rd0, wc_buf *detail, char *summary,
		       size_t slen);

/*
 * A response r judged by the lab's rules alone, without a fixture (wirecheck
 * inspect): the query's ID and OPCODE, QR 1, AA 1, TC 0, the query's RD, RA 0,
 * Z 0, RCODE 0 (or 3 with no answer), QDCOUNT 1, NSCOUNT 0, ARCOUNT 0, the
 * question echoed byte for byte, each answer c0 0c, type A, class IN,
 * RDLENGTH 4. q may be NULL (no query seen): then ID, OPCODE, RD and the
 * question are not judged. 0, or -1 with summary.
 */
int wc_judge_dns_lab(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen, wc_buf *detail, char *summary,
		     size_t slen);

/* True when p[0..len) is ASCII hex text (hex digit pairs, blanks and line ends
 * between them, at least 12 pairs): a message sent as text, not bytes. The
 * bytes it spells go into out (up to cap) and their count into *n. */
int wc_dns_is_ascii_hex(const uint8_t *p, size_t len, uint8_t *out, size_t cap, size_t *n);

/* A block a server printed: 'Request:' or 'Response:', then hex lines. */
typedef struct wc_printed {
	int response;          /* 1: a Response block, 0: a Request block */
	size_t off, len;       /* its bytes, in the buffer wc_printed_parse fills */
	int line;              /* line of the output where it starts */
	int bad_line;          /* the first line that is not the lab's 16 bytes (the last may hold fewer), 0 if none */
	int bad_count;         /* how many bytes that line holds */
} wc_printed;

/* Parses a program's output into blocks (a line holding 'request' or
 * 'response', any case, then hex pairs on the rest of that line and on the lines
 * that follow, up to a line that is not hex). Their bytes go into bytes.
 * Returns the number of blocks (at most max). */
int wc_printed_parse(const uint8_t *text, size_t len, wc_buf *bytes, wc_printed *blk, int max);

#endif
