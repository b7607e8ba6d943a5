/* decode.h - frames of a capture decoded to IP packets with UDP or TCP payloads (what the wire showed) */
#ifndef WC_DECODE_H
#define WC_DECODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct wc_pkt {
	unsigned frame;          /* 1-based frame number in the pcap file, as Wireshark counts */
	int64_t ts_us;           /* capture time, microseconds since the epoch */
	int family;              /* AF_INET or AF_INET6 */
	uint8_t src[16], dst[16];
	int proto;               /* IPPROTO_UDP, IPPROTO_TCP, or another IP protocol */
	uint16_t sport, dport;
	uint32_t seq, ack;       /* TCP */
	uint8_t tcp_flags;       /* TCP */
	const uint8_t *payload;  /* into the owning wc_trace's storage */
	size_t len;
	int truncated;           /* the frame was cut (snap length) or the lengths disagree */
} wc_pkt;

typedef struct wc_trace {
	int linktype;
	wc_pkt *pkts;
	size_t n;
	uint8_t **blobs;         /* frame copies the payloads point into */
	size_t nblobs;
	unsigned frames;         /* all frames, decoded or not */
	unsigned undecoded;      /* frames that were not IP, or malformed */
} wc_trace;

/*
 * Decodes one frame of the given DLT linktype. On success fills *pk (payload
 * pointing into buf) and returns 0; returns 1 for a frame that is not IPv4/IPv6
 * UDP or TCP (ARP, ICMP...), -1 for a malformed one.
 */
int wc_decode_frame(int linktype, const uint8_t *buf, size_t len, wc_pkt *pk);
/* Reads a pcap file into *t. 0, or -1 with the reason in err. */
int wc_trace_load(const char *path, wc_trace *t, char *err, size_t errlen);
void wc_trace_free(wc_trace *t);
/* "127.0.0.1:12000" or "[::1]:12000" for the source or destination of pk. */
void wc_pkt_src(const wc_pkt *pk, char *buf, size_t n);
void wc_pkt_dst(const wc_pkt *pk, char *buf, size_t n);

#endif
