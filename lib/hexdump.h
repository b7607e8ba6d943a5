/* hexdump.h - hex dumps of bytes, 16 a line */
#ifndef WC_HEXDUMP_H
#define WC_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Appends lines of 16 bytes as lower-case hex pairs separated by spaces, each
 * line ended by '\n' (the DNS lab's format). Nothing for len 0. */
void wc_hex_lines(wc_buf *out, const uint8_t *p, size_t len);

/* p[0..len) spelled as lower-case hex text, 2 * len characters and a NUL, in
 * new memory (free() it); NULL when out of memory. */
uint8_t *wc_hex_spell(const uint8_t *p, size_t len);

/* Reads p[0..len) as hex text: pairs of hex digits, spaces and line ends
 * between them ignored. Returns the number of pairs (0 when anything else is
 * in it); writes the first 'cap' bytes they spell to out (out may be NULL). */
size_t wc_hex_read(const uint8_t *p, size_t len, uint8_t *out, size_t cap);

/* Appends an annotated dump of p[0..len): offset (counted from 'base', the
 * offset of p in a larger string), hex, and printable ASCII, with the byte at
 * p[mark] (if mark < len) bracketed, for showing where two byte strings part. */
void wc_hex_dump(wc_buf *out, const uint8_t *p, size_t len, size_t base, size_t mark, const char *indent);

/* Appends a short quoted rendering of bytes with C escapes, at most 'max' input
 * bytes, then "... (N bytes)" when cut. */
void wc_quote(wc_buf *out, const uint8_t *p, size_t len, size_t max);

#endif
