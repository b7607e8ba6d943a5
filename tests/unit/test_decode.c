/* test_decode.c - hand-written frames through wc_decode_frame, every truncation, and pcap files through wc_trace_load */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "judge/decode.h"
#include "guard.h"

/* Ethernet, IPv4, UDP 10.0.0.1:50000 > 10.0.0.2:12000, "hello" (47 bytes) */
static const uint8_t udp4[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02,             /* eth dst 00:00:00:00:00:02 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01,             /* eth src 00:00:00:00:00:01 */
	0x08, 0x00,                                     /* type IPv4 */
	0x45, 0x00, 0x00, 0x21,                         /* v4, ihl 5, tos 0, total 33 */
	0x12, 0x34, 0x40, 0x00,                         /* id 0x1234, DF, offset 0 */
	0x40, 0x11, 0x00, 0x00,                         /* ttl 64, proto 17 (UDP), csum */
	0x0a, 0x00, 0x00, 0x01,                         /* src 10.0.0.1 */
	0x0a, 0x00, 0x00, 0x02,                         /* dst 10.0.0.2 */
	0xc3, 0x50, 0x2e, 0xe0,                         /* sport 50000, dport 12000 */
	0x00, 0x0d, 0x00, 0x00,                         /* udp len 13, csum */
	'h', 'e', 'l', 'l', 'o',                        /* payload, offset 42 */
};

/* Ethernet, IPv6, UDP [::1]:8080 > [2001:db8::2]:53, "ping" (66 bytes) */
static const uint8_t udp6[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x86, 0xdd,                                     /* type IPv6 */
	0x60, 0x00, 0x00, 0x00,                         /* v6, class 0, flow 0 */
	0x00, 0x0c, 0x11, 0x40,                         /* payload 12, next 17 (UDP), hops 64 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* src ::1 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 2,                         /* dst 2001:db8::2 */
	0x1f, 0x90, 0x00, 0x35,                         /* sport 8080, dport 53 */
	0x00, 0x0c, 0x00, 0x00,                         /* udp len 12, csum */
	'p', 'i', 'n', 'g',                             /* payload, offset 62 */
};

/* Ethernet, IPv4, TCP 10.0.0.1:12345 > 10.0.0.2:80 [P.] seq 1 ack 2, options (doff 8), "GET" (69 bytes) */
static const uint8_t tcp4[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x37,                         /* total 55 = 20 + 32 + 3 */
	0x00, 0x01, 0x40, 0x00,
	0x40, 0x06, 0x00, 0x00,                         /* proto 6 (TCP) */
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0x30, 0x39, 0x00, 0x50,                         /* sport 12345, dport 80 */
	0x00, 0x00, 0x00, 0x01,                         /* seq 1 */
	0x00, 0x00, 0x00, 0x02,                         /* ack 2 */
	0x80, 0x18, 0xff, 0xff,                         /* doff 8 (32 bytes), flags PSH|ACK, win */
	0x00, 0x00, 0x00, 0x00,                         /* csum, urg */
	0x01, 0x01, 0x08, 0x0a,                         /* nop, nop, timestamps: */
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, /*   val 1, ecr 2 */
	'G', 'E', 'T',                                  /* payload, offset 66 */
};

/* Ethernet, 802.1Q VLAN 100, IPv4, UDP 10.0.0.1:50000 > 10.0.0.2:12000, "hello" (51 bytes) */
static const uint8_t vlan[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x81, 0x00, 0x00, 0x64,                         /* type 802.1Q, vlan 100 */
	0x08, 0x00,                                     /* type IPv4 */
	0x45, 0x00, 0x00, 0x21, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
	0xc3, 0x50, 0x2e, 0xe0, 0x00, 0x0d, 0x00, 0x00,
	'h', 'e', 'l', 'l', 'o',                        /* payload, offset 46 */
};

