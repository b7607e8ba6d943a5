/* test_cursor.c - wc_cur fetches at exact boundaries and one past, and wc_buf growth, cap and take */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "guard.h"

/* 01 02 03 04 05 06 07 08 : eight bytes, read in every width */
static const uint8_t eight[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

/* A cursor over a guarded copy of eight[], so a fetch past the end faults. */
static const uint8_t *guarded(wc_cur *c)
{
	const uint8_t *p = guard_copy(eight, sizeof(eight));
	wc_cur_init(c, p, sizeof(eight));
	return p;
}

/* A failed fetch: -1, sticky err, offset unchanged. */
static void assert_short(const wc_cur *c, int rc, size_t off)
{
	assert_int_equal(rc, -1);
	assert_int_equal(c->err, 1);
	assert_int_equal(c->off, off);
}

static void test_init_and_left(void **state)
{
	wc_cur c;
	(void)state;

	wc_cur_init(&c, eight, sizeof(eight));
	assert_ptr_equal(c.p, eight);
	assert_int_equal(wc_cur_left(&c), 8);
	assert_int_equal(c.off, 0);
	assert_int_equal(c.err, 0);
	/* a NULL buffer has no bytes, whatever len says */
	wc_cur_init(&c, NULL, 100);
	assert_int_equal(wc_cur_left(&c), 0);
}

static void test_u8(void **state)
{
	wc_cur c;
	const uint8_t *p = guarded(&c);
	uint8_t v;
	(void)state;

	for (int i = 0; i < 8; i++) {
		assert_int_equal(wc_cur_u8(&c, &v), 0);
		assert_int_equal(v, i + 1);
	}
	assert_int_equal(wc_cur_left(&c), 0);
	assert_int_equal(c.err, 0);
	v = 0xaa;
	assert_short(&c, wc_cur_u8(&c, &v), 8);
	assert_int_equal(v, 0);
	guard_free(p, 8);
}

static void test_be16_le16(void **state)
{
	wc_cur c;
	const uint8_t *p = guarded(&c);
	uint16_t v;
	(void)state;

	assert_int_equal(wc_cur_be16(&c, &v), 0);
	assert_int_equal(v, 0x0102);
	assert_int_equal(wc_cur_le16(&c, &v), 0);
	assert_int_equal(v, 0x0403);
	assert_int_equal(wc_cur_skip(&c, 3), 0);
	/* one byte left: both widths fail and leave it */
	v = 0xaaaa;
	assert_short(&c, wc_cur_be16(&c, &v), 7);
	assert_int_equal(v, 0);
	v = 0xaaaa;
	assert_short(&c, wc_cur_le16(&c, &v), 7);
	assert_int_equal(v, 0);
	/* the last byte is still there to read */
	c.err = 0;
	wc_cur_seek(&c, 6);
	assert_int_equal(wc_cur_be16(&c, &v), 0);
	assert_int_equal(v, 0x0708);
	assert_int_equal(c.err, 0);
	guard_free(p, 8);
}

static void test_be32_le32(void **state)
{
	wc_cur c;
	const uint8_t *p = guarded(&c);
	uint32_t v;
	(void)state;

	assert_int_equal(wc_cur_be32(&c, &v), 0);
	assert_int_equal(v, 0x01020304);
	assert_int_equal(wc_cur_le32(&c, &v), 0);
	assert_int_equal(v, 0x08070605);
	assert_int_equal(wc_cur_left(&c), 0);
	/* exactly 4 left reads; 3 left fails */
	wc_cur_seek(&c, 5);
	v = 0xaaaaaaaa;
	assert_short(&c, wc_cur_be32(&c, &v), 5);
	assert_int_equal(v, 0);
	v = 0xaaaaaaaa;
	assert_short(&c, wc_cur_le32(&c, &v), 5);
	assert_int_equal(v, 0);
	/* high bit set: no sign extension */
	{
		static const uint8_t ff[4] = {0xff, 0xfe, 0xfd, 0xfc};
		wc_cur_init(&c, ff, 4);
		assert_int_equal(wc_cur_be32(&c, &v), 0);
		assert_int_equal(v, 0xfffefdfcu);
		wc_cur_init(&c, ff, 4);
		assert_int_equal(wc_cur_le32(&c, &v), 0);
		assert_int_equal(v, 0xfcfdfeffu);
	}
	guard_free(p, 8);
}

static void test_bytes(void **state)
{
	wc_cur c;
	const uint8_t *p = guarded(&c), *b;
	(void)state;

	assert_int_equal(wc_cur_bytes(&c, 0, &b), 0);
	assert_ptr_equal(b, p);
	assert_int_equal(wc_cur_bytes(&c, 3, &b), 0);
	assert_ptr_equal(b, p); /* a view, not a copy */
	assert_int_equal(c.off, 3);
	/* 5 left: 6 fails, 5 succeeds, then 0 still succeeds at the very end */
	b = p;
	assert_short(&c, wc_cur_bytes(&c, 6, &b), 3);
	assert_null(b);
	c.err = 0;
	assert_int_equal(wc_cur_bytes(&c, 5, &b), 0);
	assert_ptr_equal(b, p + 3);
	assert_int_equal(wc_cur_bytes(&c, 0, &b), 0);
	assert_ptr_equal(b, p + 8);
	assert_short(&c, wc_cur_bytes(&c, 1, &b), 8);
	/* a huge n does not wrap around */
	assert_short(&c, wc_cur_bytes(&c, SIZE_MAX, &b), 8);
	guard_free(p, 8);
}

static void test_skip_seek(void **state)
{
	wc_cur c;
	const uint8_t *p = guarded(&c);
	uint8_t v;
	(void)state;

	assert_int_equal(wc_cur_skip(&c, 8), 0);
	assert_int_equal(wc_cur_left(&c), 0);
	assert_short(&c, wc_cur_skip(&c, 1), 8);
	c.err = 0;
	/* seek: 0..len inclusive, len+1 fails and stays */
	assert_int_equal(wc_cur_seek(&c, 0), 0);
	assert_int_equal(c.off, 0);
	assert_int_equal(wc_cur_seek(&c, 8), 0);
	assert_int_equal(c.off, 8);
	assert_int_equal(wc_cur_seek(&c, 2), 0);
	assert_short(&c, wc_cur_seek(&c, 9), 2);
	assert_short(&c, wc_cur_seek(&c, SIZE_MAX), 2);
	assert_int_equal(wc_cur_u8(&c, &v), 0);
	assert_int_equal(v, 3);
	assert_short(&c, wc_cur_skip(&c, 6), 3);
	guard_free(p, 8);
}

static void test_sub(void **state)
{
	wc_cur c, sub;
	const uint8_t *p = guarded(&c);
	uint16_t v;
	(void)state;

	wc_cur_skip(&c, 2);
	assert_int_equal(wc_cur_sub(&c, 6, &sub), 0);
	assert_int_equal(c.off, 8);
	assert_ptr_equal(sub.p, p + 2);
	assert_int_equal(sub.len, 6);
	assert_int_equal(sub.off, 0);
	/* the sub-cursor ends where it was cut, not where the parent ends */
	wc_cur_skip(&sub, 4);
	assert_int_equal(wc_cur_be16(&sub, &v), 0);
	assert_int_equal(v, 0x0708);
	assert_short(&sub, wc_cur_be16(&sub, &v), 6);
	assert_int_equal(c.err, 0); /* the parent is not touched */

	/* one past: the parent stays, the sub-cursor is empty */
	wc_cur_seek(&c, 3);
	sub.len = 99;
	assert_short(&c, wc_cur_sub(&c, 6, &sub), 3);
	assert_int_equal(sub.len, 0);
	assert_int_equal(wc_cur_left(&sub), 0);
	assert_int_equal(sub.err, 0);
	guard_free(p, 8);
}

static void test_sticky_err(void **state)
{
	wc_cur c;
	uint8_t a, b;
	uint16_t w;
	uint32_t d;
	(void)state;

	/* read many fields, test once: the error survives later good reads */
	wc_cur_init(&c, eight, 3);
	wc_cur_u8(&c, &a);
	wc_cur_be32(&c, &d);
	assert_int_equal(c.err, 1);
	assert_int_equal(wc_cur_u8(&c, &b), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(c.err, 1);
	assert_int_equal(wc_cur_be16(&c, &w), -1);
	assert_int_equal(w, 0);
	assert_int_equal(c.off, 2);
}

static void test_empty_input(void **state)
{
	const uint8_t *p = guard_copy("", 0), *b;
	wc_cur c;
	uint8_t v;
	(void)state;

	wc_cur_init(&c, p, 0);
	assert_int_equal(wc_cur_u8(&c, &v), -1);
	assert_int_equal(wc_cur_skip(&c, 0), 0);
	assert_int_equal(wc_cur_seek(&c, 0), 0);
	assert_int_equal(wc_cur_bytes(&c, 1, &b), -1);
	assert_int_equal(c.err, 1);
	guard_free(p, 0);
}

static void test_buf_grows(void **state)
{
	wc_buf b;
	(void)state;

	wc_buf_init(&b, 0);
	assert_string_equal(wc_buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++)
		wc_buf_u8(&b, (uint8_t)('a' + i % 26));
	assert_int_equal(b.len, 1000);
	assert_true(b.cap > b.len); /* room for the NUL */
	assert_int_equal(b.p[1000], 0);
	assert_int_equal(b.p[999], 'a' + 999 % 26);
	assert_false(wc_buf_failed(&b));
	wc_buf_reset(&b);
	wc_buf_be16(&b, 0x0102);
	wc_buf_be32(&b, 0x03040506);
	wc_buf_str(&b, "xy");
	wc_buf_put(&b, "z", 1);
	wc_buf_put(&b, NULL, 0);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.p, "\x01\x02\x03\x04\x05\x06xyz", 9);
	wc_buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
}

static void test_buf_max(void **state)
{
	wc_buf b;
	(void)state;

	wc_buf_init(&b, 10);
	wc_buf_str(&b, "0123456789");
	assert_int_equal(b.len, 10);
	assert_false(wc_buf_failed(&b)); /* exactly max is fine */
	wc_buf_u8(&b, 'x');
	assert_int_equal(b.len, 10);
	assert_int_equal(b.dropped, 1);
	assert_true(wc_buf_failed(&b));
	wc_buf_reset(&b);
	assert_false(wc_buf_failed(&b));
	/* a write that straddles max keeps what fits and counts the rest */
	wc_buf_str(&b, "abcdefgh");
	wc_buf_str(&b, "ijklmn");
	assert_int_equal(b.len, 10);
	assert_int_equal(b.dropped, 4);
	assert_string_equal(wc_buf_cstr(&b), "abcdefghij");
	wc_buf_printf(&b, "%d", 12345);
	assert_int_equal(b.dropped, 9);
	assert_true(wc_buf_failed(&b));
	wc_buf_free(&b);
	assert_int_equal(b.max, 10); /* free keeps the cap for reuse */
}

static void test_buf_printf_long(void **state)
{
	char want[1001];
	wc_buf b;
	(void)state;

	memset(want, 'q', 1000);
	want[1000] = 0;
	wc_buf_init(&b, 0);
	wc_buf_printf(&b, "<%s>", want);
	assert_int_equal(b.len, 1002);
	assert_int_equal(b.p[0], '<');
	assert_memory_equal(b.p + 1, want, 1000);
	assert_int_equal(b.p[1001], '>');
	/* exactly 255 and 256 characters: either side of the small buffer */
	wc_buf_reset(&b);
	wc_buf_printf(&b, "%.255s", want);
	assert_int_equal(b.len, 255);
	wc_buf_printf(&b, "%.256s", want);
	assert_int_equal(b.len, 511);
	assert_int_equal(strlen(wc_buf_cstr(&b)), 511);
	wc_buf_free(&b);

	/* a long string into a capped buffer is cut and counted */
	wc_buf_init(&b, 300);
	wc_buf_printf(&b, "%s", want);
	assert_int_equal(b.len, 300);
	assert_int_equal(b.dropped, 700);
	wc_buf_free(&b);
}

static void test_buf_take(void **state)
{
	wc_buf b;
	uint8_t *p;
	size_t len = 99;
	(void)state;

	wc_buf_init(&b, 0);
	assert_null(wc_buf_take(&b, &len)); /* never written: empty */
	assert_int_equal(len, 0);
	wc_buf_str(&b, "hello");
	p = wc_buf_take(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 5);
	assert_memory_equal(p, "hello", 6); /* NUL-terminated too */
	free(p);
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* the buffer is usable again after a take */
	wc_buf_str(&b, "again");
	assert_string_equal(wc_buf_cstr(&b), "again");
	wc_buf_free(&b);
}

/* The contract says NULL when failed; a write past max is a failure. */
static void test_buf_take_failed(void **state)
{
	wc_buf b;
	uint8_t *p;
	size_t len = 99;
	(void)state;

	wc_buf_init(&b, 4);
	wc_buf_str(&b, "toolong");
	assert_true(wc_buf_failed(&b));
	p = wc_buf_take(&b, &len);
	free(p);
	wc_buf_free(&b);
	assert_null(p);
	assert_int_equal(len, 0);
}

/* After a reset the contents are empty: the C string and a take say so. */
static void test_buf_reset_empties(void **state)
{
	char s[16];
	wc_buf b;
	uint8_t *p;
	size_t len = 99;
	(void)state;

	wc_buf_init(&b, 0);
	wc_buf_str(&b, "hello");
	wc_buf_reset(&b);
	assert_int_equal(b.len, 0);
	snprintf(s, sizeof(s), "%s", wc_buf_cstr(&b));
	p = wc_buf_take(&b, &len);
	free(p);
	wc_buf_free(&b);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_left),
		cmocka_unit_test(test_u8),
		cmocka_unit_test(test_be16_le16),
		cmocka_unit_test(test_be32_le32),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_skip_seek),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_sticky_err),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_buf_grows),
		cmocka_unit_test(test_buf_max),
		cmocka_unit_test(test_buf_printf_long),
		cmocka_unit_test(test_buf_take),
		cmocka_unit_test(test_buf_take_failed),
		cmocka_unit_test(test_buf_reset_empties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
