/* compare.c - byte strings compared for a verdict's detail: lengths, the first
 * difference in decimal and hex, and a hex window around it on both sides */
#include "judge/compare.h"

#include "hexdump.h"

#define SHOW_BYTES 64 /* bytes of a payload shown around a difference */

long wc_first_difference(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return alen == blen ? -1 : (long)n;
}

static int blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* Does the loose form of needle start at hay[at]? Both walked in step: a run of
 * blanks on either side matches a run of blanks on the other. */
static int loose_at(const uint8_t *hay, size_t hn, size_t at, const uint8_t *needle, size_t nn)
{
	size_t i = at, k = 0;

	while (k < nn) {
		if (blank(needle[k])) {
			if (i >= hn || !blank(hay[i]))
				return 0;
			while (k < nn && blank(needle[k]))
				k++;
			while (i < hn && blank(hay[i]))
				i++;
			continue;
		}
		if (i >= hn || lower(hay[i]) != lower(needle[k]))
			return 0;
		i++;
		k++;
	}
	return 1;
}

int wc_loose_find(const uint8_t *hay, size_t hn, const uint8_t *needle, size_t nn)
{
	while (nn && blank(needle[0])) {
		needle++;
		nn--;
	}
	while (nn && blank(needle[nn - 1]))
		nn--;
	if (!nn)
		return 1;
	for (size_t at = 0; at < hn; at++)
		if (loose_at(hay, hn, at, needle, nn))
			return 1;
	return 0;
}

static void show_byte(wc_buf *out, const uint8_t *p, size_t len, size_t at)
{
	if (at >= len) {
		wc_buf_str(out, "(end)");
		return;
	}
	wc_buf_printf(out, "%u (0x%02x)", p[at], p[at]);
	if (p[at] >= 0x20 && p[at] < 0x7f)
		wc_buf_printf(out, " '%c'", p[at]);
}

static void window(wc_buf *out, const char *label, const uint8_t *p, size_t len, size_t at)
{
	size_t from = at > SHOW_BYTES / 2 ? (at - SHOW_BYTES / 2) & ~(size_t)15 : 0;
	size_t n = len - from < SHOW_BYTES ? len - from : SHOW_BYTES;

	if (from > len)
		from = len, n = 0;
	wc_buf_printf(out, "  %s (bytes %zu..%zu of %zu):\n", label, from, from + n, len);
	if (n)
		wc_hex_dump(out, p + from, n, from, at - from, "    ");
}

void wc_compare_bytes(wc_buf *out, const uint8_t *want, size_t wlen, const uint8_t *got, size_t glen)
{
	long d = wc_first_difference(want, wlen, got, glen);

	wc_buf_printf(out, "  expected %zu bytes: ", wlen);
	wc_quote(out, want, wlen, 72);
	wc_buf_printf(out, "\n  got      %zu bytes: ", glen);
	wc_quote(out, got, glen, 72);
	wc_buf_str(out, "\n");
	if (d < 0)
		return;
	if (wlen != glen)
		wc_buf_printf(out, "  length: expected %zu (0x%zx) vs actual %zu (0x%zx)\n", wlen, wlen, glen, glen);
	wc_buf_printf(out, "  first difference at byte %ld: expected ", d);
	show_byte(out, want, wlen, (size_t)d);
	wc_buf_str(out, " vs actual ");
	show_byte(out, got, glen, (size_t)d);
	wc_buf_str(out, "\n");
	window(out, "expected", want, wlen, (size_t)d);
	window(out, "got", got, glen, (size_t)d);
}