/* Linux cooked (SLL), IPv4, UDP 127.0.0.1:40000 > 127.0.0.1:12000, "abc" (47 bytes) */
static const uint8_t sll[] = {
	0x00, 0x00,                                     /* packet to us */
	0x03, 0x04,                                     /* ARPHRD_LOOPBACK */
	0x00, 0x06,                                     /* address length 6 */
	0, 0, 0, 0, 0, 0, 0, 0,                         /* address, padded to 8 */
	0x08, 0x00,                                     /* protocol IPv4 */
	0x45, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x40, 0x00, /* total 31 */
	0x40, 0x11, 0x00, 0x00,
	0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, /* 127.0.0.1 > 127.0.0.1 */
	0x9c, 0x40, 0x2e, 0xe0, 0x00, 0x0b, 0x00, 0x00, /* sport 40000, dport 12000, len 11 */
	'a', 'b', 'c',                                  /* payload, offset 44 */
};

/* Linux cooked v2 (SLL2), IPv4, UDP 127.0.0.1:40000 > 127.0.0.1:12000, "abc" (51 bytes) */
static const uint8_t sll2[] = {
	0x08, 0x00, 0x00, 0x00,                         /* protocol IPv4, reserved */
	0x00, 0x00, 0x00, 0x01,                         /* interface index 1 */
	0x03, 0x04, 0x00, 0x06,                         /* ARPHRD_LOOPBACK, to us, address length 6 */
	0, 0, 0, 0, 0, 0, 0, 0,
	0x45, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
	0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
	0x9c, 0x40, 0x2e, 0xe0, 0x00, 0x0b, 0x00, 0x00,
	'a', 'b', 'c',                                  /* payload, offset 48 */
};

/* ARP who-has 10.0.0.2 tell 10.0.0.1 (42 bytes) */
static const uint8_t arp[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x06,                                     /* type ARP */
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, /* ethernet, IPv4, request */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x02,
};

/* udp4 with its bytes 'at' (from 0) set to v, into buf; returns the length. */
static size_t patched(uint8_t *buf, size_t at, uint8_t v)
{
	memcpy(buf, udp4, sizeof(udp4));
	buf[at] = v;
	return sizeof(udp4);
}

/* Decodes a guarded copy of frame[0..len) (any over-read faults); the payload is checked and copied out. */
static int decode(int linktype, const uint8_t *frame, size_t len, wc_pkt *pk, uint8_t *payload)
{
	uint8_t *p = guard_copy(frame, len);
	int rc = wc_decode_frame(linktype, p, len, pk);

	if (rc == 0) {
		assert_true(pk->payload >= p && pk->payload + pk->len <= p + len);
		if (payload)
			memcpy(payload, pk->payload, pk->len);
	}
	guard_free(p, len);
	return rc;
}

static void assert_ip(int family, const uint8_t *addr, const char *ip)
{
	uint8_t want[16] = {0};

	assert_int_equal(inet_pton(family, ip, want), 1);
	assert_memory_equal(addr, want, family == AF_INET ? 4 : 16);
}

static void test_udp4(void **state)
{
	wc_pkt pk;
	char s[80];
	(void)state;

	assert_int_equal(wc_decode_frame(DLT_EN10MB, udp4, sizeof(udp4), &pk), 0);
	assert_int_equal(pk.family, AF_INET);
	assert_ip(AF_INET, pk.src, "10.0.0.1");
	assert_ip(AF_INET, pk.dst, "10.0.0.2");
	assert_int_equal(pk.proto, IPPROTO_UDP);
	assert_int_equal(pk.sport, 50000);
	assert_int_equal(pk.dport, 12000);
	assert_ptr_equal(pk.payload, udp4 + 42);
	assert_int_equal(pk.len, 5);
	assert_false(pk.truncated);
	wc_pkt_src(&pk, s, sizeof(s));
	assert_string_equal(s, "10.0.0.1:50000");
	wc_pkt_dst(&pk, s, sizeof(s));
	assert_string_equal(s, "10.0.0.2:12000");
}

static void test_udp6(void **state)
{
	wc_pkt pk;
	uint8_t pl[8];
	char s[80];
	(void)state;

	assert_int_equal(decode(DLT_EN10MB, udp6, sizeof(udp6), &pk, pl), 0);
	assert_int_equal(pk.family, AF_INET6);
	assert_ip(AF_INET6, pk.src, "::1");
	assert_ip(AF_INET6, pk.dst, "2001:db8::2");
	assert_int_equal(pk.proto, IPPROTO_UDP);
	assert_int_equal(pk.sport, 8080);
	assert_int_equal(pk.dport, 53);
	assert_int_equal(pk.len, 4);
	assert_memory_equal(pl, "ping", 4);
	assert_false(pk.truncated);
	wc_pkt_src(&pk, s, sizeof(s));
	assert_string_equal(s, "[::1]:8080");
}

