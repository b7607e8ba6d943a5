/* test_merge.c - wirecheck merge: shards' gradebooks (with the 'labs' column) joined, sorted by submission */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grade/grade.h"

#define HEADER "submission,student,udp-echo,http,total,max,failed,errors,labs,notes\n"

#define TMPDIR_NAME "merge"
#include "tmpdir.h"

/* merges files a and b; the output in out (n bytes), the return value */
static int merge2(const char *a, const char *b, char *out, size_t n, char *err, size_t errlen)
{
	char pa[256], pb[256];
	const char *files[2] = {pa, pb};
	FILE *f = fmemopen(out, n, "w");
	int rc;

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	assert_non_null(f);
	rc = wc_merge(files, 2, f, err, errlen);
	fclose(f);
	return rc;
}

static void test_labs_column_joined(void **state)
{
	char out[2048] = "", err[256] = "";

	(void)state;
	put("1.csv", HEADER "web,,0,40,40,40,0,0,http,udp-echo: nothing found\n");
	put("2.csv", HEADER "both,Bea Q,18,40,58,58,0,0,udp-echo http,\n"
			    "\"a,b\",,0,0,0,0,0,0,,\"udp-echo: nothing found; http: nothing found\"\n");
	assert_int_equal(merge2("1.csv", "2.csv", out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, HEADER "\"a,b\",,0,0,0,0,0,0,,\"udp-echo: nothing found; http: nothing found\"\n"
					"both,Bea Q,18,40,58,58,0,0,udp-echo http,\n"
					"web,,0,40,40,40,0,0,http,udp-echo: nothing found\n");
}

static void test_old_header_refused(void **state)
{
	char out[2048] = "", err[256] = "";

	(void)state;
	put("new.csv", HEADER "web,,0,40,40,40,0,0,http,\n");
	put("old.csv", "submission,student,udp-echo,http,total,max,failed,errors,notes\nx,,0,0,0,58,0,0,\n");
	assert_int_equal(merge2("new.csv", "old.csv", out, sizeof(out), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "its columns differ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_labs_column_joined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_header_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
