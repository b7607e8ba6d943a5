/* fuzz_manifest.c - libFuzzer target: wc_manifest_load on the input as DIR/wirecheck.manifest */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/manifest.h"
#include "fuzz.h"

/* A folder of its own under $TMPDIR (or /tmp), removed at exit. */
static char dir[512];
static char file[600];

static void cleanup(void)
{
	unlink(file);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/wc-fuzz-manifest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_manifest: mkdtemp");
		abort();
	}
	snprintf(file, sizeof(file), "%s/%s", dir, WC_MANIFEST_FILE);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	wc_manifest m;
	FILE *f = fopen(file, "wb");
	int rc;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz_manifest: writing the manifest");
		abort();
	}
	err[0] = 0;
	rc = wc_manifest_load(dir, &m, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(memchr(m.name, 0, sizeof(m.name)) != NULL);
	if (rc < 0)
		FUZZ_CHECK(m.name[0] == 0 && err[0] && memchr(err, 0, sizeof(err)));
	else
		fuzz_touch(m.name, strlen(m.name));
	return 0;
}