static void test_tcp_options(void **state)
{
	wc_pkt pk;
	(void)state;

	assert_int_equal(wc_decode_frame(DLT_EN10MB, tcp4, sizeof(tcp4), &pk), 0);
	assert_int_equal(pk.proto, IPPROTO_TCP);
	assert_int_equal(pk.sport, 12345);
	assert_int_equal(pk.dport, 80);
	assert_int_equal(pk.seq, 1);
	assert_int_equal(pk.ack, 2);
	assert_int_equal(pk.tcp_flags, 0x18);
	assert_ptr_equal(pk.payload, tcp4 + 66); /* after the 12 bytes of options */
	assert_int_equal(pk.len, 3);
	assert_false(pk.truncated);
}

static void test_tcp_bad_offset(void **state)
{
	uint8_t f[sizeof(tcp4)];
	wc_pkt pk;
	(void)state;

	/* data offset 4 (16 bytes): shorter than a TCP header */
	memcpy(f, tcp4, sizeof(f));
	f[46] = 0x40;
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), -1);
	/* data offset 15 (60 bytes): more than the 35-byte segment */
	f[46] = 0xf0;
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), -1);
	/* data offset 5 (20 bytes): the options become payload */
	f[46] = 0x50;
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 0);
	assert_int_equal(pk.len, 15);
}

static void test_vlan(void **state)
{
	wc_pkt pk;
	(void)state;

	assert_int_equal(decode(DLT_EN10MB, vlan, sizeof(vlan), &pk, NULL), 0);
	assert_int_equal(pk.sport, 50000);
	assert_int_equal(pk.dport, 12000);
	assert_ip(AF_INET, pk.dst, "10.0.0.2");
	assert_int_equal(pk.len, 5);
	assert_int_equal(wc_decode_frame(DLT_EN10MB, vlan, sizeof(vlan), &pk), 0);
	assert_ptr_equal(pk.payload, vlan + 46);
}

static void test_linux_cooked(void **state)
{
	wc_pkt pk;
	uint8_t pl[8];
	(void)state;

	assert_int_equal(DLT_LINUX_SLL, 113);
	assert_int_equal(decode(DLT_LINUX_SLL, sll, sizeof(sll), &pk, pl), 0);
	assert_ip(AF_INET, pk.src, "127.0.0.1");
	assert_int_equal(pk.sport, 40000);
	assert_int_equal(pk.dport, 12000);
	assert_int_equal(pk.len, 3);
	assert_memory_equal(pl, "abc", 3);

	assert_int_equal(decode(DLT_LINUX_SLL2, sll2, sizeof(sll2), &pk, pl), 0);
	assert_int_equal(pk.sport, 40000);
	assert_int_equal(pk.len, 3);
	assert_memory_equal(pl, "abc", 3);
}

static void test_raw_ip(void **state)
{
	wc_pkt pk;
	uint8_t pl[8];
	(void)state;

	/* the same packets without their Ethernet header */
	assert_int_equal(decode(DLT_RAW, udp4 + 14, sizeof(udp4) - 14, &pk, pl), 0);
	assert_int_equal(pk.family, AF_INET);
	assert_int_equal(pk.dport, 12000);
	assert_memory_equal(pl, "hello", 5);
	assert_int_equal(decode(DLT_RAW, udp6 + 14, sizeof(udp6) - 14, &pk, pl), 0);
	assert_int_equal(pk.family, AF_INET6);
	assert_int_equal(pk.dport, 53);
	assert_memory_equal(pl, "ping", 4);
	assert_int_equal(decode(DLT_IPV4, udp4 + 14, sizeof(udp4) - 14, &pk, NULL), 0);
	/* version 5 is neither; nothing at all is malformed */
	assert_int_equal(decode(DLT_RAW, (const uint8_t *)"\x50", 1, &pk, NULL), -1);
	assert_int_equal(decode(DLT_RAW, udp4, 0, &pk, NULL), -1);
	/* DLT_NULL: a host-order (little-endian in the file) family word, 2 for IPv4 */
	{
		uint8_t f[4 + sizeof(udp4) - 14] = {2, 0, 0, 0};
		memcpy(f + 4, udp4 + 14, sizeof(udp4) - 14);
		assert_int_equal(decode(DLT_NULL, f, sizeof(f), &pk, pl), 0);
		assert_memory_equal(pl, "hello", 5);
	}
}

