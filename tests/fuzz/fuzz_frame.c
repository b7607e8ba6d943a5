/* fuzz_frame.c - libFuzzer target: wc_decode_frame on one frame of each link type it decodes */
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "judge/decode.h"
#include "fuzz.h"

/* The first input byte picks one (modulo 8); DLT_PPP is one it does not decode. */
static const int linktypes[8] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
				 DLT_NULL,   DLT_IPV4,      DLT_IPV6,       DLT_PPP};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *frame;
	size_t len;
	char addr[64];
	wc_pkt pk;
	int rc;

	if (size < 1)
		return 0;
	/* the frame ends where libFuzzer's copy of the input ends: an over-read is caught */
	frame = data + 1;
	len = size - 1;
	rc = wc_decode_frame(linktypes[data[0] % 8], frame, len, &pk);
	FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
	if (rc != 0)
		return 0;
	FUZZ_CHECK(pk.family == AF_INET || pk.family == AF_INET6);
	FUZZ_CHECK(pk.proto == IPPROTO_UDP || pk.proto == IPPROTO_TCP);
	FUZZ_CHECK(pk.len <= len);
	if (pk.len) {
		FUZZ_CHECK(pk.payload >= frame && pk.payload + pk.len <= frame + len);
		fuzz_touch(pk.payload, pk.len);
	}
	wc_pkt_src(&pk, addr, sizeof(addr));
	FUZZ_CHECK(memchr(addr, 0, sizeof(addr)) != NULL);
	wc_pkt_dst(&pk, addr, sizeof(addr));
	FUZZ_CHECK(memchr(addr, 0, sizeof(addr)) != NULL);
	return 0;
}
