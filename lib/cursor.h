/* cursor.h - bounds-checked reading (wc_cur) and sticky-error writing (wc_buf) of bytes */
#ifndef WC_CURSOR_H
#define WC_CURSOR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A read cursor over bytes it does not own. Every fetch checks the bytes left;
 * a fetch past the end returns -1, zeroes its out-parameter, leaves the offset
 * where it was and sets the sticky flag 'err', so a parser may read many fields
 * and test once. Parsers of wire data (pcap, IP, UDP, DNS, HTTP, scenarios) read
 * only through this type.
 */
typedef struct wc_cur {
	const uint8_t *p;
	size_t len;
	size_t off;
	int err;
} wc_cur;

void wc_cur_init(wc_cur *c, const void *buf, size_t len);
size_t wc_cur_left(const wc_cur *c);
int wc_cur_u8(wc_cur *c, uint8_t *out);
int wc_cur_be16(wc_cur *c, uint16_t *out);
int wc_cur_be32(wc_cur *c, uint32_t *out);
int wc_cur_le16(wc_cur *c, uint16_t *out);
int wc_cur_le32(wc_cur *c, uint32_t *out);
/* A view of the next n bytes (no copy); *out is NULL on failure. */
int wc_cur_bytes(wc_cur *c, size_t n, const uint8_t **out);
int wc_cur_skip(wc_cur *c, size_t n);
/* Moves to an absolute offset, at most len. */
int wc_cur_seek(wc_cur *c, size_t off);
/* A sub-cursor over the next n bytes, which the parent skips. */
int wc_cur_sub(wc_cur *c, size_t n, wc_cur *sub);

/*
 * A growable byte buffer with a sticky error: after an allocation failure, or
 * once 'max' bytes (0: no limit) would be exceeded, writes are dropped and
 * counted in 'dropped' and wc_buf_failed() is true. Nothing is lost silently.
 */
typedef struct wc_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t max;
	size_t dropped;
	int oom;
} wc_buf;

void wc_buf_init(wc_buf *b, size_t max);
void wc_buf_free(wc_buf *b);
void wc_buf_reset(wc_buf *b);
void wc_buf_put(wc_buf *b, const void *data, size_t n);
void wc_buf_u8(wc_buf *b, uint8_t v);
void wc_buf_be16(wc_buf *b, uint16_t v);
void wc_buf_be32(wc_buf *b, uint32_t v);
void wc_buf_str(wc_buf *b, const char *s);
void wc_buf_printf(wc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wc_buf_vprintf(wc_buf *b, const char *fmt, va_list ap);
/* A NUL-terminated view of the contents (the NUL is not counted in len). */
const char *wc_buf_cstr(wc_buf *b);
/* Non-zero after an allocation failure or a write past max. */
int wc_buf_failed(const wc_buf *b);
/* Takes the contents (caller frees), leaving b empty. NULL if empty or failed. */
uint8_t *wc_buf_take(wc_buf *b, size_t *len);

#endif
