/* fuzz_srvtx.c - libFuzzer target: wc_transcript_load_server on the input as a reference server's transcript file, then the pcap made of it */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/transcript.h"
#include "fuzz.h"

/*
 * The file is written by a reference server that runs beside the code under
 * test (lib/srvtx.h), so its bytes are not ours: whatever they are, the
 * reader ends with 0 or with -1 and words, and what it kept makes a pcap.
 */
static char dir[512];
static char file[600];
static char pcap[600];

static void cleanup(void)
{
	unlink(file);
	unlink(pcap);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/wc-fuzz-srvtx.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_srvtx: mkdtemp");
		abort();
	}
	snprintf(file, sizeof(file), "%s/tx", dir);
	snprintf(pcap, sizeof(pcap), "%s/tx.pcap", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	wc_transcript t;
	wc_capture_stats st;
	FILE *f = fopen(file, "wb");
	int rc;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror("fuzz_srvtx: writing the transcript");
		abort();
	}
	err[0] = 0;
	wc_transcript_init(&t);
	rc = wc_transcript_load_server(&t, file, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
	if (rc < 0)
		FUZZ_CHECK(err[0] != 0);
	/* what was kept, good or cut short, makes a pcap */
	memset(&st, 0, sizeof(st));
	err[0] = 0;
	if (wc_transcript_write_pcap(&t, pcap, &st, err, sizeof(err)) < 0)
		FUZZ_CHECK(err[0] != 0);
	wc_transcript_free(&t);
	return 0;
}
