/* tmpdir.h - a fresh folder per test, files written into it, and its removal */
#ifndef WC_TEST_TMPDIR_H
#define WC_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

#include "sandbox/sandbox.h"

static char dir[64];

/* Writes text to the file name in dir; fails the test when it cannot (a test
 * may have no file to write). */
static void put(const char *name, const char *text) __attribute__((unused));
static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A test's setup: dir is a new folder named /tmp/wc-TMPDIR_NAME-XXXXXX. */
static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/wc-%s-XXXXXX", TMPDIR_NAME);
	return mkdtemp(dir) ? 0 : -1;
}

/* A test's teardown: dir and all it holds removed. */
static int teardown(void **state)
{
	(void)state;
	return wc_remove_tree(dir);
}

#endif