static void test_not_ip(void **state)
{
	uint8_t f[sizeof(udp4)];
	wc_pkt pk;
	(void)state;

	assert_int_equal(decode(DLT_EN10MB, arp, sizeof(arp), &pk, NULL), 1);
	/* ICMP (proto 1) over IPv4: IP, but neither UDP nor TCP */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 23, 1), &pk, NULL), 1);
	/* a link type the decoder does not know */
	assert_int_equal(decode(DLT_IEEE802_11, udp4, sizeof(udp4), &pk, NULL), 1);
}

static void test_fragments(void **state)
{
	uint8_t f[sizeof(udp4)];
	wc_pkt pk;
	(void)state;

	/* first fragment: MF set, offset 0 */
	patched(f, 20, 0x20);
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 1);
	/* a later fragment: offset 185 (1480 bytes), MF clear */
	patched(f, 20, 0x00);
	f[21] = 0xb9;
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 1);
	/* DF alone is no fragment */
	assert_int_equal(decode(DLT_EN10MB, udp4, sizeof(udp4), &pk, NULL), 0);
}

static void test_malformed_ip(void **state)
{
	uint8_t f[sizeof(udp4)];
	wc_pkt pk;
	(void)state;

	/* IHL 4 (16 bytes): shorter than an IPv4 header */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 14, 0x44), &pk, NULL), -1);
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 14, 0x40), &pk, NULL), -1);
	/* IHL 15 (60 bytes): options run past the frame */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 14, 0x4f), &pk, NULL), -1);
	/* ethertype IPv4, version 6 */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 14, 0x65), &pk, NULL), -1);
	/* total length 19 < header */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 17, 19), &pk, NULL), -1);
	/* UDP length 7 < its own header */
	assert_int_equal(decode(DLT_EN10MB, f, patched(f, 39, 7), &pk, NULL), -1);
}

static void test_udp_length_past_frame(void **state)
{
	uint8_t f[sizeof(udp4)];
	wc_pkt pk;
	(void)state;

	/* UDP length 32: 24 bytes of payload claimed, 5 present */
	patched(f, 39, 32);
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 0);
	assert_true(pk.truncated);
	assert_int_equal(pk.len, 5);
	/* IP total length 200: more than the frame holds */
	patched(f, 17, 200);
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 0);
	assert_true(pk.truncated);
	assert_int_equal(pk.len, 5);
	/* UDP length 10: the datagram is shorter than the IP payload; 2 bytes */
	patched(f, 39, 10);
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, NULL), 0);
	assert_false(pk.truncated);
	assert_int_equal(pk.len, 2);
}

static void test_ethernet_padding(void **state)
{
	/* a 60-byte minimum frame: IPv4 total 30, UDP "hi", then 16 bytes of padding */
	uint8_t f[60] = {0};
	uint8_t pl[8];
	wc_pkt pk;
	(void)state;

	memcpy(f, udp4, 42);
	f[17] = 30;               /* total 30 */
	f[39] = 10;               /* udp len 10 */
	f[42] = 'h';
	f[43] = 'i';
	assert_int_equal(decode(DLT_EN10MB, f, sizeof(f), &pk, pl), 0);
	assert_int_equal(pk.len, 2);
	assert_memory_equal(pl, "hi", 2);
	assert_false(pk.truncated);
}

/* Every cut of a frame at the end of a guarded page: -1, or decoded and marked truncated. */
static void cuts(int linktype, const uint8_t *frame, size_t full, size_t hdr)
{
	for (size_t n = 0; n < full; n++) {
		wc_pkt pk;
		int rc = decode(linktype, frame, n, &pk, NULL);
		if (rc == 0 && !pk.truncated)
			fail_msg("a frame cut to %zu of %zu bytes decoded as whole", n, full);
		if (rc == 0 && pk.len != n - hdr)
			fail_msg("cut to %zu bytes: payload %zu, expected %zu", n, pk.len, n - hdr);
		if (rc == 1)
			fail_msg("a frame cut to %zu bytes was taken for another protocol", n);
	}
}

