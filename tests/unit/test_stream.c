/* test_stream.c - TCP reassembly: order, retransmission, overlap, wrap, holes, FIN, RST, port reuse */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "judge/stream.h"

#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define ACK 0x10

/* A trace built by hand: client 10.0.0.2:40000 <-> server 10.0.0.1:12000. */
typedef struct fake {
	wc_trace t;
	wc_pkt pk[64];
} fake;

static void pkt(fake *f, int up, uint32_t seq, uint8_t flags, const char *data)
{
	wc_pkt *p = &f->pk[f->t.n];
	static const uint8_t cli[4] = {10, 0, 0, 2}, srv[4] = {10, 0, 0, 1};

	memset(p, 0, sizeof(*p));
	p->frame = (unsigned)f->t.n + 1;
	p->family = AF_INET;
	p->proto = IPPROTO_TCP;
	memcpy(p->src, up ? cli : srv, 4);
	memcpy(p->dst, up ? srv : cli, 4);
	p->sport = up ? 40000 : 12000;
	p->dport = up ? 12000 : 40000;
	p->seq = seq;
	p->tcp_flags = flags;
	p->payload = (const uint8_t *)data;
	p->len = data ? strlen(data) : 0;
	f->t.n++;
	f->t.pkts = f->pk;
}

static void handshake(fake *f, uint32_t cisn, uint32_t sisn)
{
	pkt(f, 1, cisn, SYN, NULL);
	pkt(f, 0, sisn, SYN | ACK, NULL);
	pkt(f, 1, cisn + 1, ACK, NULL);
}

static void assert_stream(const wc_stream *s, const char *want)
{
	assert_int_equal(s->len, strlen(want));
	assert_memory_equal(s->data, want, s->len);
}

static void test_in_order(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 1000, 5000);
	pkt(&f, 1, 1001, ACK, "hello ");      /* frame 4 */
	pkt(&f, 1, 1007, ACK, "world\n");     /* frame 5 */
	pkt(&f, 0, 5001, ACK, "HELLO WORLD\n");
	pkt(&f, 0, 5013, FIN | ACK, NULL);    /* frame 7 */
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].cport, 40000);
	assert_int_equal(c[0].sport, 12000);
	assert_int_equal(c[0].syn_frame, 1);
	assert_stream(&c[0].up, "hello world\n");
	assert_stream(&c[0].down, "HELLO WORLD\n");
	assert_int_equal(c[0].up.gaps, 0);
	assert_true(c[0].down.fin);
	assert_int_equal(c[0].down.fin_off, 12);
	assert_int_equal(c[0].down.fin_frame, 7);
	assert_false(c[0].up.fin);
	assert_int_equal(wc_stream_frame_at(&c[0].up, 0), 4);
	assert_int_equal(wc_stream_frame_at(&c[0].up, 6), 5);
	assert_int_equal(wc_stream_frame_at(&c[0].up, 12), 0);
	assert_ptr_equal(wc_conn_by_client_port(c, n, 40000), &c[0]);
	assert_null(wc_conn_by_client_port(c, n, 40001));
	wc_conns_free(c, n);
}

/* A retransmission keeps the bytes first seen; an overlap adds only what is new;
 * a segment that arrives before the one ahead of it lands in its place. */
static void test_retransmit_overlap_reorder(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 0, 0);
	pkt(&f, 1, 1, ACK, "abcd");
	pkt(&f, 1, 1, ACK, "abcd");           /* again */
	pkt(&f, 1, 9, ACK, "ijkl");           /* early: efgh is still missing */
	pkt(&f, 1, 3, ACK, "cdefgh");         /* overlaps abcd, fills the hole */
	pkt(&f, 1, 1, ACK, "XXXX");           /* a lying retransmission: ignored */
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_stream(&c[0].up, "abcdefghijkl");
	assert_int_equal(c[0].up.gaps, 0);
	assert_int_equal(c[0].up.retransmitted, 4 + 2 + 4);
	assert_int_equal(wc_stream_frame_at(&c[0].up, 9), 6);
	wc_conns_free(c, n);
}

/* Sequence numbers wrap at 2^32. */
static void test_wrap(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 0xfffffffdu, 7);
	pkt(&f, 1, 0xfffffffeu, ACK, "wr");
	pkt(&f, 1, 0x00000000u, ACK, "ap");
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_stream(&c[0].up, "wrap");
	wc_conns_free(c, n);
}

/* Bytes no frame carried are counted, and read as zeros. */
static void test_hole(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 100, 200);
	pkt(&f, 0, 201, ACK, "AB");
	pkt(&f, 0, 206, ACK, "FG");           /* 203..205 never seen */
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(c[0].down.len, 7);
	assert_int_equal(c[0].down.gaps, 3);
	assert_int_equal(wc_stream_gaps_in(&c[0].down, 0, 2), 0);
	assert_int_equal(wc_stream_gaps_in(&c[0].down, 1, 6), 3);
	assert_int_equal(wc_stream_gaps_in(&c[0].down, 5, 10), 3); /* 7..9: beyond the end */
	assert_int_equal(c[0].down.data[3], 0);
	wc_conns_free(c, n);
}

/* RST is noted with its frame; a new SYN from the same port after the end is a
 * new connection, and lookups by port find the newest. */
