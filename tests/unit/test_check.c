/* test_check.c - where two byte strings part, and the expected-vs-actual text that shows it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "judge/check.h"
#include "judge/compare.h"

#define U(s) ((const uint8_t *)(s))

static void test_first_difference(void **state)
{
	(void)state;

	assert_int_equal(wc_first_difference(U("abc"), 3, U("abc"), 3), -1);
	assert_int_equal(wc_first_difference(U(""), 0, U(""), 0), -1);
	assert_int_equal(wc_first_difference(U("xbc"), 3, U("abc"), 3), 0);
	assert_int_equal(wc_first_difference(U("abc"), 3, U("abd"), 3), 2);
	/* a prefix: the difference is where the shorter one ends, either way round */
	assert_int_equal(wc_first_difference(U("ab"), 2, U("abc"), 3), 2);
	assert_int_equal(wc_first_difference(U("abc"), 3, U("ab"), 2), 2);
	assert_int_equal(wc_first_difference(U(""), 0, U("a"), 1), 0);
	assert_int_equal(wc_first_difference(U("a"), 1, U(""), 0), 0);
	/* bytes, not C strings: a NUL is a byte like another */
	assert_int_equal(wc_first_difference(U("a\0b"), 3, U("a\0c"), 3), 2);
}

/* wc_compare_bytes into a fresh string; the caller frees with wc_buf_free. */
static const char *compare(wc_buf *b, const char *want, size_t wlen, const char *got, size_t glen)
{
	wc_buf_init(b, 0);
	wc_compare_bytes(b, U(want), wlen, U(got), glen);
	assert_false(wc_buf_failed(b));
	return wc_buf_cstr(b);
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("'%s' is missing from:\n%s", part, text);
}

static void test_compare_equal(void **state)
{
	wc_buf b;
	const char *t = compare(&b, "same", 4, "same", 4);
	(void)state;

	assert_string_equal(t, "  expected 4 bytes: \"same\"\n"
			       "  got      4 bytes: \"same\"\n");
	wc_buf_free(&b);
}

static void test_compare_differ(void **state)
{
	wc_buf b;
	const char *t = compare(&b, "hello world", 11, "hello World", 11);
	(void)state;

	assert_has(t, "expected 11 bytes: \"hello world\"");
	assert_has(t, "got      11 bytes: \"hello World\"");
	assert_has(t, "first difference at byte 6: expected 119 (0x77) 'w' vs actual 87 (0x57) 'W'\n");
	assert_null(strstr(t, "length:")); /* same length: no length line */
	/* each window brackets the differing byte, and only that one */
	assert_has(t, "  expected (bytes 0..11 of 11):\n    0000  68  65  6c  6c  6f  20 [77] 6f ");
	assert_has(t, "  got (bytes 0..11 of 11):\n    0000  68  65  6c  6c  6f  20 [57] 6f ");
	wc_buf_free(&b);
}

static void test_compare_at_ends(void **state)
{
	wc_buf b;
	const char *t;
	(void)state;

	t = compare(&b, "\x01yz", 3, "\xffyz", 3);
	assert_has(t, "first difference at byte 0: expected 1 (0x01) vs actual 255 (0xff)\n");
	assert_has(t, "0000 [01] 79 ");
	assert_has(t, "0000 [ff] 79 ");
	wc_buf_free(&b);

	t = compare(&b, "abc", 3, "abX", 3);
	assert_has(t, "first difference at byte 2: expected 99 (0x63) 'c' vs actual 88 (0x58) 'X'");
	assert_has(t, " 62 [63]");
	assert_has(t, " 62 [58]");
	wc_buf_free(&b);
}

static void test_compare_prefix(void **state)
{
	wc_buf b;
	const char *t;
	(void)state;

	/* the reply is longer: the expected side has ended */
	t = compare(&b, "abc", 3, "abcde", 5);
	assert_has(t, "expected 3 bytes");
	assert_has(t, "got      5 bytes");
	assert_has(t, "length: expected 3 (0x3) vs actual 5 (0x5)\n");
	assert_has(t, "first difference at byte 3: expected (end) vs actual 100 (0x64) 'd'\n");
	assert_has(t, " 63 [64] 65 ");
	wc_buf_free(&b);

	/* the reply is shorter: the actual side has ended */
	t = compare(&b, "abcde", 5, "abc", 3);
	assert_has(t, "length: expected 5 (0x5) vs actual 3 (0x3)\n");
	assert_has(t, "first difference at byte 3: expected 100 (0x64) 'd' vs actual (end)\n");
	assert_has(t, " 63 [64] 65 ");
	assert_has(t, "  got (bytes 0..3 of 3):\n    0000  61  62  63 ");
	wc_buf_free(&b);
}

static void test_compare_empty(void **state)
{
	wc_buf b;
	const char *t;
	(void)state;

	t = compare(&b, "", 0, "x", 1);
	assert_has(t, "expected 0 bytes: \"\"\n");
	assert_has(t, "first difference at byte 0: expected (end) vs actual 120 (0x78) 'x'\n");
	assert_has(t, "  expected (bytes 0..0 of 0):\n  got");
	assert_has(t, "0000 [78]");
	wc_buf_free(&b);

	t = compare(&b, "x", 1, "", 0);
	assert_has(t, "length: expected 1 (0x1) vs actual 0 (0x0)\n");
	assert_has(t, "first difference at byte 0: expected 120 (0x78) 'x' vs actual (end)\n");
	wc_buf_free(&b);
}

/*
 * A difference deep in a long payload: the window shows the bytes around it,
 * and the dump's offset column gives the offsets in the payload, so the marked
 * line of byte 150 (0x96) is the line of 0x90.
 */
static void test_compare_window_offsets(void **state)
{
	char want[200], got[200], marked[128];
	wc_buf b;
	const char *t, *mark, *line;
	(void)state;

	for (int i = 0; i < 200; i++)
		want[i] = got[i] = (char)('a' + i % 26);
	got[150] = '#';
	t = compare(&b, want, 200, got, 200);
	assert_has(t, "first difference at byte 150: expected 117 (0x75) 'u' vs actual 35 (0x23) '#'");
	assert_has(t, "  expected (bytes 112..176 of 200):\n");
	mark = strstr(t, "[23]");
	assert_non_null(mark);
	for (line = mark; line > t && line[-1] != '\n'; line--)
		;
	snprintf(marked, sizeof(marked), "%.*s", (int)strcspn(line, "\n"), line);
	wc_buf_free(&b);
	if (strncmp(marked, "    0090 ", 9))
		fail_msg("the line marking byte 150 should start at offset 0090:\n%s", marked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_difference),
		cmocka_unit_test(test_compare_equal),
		cmocka_unit_test(test_compare_differ),
		cmocka_unit_test(test_compare_at_ends),
		cmocka_unit_test(test_compare_prefix),
		cmocka_unit_test(test_compare_empty),
		cmocka_unit_test(test_compare_window_offsets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
