/* bytes.h - a byte queue, appended at its end and taken from its front, and moving it through a socket */
#ifndef WC_BYTES_H
#define WC_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WC_CHUNK 65536 /* bytes taken from a socket by one read */

/* Bytes p[off..len) are queued; p[len..cap) is room. Zero it to start; free
 * it with wc_bytes_free(). */
typedef struct wc_bytes {
	uint8_t *p;
	size_t off, len, cap;
} wc_bytes;

/* Makes room for n more bytes at b->p + b->len, moving the queued bytes to the
 * front first. Returns 0, or -1 (queue unchanged) when out of memory. */
int wc_bytes_reserve(wc_bytes *b, size_t n);
/* The number of bytes queued. */
size_t wc_bytes_used(const wc_bytes *b);
/* Once the queue is empty: starts it again at the front, and gives back its
 * storage if above 64 KiB, so that idle queues stay small. */
void wc_bytes_trim(wc_bytes *b);
/* Frees the storage; *b is left empty, ready for use again. */
void wc_bytes_free(wc_bytes *b);

/* Sends the queue on the socket fd, as much as it takes now (partial writes,
 * no blocking, no SIGPIPE). Returns 0, or the errno of a failed send; what was
 * not sent stays queued. */
int wc_bytes_send(wc_bytes *b, int fd);

/* How a round of wc_bytes_exchange() ended. */
enum { WC_X_OK, WC_X_CLOSED, WC_X_TIMEOUT, WC_X_ERROR };

/* One round of sending p[*sent..len) on the non-blocking socket fd while
 * reading what comes into *in: waits up to timeout_ms for the socket, reads a
 * chunk (WC_CHUNK bytes at most), sends what the socket takes and advances
 * *sent. Reading while sending keeps a long line from deadlocking against a
 * peer that answers as it reads. Returns WC_X_OK (go on), WC_X_CLOSED when the
 * peer has closed, WC_X_TIMEOUT when nothing came or went within timeout_ms,
 * or WC_X_ERROR with the failed call in err ("keeping KEEPING: ..." when out
 * of memory). */
int wc_bytes_exchange(int fd, const void *p, size_t len, size_t *sent, int timeout_ms, wc_bytes *in,
		      const char *keeping, char *err, size_t errlen);

#endif