static void test_rst_and_port_reuse(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 10, 20);
	pkt(&f, 1, 11, ACK, "half");
	pkt(&f, 1, 15, RST | ACK, NULL);      /* frame 5 */
	handshake(&f, 9000, 9500);            /* frames 6-8 */
	pkt(&f, 1, 9001, ACK, "again");
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(n, 2);
	assert_true(c[0].up.rst);
	assert_int_equal(c[0].up.rst_frame, 5);
	assert_stream(&c[0].up, "half");
	assert_stream(&c[1].up, "again");
	assert_int_equal(c[1].syn_frame, 6);
	assert_ptr_equal(wc_conn_by_client_port(c, n, 40000), &c[1]);
	wc_conns_free(c, n);
}

/* A capture that began mid-connection: the first sender is taken as the client. */
static void test_no_syn(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	pkt(&f, 1, 777, ACK, "mid");
	pkt(&f, 0, 42, ACK, "MID");
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].syn_frame, 0);
	assert_stream(&c[0].up, "mid");
	assert_stream(&c[0].down, "MID");
	wc_conns_free(c, n);
}

/* Bytes of [from, to) no frame carried, one byte at a time: what wc_stream_gaps_in must say. */
static size_t gaps_slowly(const wc_stream *s, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t b = from; b < to; b++)
		if (b >= s->len || !(s->have[b >> 3] >> (b & 7) & 1))
			n++;
	return n;
}

/* A stream that grows past what it had room for keeps its bytes and its map;
 * holes are counted as the stream grows, and counts of any window (whole words
 * of the map or not) agree with a count byte by byte. */
static void test_growth_and_gap_counts(void **state)
{
	static const size_t from[] = {0, 1, 63, 64, 65, 127, 128, 4999, 5000, 5003, 5060, 9000, 20003, 20004, 20100};
	char big[201];
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(big, 'z', 200);
	big[200] = 0;
	memset(&f, 0, sizeof(f));
	handshake(&f, 0, 0);
	pkt(&f, 1, 1 + 5000, ACK, "early");     /* room for 8 KiB */
	pkt(&f, 1, 1 + 20000, ACK, "late");      /* 32 KiB: copied over */
	pkt(&f, 1, 1 + 3, ACK, "abc");
	pkt(&f, 1, 1 + 9000, ACK, big);          /* 9000..9199 */
	pkt(&f, 1, 1 + 9100, ACK, big);          /* half of it again */
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(c[0].up.len, 20004);
	assert_memory_equal(c[0].up.data + 5000, "early", 5);
	assert_memory_equal(c[0].up.data + 20000, "late", 4);
	assert_memory_equal(c[0].up.data + 3, "abc", 3);
	assert_int_equal(c[0].up.data[4999], 0);
	assert_int_equal(c[0].up.data[19999], 0);
	assert_int_equal(c[0].up.retransmitted, 100);
	assert_int_equal(c[0].up.gaps, 20004 - 5 - 4 - 3 - 300);
	assert_int_equal(wc_stream_gaps_in(&c[0].up, 0, c[0].up.len), c[0].up.gaps);
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		for (size_t w = 0; w < 400; w += 7)
			assert_int_equal(wc_stream_gaps_in(&c[0].up, from[i], from[i] + w),
					 gaps_slowly(&c[0].up, from[i], from[i] + w));
	assert_int_equal(wc_stream_frame_at(&c[0].up, 9150), 7);
	wc_conns_free(c, n);
}

/* WC_STREAM_MAX bytes are kept: a segment ending on the last of them is, one
 * byte further is not, nor are bytes from before the first; the span between
 * is counted as never seen. */
static void test_cap(void **state)
{
	fake f;
	wc_conn *c;
	size_t n;
	(void)state;

	memset(&f, 0, sizeof(f));
	handshake(&f, 1000, 5000);
	pkt(&f, 1, 1001, ACK, "go");
	pkt(&f, 1, 1001 + WC_STREAM_MAX - 2, ACK, "ab"); /* its last byte is the last kept */
	pkt(&f, 0, 5001, ACK, "ok");
	pkt(&f, 0, 5001 + WC_STREAM_MAX - 1, ACK, "ab"); /* one byte too far */
	pkt(&f, 0, 4990, ACK, "before");                 /* before the first byte */
	assert_int_equal(wc_tcp_reassemble(&f.t, &c, &n), 0);
	assert_int_equal(c[0].up.len, WC_STREAM_MAX);
	assert_false(c[0].up.truncated);
	assert_memory_equal(c[0].up.data + WC_STREAM_MAX - 2, "ab", 2);
	assert_int_equal(c[0].up.gaps, WC_STREAM_MAX - 4);
	assert_int_equal(wc_stream_gaps_in(&c[0].up, 0, WC_STREAM_MAX), WC_STREAM_MAX - 4);
	assert_int_equal(wc_stream_gaps_in(&c[0].up, 1, WC_STREAM_MAX - 1), WC_STREAM_MAX - 4);
	assert_int_equal(wc_stream_frame_at(&c[0].up, WC_STREAM_MAX - 1), 5);
	assert_true(c[0].down.truncated);
	assert_stream(&c[0].down, "ok");
	assert_int_equal(c[0].down.gaps, 0);
	wc_conns_free(c, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_retransmit_overlap_reorder),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_hole),
		cmocka_unit_test(test_rst_and_port_reuse),
		cmocka_unit_test(test_no_syn),
		cmocka_unit_test(test_growth_and_gap_counts),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
