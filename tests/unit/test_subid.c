/* test_subid.c - the user's range found in the text of /etc/subuid (or /etc/subgid): by name or by uid, never one holding the user's own id or 0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sandbox/subid.h"

/* find in text for 'ann', uid 1000 (her own id 1000): the range, or 0 0 */
static void find(const char *text, unsigned long want_start, unsigned long want_count)
{
	unsigned long start = 0, count = 0;
	int got = wc_subid_find(text, "ann", 1000, 1000, &start, &count);

	assert_int_equal(got, want_count != 0);
	assert_int_equal(start, want_start);
	assert_int_equal(count, want_count);
}

static void test_by_name(void **state)
{
	(void)state;
	find("bob:100000:65536\nann:165536:65536\n", 165536, 65536);
	/* the first of hers; no newline at the end */
	find("ann:200000:1000\nann:300000:65536", 200000, 1000);
	/* a name that only begins like hers, or holds it */
	find("anna:100000:65536\nan:100000:65536\nxann:1:5\n", 0, 0);
}

static void test_by_uid(void **state)
{
	(void)state;
	/* shadow's tools take a uid for the owner too */
	find("1000:400000:65536\n", 400000, 65536);
	find("1001:400000:65536\n10000:1:2\n", 0, 0);
}

static void test_refused(void **state)
{
	(void)state;
	/* her own id inside the range: mapped twice, and the programs could be her */
	find("ann:900:200\nann:500000:10\n", 500000, 10);
	find("ann:1000:1\n", 0, 0);
	/* uid 0: root outside */
	find("ann:0:65536\n", 0, 0);
	/* no ids */
	find("ann:100000:0\n", 0, 0);
}

static void test_bounds(void **state)
{
	(void)state;
	/* the last id of a range is at most 4294967294: 4294967000 + 295 - 1 */
	find("ann:4294967000:295\n", 4294967000UL, 295);
	find("ann:4294967000:296\n", 0, 0);
	find("ann:99999999999:1\n", 0, 0);
}

static void test_malformed(void **state)
{
	(void)state;
	/* comments, blanks, missing fields, signs, spaces, extra fields: skipped */
	find("# ann:100000:65536\n\nann\nann:100000\nann:-5:10\nann: 100000:65536\nann:100000:65536:x\n"
	     "ann:100000:+65536\n:100000:65536\nann:200000:16\n",
	     200000, 16);
	find("", 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name), cmocka_unit_test(test_by_uid),    cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bounds),  cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
