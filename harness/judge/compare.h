/* compare.h - byte strings compared for a verdict's detail (every judge uses it) */
#ifndef WC_COMPARE_H
#define WC_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

/* Appends an expected-vs-got comparison of two byte strings to out. */
void wc_compare_bytes(wc_buf *out, const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen);
/* Index of the first differing byte, or the shorter length; equal strings give -1. */
long wc_first_difference(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* Does needle occur in hay without regard to ASCII case and spacing (a run of
 * spaces, tabs and CRs counts as one space; the needle's own leading and
 * trailing spaces are dropped)? For prompts and printed labels (LABS.md 5). */
int wc_loose_find(const uint8_t *hay, size_t hn, const uint8_t *needle, size_t nn);

#endif
