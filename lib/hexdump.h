/* hexdump.h - hex dumps of bytes, 16 a line */
#ifndef WC_HEXDUMP_H
#define WC_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Appends lines of 16 bytes as lower-case hex pairs separated by spaces, each
 * line ended by '\n' (the DNS lab's format). Nothing for len 0. */
void wc_hex_lines(wc_buf *out, const uint8_t *p, size_t len);

/* Appends an annotated dump of p[0..len): offset (counted from 'base', the
 * offset of p in a larger string), hex, and printable ASCII, with the byte at
 * p[mark] (if mark < len) bracketed, for showing where two byte strings part. */
void wc_hex_dump(wc_buf *out, const uint8_t *p, size_t len, size_t base, size_t mark, const char *indent);

/* Appends a short quoted rendering of bytes with C escapes, at most 'max' input
 * bytes, then "... (N bytes)" when cut. */
void wc_quote(wc_buf *out, const uint8_t *p, size_t len, size_t max);

#endif