static void test_every_truncation(void **state)
{
	(void)state;

	cuts(DLT_EN10MB, udp4, sizeof(udp4), 42);
	cuts(DLT_EN10MB, udp6, sizeof(udp6), 62);
	cuts(DLT_EN10MB, vlan, sizeof(vlan), 46);
	cuts(DLT_LINUX_SLL, sll, sizeof(sll), 44);
	cuts(DLT_RAW, udp4 + 14, sizeof(udp4) - 14, 28);
}

/* Every cut of the TCP frame: never a crash or a read past the cut. */
static void test_every_truncation_tcp(void **state)
{
	(void)state;

	for (size_t n = 0; n <= sizeof(tcp4); n++) {
		wc_pkt pk;
		int rc = decode(DLT_EN10MB, tcp4, n, &pk, NULL);
		assert_true(rc == -1 || rc == 0);
		if (n < sizeof(tcp4) && rc == 0)
			assert_true(pk.truncated);
	}
}

/* A temporary folder for the pcap tests; removed by the teardown. */
static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/wc-decode-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];
	(void)state;
	snprintf(path, sizeof(path), "%s/t.pcap", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

static void dump(pcap_dumper_t *d, long sec, long usec, const uint8_t *p, size_t caplen, size_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = sec;
	h.ts.tv_usec = usec;
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)d, &h, p);
}

static void test_trace_load(void **state)
{
	char path[128], err[512] = "";
	pcap_t *dead;
	pcap_dumper_t *d;
	wc_trace t;
	(void)state;

	snprintf(path, sizeof(path), "%s/t.pcap", tmpdir);
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	dump(d, 1700000000, 123456, udp4, sizeof(udp4), sizeof(udp4)); /* frame 1 */
	dump(d, 1700000001, 0, arp, sizeof(arp), sizeof(arp));          /* frame 2: not IP */
	dump(d, 1700000002, 999999, udp6, sizeof(udp6), sizeof(udp6)); /* frame 3 */
	dump(d, 1700000003, 1, udp4, 44, sizeof(udp4));                 /* frame 4: snap length 44 */
	pcap_dump_close(d);
	pcap_close(dead);

	assert_int_equal(wc_trace_load(path, &t, err, sizeof(err)), 0);
	assert_int_equal(t.linktype, DLT_EN10MB);
	assert_int_equal(t.frames, 4);
	assert_int_equal(t.undecoded, 1);
	assert_int_equal(t.n, 3);

	assert_int_equal(t.pkts[0].frame, 1);
	assert_int_equal(t.pkts[0].ts_us, 1700000000123456LL);
	assert_int_equal(t.pkts[0].len, 5);
	assert_memory_equal(t.pkts[0].payload, "hello", 5);
	assert_false(t.pkts[0].truncated);

	assert_int_equal(t.pkts[1].frame, 3);
	assert_int_equal(t.pkts[1].ts_us, 1700000002999999LL);
	assert_int_equal(t.pkts[1].family, AF_INET6);
	assert_memory_equal(t.pkts[1].payload, "ping", 4);

	assert_int_equal(t.pkts[2].frame, 4);
	assert_true(t.pkts[2].truncated);
	assert_int_equal(t.pkts[2].len, 2);
	assert_memory_equal(t.pkts[2].payload, "he", 2);

	wc_trace_free(&t);
	assert_null(t.pkts);
	assert_int_equal(t.n, 0);
}

static void test_trace_missing(void **state)
{
	char path[128], err[512] = "";
	wc_trace t;
	(void)state;

	snprintf(path, sizeof(path), "%s/no-such.pcap", tmpdir);
	assert_int_equal(wc_trace_load(path, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "cannot read capture"));
	assert_int_equal(t.n, 0);
	assert_null(t.pkts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp4),
		cmocka_unit_test(test_udp6),
		cmocka_unit_test(test_tcp_options),
		cmocka_unit_test(test_tcp_bad_offset),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_linux_cooked),
		cmocka_unit_test(test_raw_ip),
		cmocka_unit_test(test_not_ip),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_malformed_ip),
		cmocka_unit_test(test_udp_length_past_frame),
		cmocka_unit_test(test_ethernet_padding),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_every_truncation_tcp),
		cmocka_unit_test(test_trace_load),
		cmocka_unit_test(test_trace_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
