/* stream.h - TCP connections reassembled from a capture: the byte streams the wire carried */
#ifndef WC_STREAM_H
#define WC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "judge/decode.h"

#define WC_STREAM_MAX (64u << 20) /* bytes kept of one direction */

typedef struct wc_span {
	size_t off;      /* stream offset of the segment's first byte */
	size_t len;
	unsigned frame;  /* frame that first carried these bytes */
} wc_span;

/* One direction of a connection. Bytes never seen (capture loss) read as 0
 * and are counted in 'gaps'. */
typedef struct wc_stream {
	uint8_t *data;
	uint8_t *have;       /* a bit per byte: carried by some frame */
	size_t len;          /* up to the last byte seen */
	size_t cap;
	size_t gaps;         /* bytes in [0, len) that no frame carried */
	wc_span *spans;      /* in order of arrival */
	size_t nspans, capspans;
	uint32_t isn;        /* sequence number of the SYN (first byte is isn + 1) */
	int have_isn;
	int fin;             /* a FIN was seen: the sender closed after fin_off bytes */
	size_t fin_off;
	unsigned fin_frame;
	int rst;             /* a RST was seen */
	unsigned rst_frame;
	size_t retransmitted; /* bytes carried again */
	int truncated;       /* more than WC_STREAM_MAX bytes, or frames cut by the snap length */
} wc_stream;

typedef struct wc_conn {
	int family;
	uint8_t caddr[16];   /* the connecting side (SYN sender) */
	uint16_t cport;
	uint16_t sport;      /* the port it connected to, as first seen */
	unsigned syn_frame;  /* 0 if the capture began mid-connection */
	wc_stream up;        /* connecting side to the other */
	wc_stream down;      /* the other side back */
} wc_conn;

/*
 * Rebuilds every TCP connection of t, in the order their first frames appear.
 * Retransmissions and overlaps keep the bytes first seen; sequence numbers wrap.
 * Returns 0 and *conns (free with wc_conns_free), or -1 (out of memory).
 */
int wc_tcp_reassemble(const wc_trace *t, wc_conn **conns, size_t *n);
void wc_conns_free(wc_conn *conns, size_t n);
/* The connection whose connecting side used local port cport (and family), or NULL. */
const wc_conn *wc_conn_by_client_port(const wc_conn *conns, size_t n, uint16_t cport);
/* The frame that carried stream byte off, or 0. */
unsigned wc_stream_frame_at(const wc_stream *s, size_t off);
/* The stream's bytes from off (an empty string when it has none: its data is
 * NULL until a segment came, and NULL + 0 is undefined behaviour). */
static inline const uint8_t *wc_stream_at(const wc_stream *s, size_t off)
{
	return s->data ? s->data + off : (const uint8_t *)"";
}
/* Bytes of [from, to) no frame carried. */
size_t wc_stream_gaps_in(const wc_stream *s, size_t from, size_t to);

#endif
