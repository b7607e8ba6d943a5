/* transcript.h - what the harness's own sockets sent and received, in order, and a pcap made of it where no capture can be opened */
#ifndef WC_TRANSCRIPT_H
#define WC_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "cursor.h"
#include "sandbox/capture.h"

/*
 * Where libpcap may not open a packet socket (no CAP_NET_RAW: docker run
 * --cap-drop NET_RAW, a user on a machine without user namespaces), the
 * driver writes down what its sockets did instead, and at the end of the run
 * wc_transcript_write_pcap turns that into the scenario's pcap: IPv4/IPv6 and
 * TCP/UDP frames (raw IP, LINKTYPE_RAW) with consistent sequence numbers and
 * checksums, which the decoder and the checks read as they read a capture.
 *
 * It holds what the harness saw through its sockets, not what the wire
 * carried: TCP bytes are cut where the harness's send() and recv() calls cut
 * them, not where the segments were; a frame that never reached a harness
 * socket is not in it.
 */

/* The words every verdict of such a run carries */
#define WC_TRANSCRIPT_NOTE                                                                                 \
	"capture: reconstructed from the harness's sockets (no CAP_NET_RAW): not what the wire carried"

/* What a run of such pcaps loses, in words */
#define WC_TRANSCRIPT_LOSES                                                                                \
	"each scenario's pcap is reconstructed from the harness's own sockets (a client scenario's from the "  \
	"reference server's), not seen on the wire (TCP cut where those sockets' send() and recv() cut it; "   \
	"what never reached them missing), and every verdict says so"

enum wc_tx_kind {
	WC_TX_SYN,      /* the harness connects */
	WC_TX_ACCEPTED, /* the connection opened: SYN-ACK, ACK */
	WC_TX_DATA,
	WC_TX_FIN,
	WC_TX_RST
};

typedef struct wc_tx_event {
	int64_t ts_us;      /* realtime, as a capture stamps its frames */
	int flow;
	enum wc_tx_kind kind;
	int from_peer;      /* sent by the program's side (received by the harness) */
	size_t off, len;    /* DATA: its bytes in the transcript's data */
} wc_tx_event;

typedef struct wc_tx_flow {
	int proto;          /* IPPROTO_TCP, IPPROTO_UDP */
	struct sockaddr_storage local, peer;
	int fin[2], rst;    /* TCP: FIN sent by [harness, peer]; a reset seen: nothing follows */
	int by_peer;        /* TCP: the peer connected (a client under test), not the harness */
} wc_tx_flow;

typedef struct wc_transcript {
	wc_tx_flow *flows;
	size_t nflows;
	wc_tx_event *ev;
	size_t n, cap;
	wc_buf data;
	int oom;            /* sticky: an allocation failed, the transcript is not whole */
} wc_transcript;

void wc_transcript_init(wc_transcript *t);
void wc_transcript_free(wc_transcript *t);

/* The TCP connection of fd, just connect()ed (its SYN): a new flow, or -1 (out of memory). */
int wc_tx_tcp_open(wc_transcript *t, int fd, const struct sockaddr *peer, socklen_t plen);
/* An event of a TCP flow (DATA: bytes p[0..len)); a flow that was reset, or
 * a FIN sent twice, takes nothing more. */
void wc_tx_tcp(wc_transcript *t, int flow, enum wc_tx_kind kind, int from_peer, const void *p, size_t len);
/* A datagram of the UDP socket fd: sent to, or received from, peer. */
void wc_tx_udp(wc_transcript *t, int fd, const struct sockaddr *peer, socklen_t plen, int from_peer, const void *p,
	       size_t len);

/*
 * Adds to t what a reference server wrote down of its sockets (lib/srvtx.h,
 * the file at path) while a client under test talked to it: the server is
 * the harness's side, the client the peer. The file is written by a process
 * that runs beside untrusted code: it is read as untrusted (at most
 * WC_TX_FILE_MAX bytes, every field checked). 0, or -1 with what is wrong
 * in err ("record 3: ..."; t then holds what came before).
 */
#define WC_TX_FILE_MAX (64u << 20)
int wc_transcript_load_server(wc_transcript *t, const char *path, char *err, size_t errlen);

/*
 * Writes the transcript as a pcap file at path (folders made), through
 * libpcap's dumper, and fills *st (frames written). 0, or -1 with the reason
 * in err.
 */
int wc_transcript_write_pcap(const wc_transcript *t, const char *path, wc_capture_stats *st, char *err,
			     size_t errlen);

#endif
