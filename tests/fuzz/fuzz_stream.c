/* fuzz_stream.c - libFuzzer target: wc_tcp_reassemble over segments described by the input */
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "judge/decode.h"
#include "judge/stream.h"
#include "fuzz.h"

#define MAX_RECORDS 2048

/*
 * The input is a run of records, one a packet:
 *   flags  1 byte   TCP flags (FIN 01, SYN 02, RST 04, ACK 10)
 *   meta   1 byte   bit 0: direction (0 client to server, 1 back)
 *                   bits 1-2: connection: client 10.0.0.(1 + bit 1), port 40000 + bit 2
 *                   bit 3: IPv6 (fd00::...), bit 4: truncated, bit 5: UDP, not TCP,
 *                   bit 6: far (below)
 *   seq    4 bytes  big-endian: the first record of a family and direction gives
 *                   its base; the others say base + a signed 16-bit step (the
 *                   low two bytes), far ones also + a region: FAR[first byte % 8]
 *   len    1 byte   payload bytes that follow (cut to what the input holds)
 * The server is 10.0.0.100 (fd00::100) port 12000. Payloads point into the
 * input itself, as they point into frame copies in a real wc_trace.
 *
 * Steps from one base keep streams small: with free sequence numbers the
 * fuzzer keeps finding streams of tens of MiB, each a large allocation that
 * ASan maps, poisons and unmaps (15 ms for 64 MiB); the regions still reach
 * the 64 MiB cap, wrap-around and bytes before the start.
 */
static const uint32_t FAR[8] = {
	1u << 16, 1u << 20, WC_STREAM_MAX, WC_STREAM_MAX + (1u << 16), 1u << 31, (uint32_t)-(1u << 16),
	(uint32_t)-WC_STREAM_MAX, 3u << 30,
};

static void address(uint8_t a[16], int v6, uint8_t last)
{
	memset(a, 0, 16);
	if (v6) {
		a[0] = 0xfd;
		a[14] = last == 100 ? 1 : 0;
		a[15] = last;
	} else {
		a[0] = 10;
		a[3] = last;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wc_trace t;
	wc_conn *cs;
	size_t nc, off = 0, nrec = 0;
	uint32_t base[4];
	unsigned have_base = 0;

	/* as many packets as the input has records: a read past them is found, and
	 * a small input costs a small allocation, not MAX_RECORDS of them */
	while (size - off >= 7 && nrec < MAX_RECORDS) {
		off += 7;
		off += data[off - 1] < size - off ? data[off - 1] : size - off;
		nrec++;
	}
	off = 0;
	memset(&t, 0, sizeof(t));
	t.linktype = DLT_RAW;
	t.pkts = calloc(nrec ? nrec : 1, sizeof(*t.pkts));
	if (!t.pkts)
		return 0;
	while (t.n < nrec) {
		wc_pkt *pk = &t.pkts[t.n];
		uint8_t flags = data[off], meta = data[off + 1], len = data[off + 6];
		int v6 = meta >> 3 & 1, conn = meta >> 1 & 3;
		uint8_t client = (uint8_t)(1 + (conn & 1));
		uint16_t cport = (uint16_t)(40000 + (conn >> 1));
		uint32_t seq = (uint32_t)data[off + 2] << 24 | (uint32_t)data[off + 3] << 16 |
			       (uint32_t)data[off + 4] << 8 | data[off + 5];
		int key = (meta >> 2 & 2) | (meta & 1); /* family, direction */

		pk->frame = (unsigned)t.n + 1;
		pk->ts_us = (int64_t)t.n * 1000;
		pk->family = v6 ? AF_INET6 : AF_INET;
		pk->proto = meta & 0x20 ? IPPROTO_UDP : IPPROTO_TCP;
		if (meta & 1) {
			address(pk->src, v6, 100);
			address(pk->dst, v6, client);
			pk->sport = 12000;
			pk->dport = cport;
		} else {
			address(pk->src, v6, client);
			address(pk->dst, v6, 100);
			pk->sport = cport;
			pk->dport = 12000;
		}
		if (!(have_base >> key & 1)) {
			base[key] = seq;
			have_base |= 1u << key;
		} else {
			uint32_t step = (uint32_t)(int32_t)(int16_t)(seq & 0xffff);
			seq = base[key] + step + (meta & 0x40 ? FAR[data[off + 2] % 8] : 0);
		}
		pk->seq = seq;
		pk->tcp_flags = flags;
		pk->truncated = meta >> 4 & 1;
		off += 7;
		pk->len = len < size - off ? len : size - off;
		pk->payload = data + off;
		off += pk->len;
		t.frames++;
		t.n++;
	}
	if (wc_tcp_reassemble(&t, &cs, &nc) == 0)
		fuzz_touch_conns(cs, nc);
	free(t.pkts);
	return 0;
}
