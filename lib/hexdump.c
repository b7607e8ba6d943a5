/* hexdump.c - hex dumps and quoted renderings of bytes for reports and the DNS lab */
#include "hexdump.h"

#include <ctype.h>
#include <stdlib.h>

void wc_hex_lines(wc_buf *out, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	/* a line at a time, without printf: dns-server prints every datagram,
	 * and a printf a byte was half of its time under dnsperf */
	for (size_t line = 0; line < len; line += 16) {
		char text[16 * 3];
		size_t n = 0;

		for (size_t i = line; i < len && i < line + 16; i++) {
			text[n++] = digits[p[i] >> 4];
			text[n++] = digits[p[i] & 15];
			text[n++] = (i % 16 == 15 || i + 1 == len) ? '\n' : ' ';
		}
		wc_buf_put(out, text, n);
	}
}

void wc_hex_dump(wc_buf *out, const uint8_t *p, size_t len, size_t base, size_t mark, const char *indent)
{
	for (size_t line = 0; line < len; line += 16) {
		wc_buf_printf(out, "%s%04zx ", indent, base + line);
		for (size_t i = line; i < line + 16; i++) {
			if (i < len)
				wc_buf_printf(out, i == mark ? "[%02x]" : " %02x ", p[i]);
			else
				wc_buf_str(out, "    ");
		}
		wc_buf_str(out, " |");
		for (size_t i = line; i < line + 16 && i < len; i++)
			wc_buf_u8(out, (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '.');
		wc_buf_str(out, "|\n");
	}
}

void wc_quote(wc_buf *out, const uint8_t *p, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	wc_buf_u8(out, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = p[i];
		switch (ch) {
		case '\n': wc_buf_str(out, "\\n"); break;
		case '\r': wc_buf_str(out, "\\r"); break;
		case '\t': wc_buf_str(out, "\\t"); break;
		case '\\': wc_buf_str(out, "\\\\"); break;
		case '"': wc_buf_str(out, "\\\""); break;
		default:
			if (ch >= 0x20 && ch < 0x7f)
				wc_buf_u8(out, ch);
			else
				wc_buf_printf(out, "\\x%02x", ch);
		}
	}
	wc_buf_u8(out, '"');
	if (n < len)
		wc_buf_printf(out, "... (%zu bytes)", len);
}

uint8_t *wc_hex_spell(const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t *hex = malloc(len * 2 + 1);

	if (!hex)
		return NULL;
	for (size_t k = 0; k < len; k++) {
		hex[2 * k] = (uint8_t)digits[p[k] >> 4];
		hex[2 * k + 1] = (uint8_t)digits[p[k] & 15];
	}
	hex[2 * len] = 0;
	return hex;
}

static int hex_value(uint8_t c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

size_t wc_hex_read(const uint8_t *p, size_t len, uint8_t *out, size_t cap)
{
	size_t pairs = 0;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			continue;
		if (i + 1 >= len || !isxdigit(p[i]) || !isxdigit(p[i + 1]))
			return 0;
		if (out && pairs < cap)
			out[pairs] = (uint8_t)(hex_value(p[i]) << 4 | hex_value(p[i + 1]));
		pairs++;
		i++;
	}
	return pairs;
}
