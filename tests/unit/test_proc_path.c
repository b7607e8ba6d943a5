/* test_proc_path.c - the PATH a program under test gets: the caller's, with /usr/sbin and /sbin */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sandbox/proc.h"

static void expect_path(const char *caller, const char *want)
{
	char out[256];

	assert_int_equal(wc_proc_path(caller, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_caller_kept_sbin_added(void **state)
{
	(void)state;
	expect_path("/opt/x/bin:/usr/bin:/bin", "PATH=/opt/x/bin:/usr/bin:/bin:/usr/sbin:/sbin");
}

static void test_sbin_kept_where_it_is(void **state)
{
	(void)state;
	expect_path("/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin", "PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin");
}

static void test_no_caller_path(void **state)
{
	(void)state;
	expect_path(NULL, "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	expect_path("", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
}

static void test_relative_and_repeated_left_out(void **state)
{
	(void)state;
	expect_path(".:/usr/bin::bin:/usr/bin:/sbin:", "PATH=/usr/bin:/sbin:/usr/sbin");
}

static void test_too_long(void **state)
{
	char out[24];

	(void)state;
	assert_int_equal(wc_proc_path("/a-very-long-folder-name/bin:/usr/bin", out, sizeof(out)), -1);
	assert_true(strlen(out) < sizeof(out));
	assert_int_equal(strncmp(out, "PATH=", 5), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caller_kept_sbin_added),
		cmocka_unit_test(test_sbin_kept_where_it_is),
		cmocka_unit_test(test_no_caller_path),
		cmocka_unit_test(test_relative_and_repeated_left_out),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
