/* echo.c - the uppercase echo transform: only ASCII a-z change */
#include "echo.h"

void wc_echo_upper(const uint8_t *in, size_t len, uint8_t *out)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (in[i] >= 'a' && in[i] <= 'z') ? (uint8_t)(in[i] - 'a' + 'A') : in[i];
}
