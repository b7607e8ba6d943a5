/* test_echo_hex.c - the uppercase echo over every byte value, hex lines, annotated dumps and quoting */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "echo.h"
#include "hexdump.h"

static void test_upper_all_bytes(void **state)
{
	uint8_t in[256], out[256];
	(void)state;

	for (int i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	memset(out, 0xee, sizeof(out));
	wc_echo_upper(in, sizeof(in), out);
	for (int i = 0; i < 256; i++) {
		int want = (i >= 'a' && i <= 'z') ? i - 32 : i;
		if (out[i] != want)
			fail_msg("byte 0x%02x became 0x%02x, expected 0x%02x", i, out[i], want);
	}
	/* the neighbours of the ranges, named */
	assert_int_equal(out['@'], '@');
	assert_int_equal(out['['], '[');
	assert_int_equal(out['`'], '`');
	assert_int_equal(out['{'], '{');
	assert_int_equal(out['a'], 'A');
	assert_int_equal(out['z'], 'Z');
	assert_int_equal(out[0xe9], 0xe9); /* Latin-1 e acute: not ASCII, stays */
}

static void test_upper_in_place(void **state)
{
	uint8_t b[] = "Hello, wOrld\0zz";
	(void)state;

	wc_echo_upper(b, sizeof(b) - 1, b);
	assert_memory_equal(b, "HELLO, WORLD\0ZZ", sizeof(b) - 1);
	wc_echo_upper(b, 0, b); /* nothing to do, nothing touched */
	assert_int_equal(b[0], 'H');
}

static void hex_lines(const uint8_t *p, size_t len, const char *want)
{
	wc_buf b;

	wc_buf_init(&b, 0);
	wc_hex_lines(&b, p, len);
	assert_string_equal(wc_buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	wc_buf_free(&b);
}

static void test_hex_lines(void **state)
{
	uint8_t p[33];
	(void)state;

	for (int i = 0; i < 33; i++)
		p[i] = (uint8_t)(0xe0 + i);
	hex_lines(p, 0, "");
	hex_lines(p, 1, "e0\n");
	hex_lines((const uint8_t *)"\x0a\xAB", 2, "0a ab\n");
	hex_lines(p, 16, "e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef\n");
	hex_lines(p, 17, "e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef\n"
			 "f0\n");
	hex_lines(p, 33, "e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 ea eb ec ed ee ef\n"
			 "f0 f1 f2 f3 f4 f5 f6 f7 f8 f9 fa fb fc fd fe ff\n"
			 "00\n");
}

static void test_hex_dump_mark(void **state)
{
	const uint8_t p[18] = "ABCDEFGHIJKLMNOP\x01q";
	wc_buf b;
	(void)state;

	wc_buf_init(&b, 0);
	wc_hex_dump(&b, p, sizeof(p), 0, 17, "> ");
	assert_string_equal(wc_buf_cstr(&b),
			    "> 0000  41  42  43  44  45  46  47  48  49  4a  4b  4c  4d  4e  4f  50  |ABCDEFGHIJKLMNOP|\n"
			    "> 0010  01 [71]                                                         |.q|\n");
	wc_buf_free(&b);
}

static void quote(const char *in, size_t len, size_t max, const char *want)
{
	wc_buf b;

	wc_buf_init(&b, 0);
	wc_quote(&b, (const uint8_t *)in, len, max);
	assert_string_equal(wc_buf_cstr(&b), want);
	wc_buf_free(&b);
}

static void test_quote(void **state)
{
	(void)state;

	quote("", 0, 10, "\"\"");
	quote("hi", 2, 10, "\"hi\"");
	quote("a\nb\rc\td\\e\"f", 11, 72, "\"a\\nb\\rc\\td\\\\e\\\"f\"");
	quote("\0\x1f\x7f\x80\xff ~", 7, 72, "\"\\x00\\x1f\\x7f\\x80\\xff ~\"");
	/* exactly max: not cut; one more: cut, with the whole length */
	quote("abcde", 5, 5, "\"abcde\"");
	quote("abcdef", 6, 5, "\"abcde\"... (6 bytes)");
	quote("abcdef", 6, 0, "\"\"... (6 bytes)");
}

/* the spelling a hex-text run sends, and its reading back (hand-written pairs) */
static void test_hex_spell_read(void **state)
{
	const uint8_t msg[] = {0x1a, 0x2b, 0x01, 0x00, 0x00, 0xff};
	uint8_t *hex = wc_hex_spell(msg, sizeof(msg)), back[8] = {0};
	(void)state;

	assert_non_null(hex);
	assert_string_equal((char *)hex, "1a2b010000ff");
	assert_int_equal(wc_hex_read(hex, 12, back, sizeof(back)), 6);
	assert_memory_equal(back, msg, sizeof(msg));
	free(hex);
	/* spaces, line ends and upper case, as students print it */
	assert_int_equal(wc_hex_read((const uint8_t *)"1A 2b\r\n01", 9, back, sizeof(back)), 3);
	assert_int_equal(back[0], 0x1a);
	assert_int_equal(back[2], 0x01);
	/* an odd digit, a non-hex byte, a binary message: not hex text */
	assert_int_equal(wc_hex_read((const uint8_t *)"1a2", 3, back, sizeof(back)), 0);
	assert_int_equal(wc_hex_read((const uint8_t *)"1g", 2, back, sizeof(back)), 0);
	assert_int_equal(wc_hex_read(msg, sizeof(msg), back, sizeof(back)), 0);
	/* cap: counted whole, written in part */
	assert_int_equal(wc_hex_read((const uint8_t *)"010203", 6, back, 2), 3);
	assert_int_equal(wc_hex_read((const uint8_t *)"0a0b", 4, NULL, 0), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper_all_bytes),
		cmocka_unit_test(test_upper_in_place),
		cmocka_unit_test(test_hex_lines),
		cmocka_unit_test(test_hex_dump_mark),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_hex_spell_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
