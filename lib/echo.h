/* echo.h - the uppercase echo transform of the echo labs */
#ifndef WC_ECHO_H
#define WC_ECHO_H

#include <stddef.h>
#include <stdint.h>

/* Writes len bytes to out: ASCII a-z turned into A-Z, every other byte as is.
 * in and out may be the same buffer. */
void wc_echo_upper(const uint8_t *in, size_t len, uint8_t *out);

#endif
