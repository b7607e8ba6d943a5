/* cursor.c - bounds-checked byte cursor and sticky-error byte buffer */
#include "cursor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wc_cur_init(wc_cur *c, const void *buf, size_t len)
{
	c->p = buf;
	c->len = buf ? len : 0;
	c->off = 0;
	c->err = 0;
}

size_t wc_cur_left(const wc_cur *c)
{
	return c->len - c->off;
}

static int short_read(wc_cur *c)
{
	c->err = 1;
	return -1;
}

int wc_cur_bytes(wc_cur *c, size_t n, const uint8_t **out)
{
	*out = NULL;
	if (n > wc_cur_left(c))
		return short_read(c);
	*out = c->p ? c->p + c->off : (const uint8_t *)""; /* no offset on NULL (an empty cursor) */
	c->off += n;
	return 0;
}

int wc_cur_u8(wc_cur *c, uint8_t *out)
{
	const uint8_t *b;
	*out = 0;
	if (wc_cur_bytes(c, 1, &b) < 0)
		return -1;
	*out = b[0];
	return 0;
}

int wc_cur_be16(wc_cur *c, uint16_t *out)
{
	const uint8_t *b;
	*out = 0;
	if (wc_cur_bytes(c, 2, &b) < 0)
		return -1;
	*out = (uint16_t)(b[0] << 8 | b[1]);
	return 0;
}

int wc_cur_be32(wc_cur *c, uint32_t *out)
{
	const uint8_t *b;
	*out = 0;
	if (wc_cur_bytes(c, 4, &b) < 0)
		return -1;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 0;
}

int wc_cur_le16(wc_cur *c, uint16_t *out)
{
	const uint8_t *b;
	*out = 0;
	if (wc_cur_bytes(c, 2, &b) < 0)
		return -1;
	*out = (uint16_t)(b[1] << 8 | b[0]);
	return 0;
}

int wc_cur_le32(wc_cur *c, uint32_t *out)
{
	const uint8_t *b;
	*out = 0;
	if (wc_cur_bytes(c, 4, &b) < 0)
		return -1;
	*out = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	return 0;
}

int wc_cur_skip(wc_cur *c, size_t n)
{
	const uint8_t *b;
	return wc_cur_bytes(c, n, &b);
}

int wc_cur_seek(wc_cur *c, size_t off)
{
	if (off > c->len)
		return short_read(c);
	c->off = off;
	return 0;
}

int wc_cur_sub(wc_cur *c, size_t n, wc_cur *sub)
{
	const uint8_t *b;
	if (wc_cur_bytes(c, n, &b) < 0) {
		wc_cur_init(sub, NULL, 0);
		return -1;
	}
	wc_cur_init(sub, b, n);
	return 0;
}

void wc_buf_init(wc_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void wc_buf_free(wc_buf *b)
{
	free(b->p);
	wc_buf_init(b, b->max);
}

void wc_buf_reset(wc_buf *b)
{
	if (b->p)
		b->p[0] = 0;
	b->len = 0;
	b->dropped = 0;
	b->oom = 0;
}

/* Makes room for n more bytes plus a NUL; 0 on success. */
static int reserve(wc_buf *b, size_t n)
{
	size_t need, cap;
	uint8_t *p;

	if (b->oom || n > SIZE_MAX - b->len - 1)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void wc_buf_put(wc_buf *b, const void *data, size_t n)
{
	size_t room = n;

	if (b->max && b->len + n > b->max)
		room = b->max > b->len ? b->max - b->len : 0;
	if (room && reserve(b, room) == 0) {
		memcpy(b->p + b->len, data, room);
		b->len += room;
		b->p[b->len] = 0;
	} else {
		room = 0;
	}
	b->dropped += n - room;
}

void wc_buf_u8(wc_buf *b, uint8_t v)
{
	wc_buf_put(b, &v, 1);
}

void wc_buf_be16(wc_buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	wc_buf_put(b, x, 2);
}

void wc_buf_be32(wc_buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	wc_buf_put(b, x, 4);
}

void wc_buf_str(wc_buf *b, const char *s)
{
	wc_buf_put(b, s, strlen(s));
}

void wc_buf_vprintf(wc_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0) {
		b->oom = 1;
	} else if ((size_t)n < sizeof(small)) {
		wc_buf_put(b, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			b->oom = 1;
			b->dropped += (size_t)n;
		} else {
			vsnprintf(big, (size_t)n + 1, fmt, ap2);
			wc_buf_put(b, big, (size_t)n);
			free(big);
		}
	}
	va_end(ap2);
}

void wc_buf_printf(wc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *wc_buf_cstr(wc_buf *b)
{
	if (!b->p)
		return "";
	return (const char *)b->p;
}

int wc_buf_failed(const wc_buf *b)
{
	return b->oom || b->dropped;
}

uint8_t *wc_buf_take(wc_buf *b, size_t *len)
{
	uint8_t *p = b->p;
	*len = b->len;
	if (!p || wc_buf_failed(b) || b->len == 0) {
		wc_buf_free(b);
		*len = 0;
		return NULL;
	}
	b->p = NULL;
	b->len = b->cap = 0;
	wc_buf_reset(b);
	return p;
}
