/* fuzz_pcap.c - libFuzzer target: a capture file read by wc_trace_load (libpcap), then reassembled */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "judge/decode.h"
#include "judge/stream.h"
#include "fuzz.h"

/* The input becomes the contents of a memory file that libpcap opens by name:
 * a file path as in the harness, nothing left on disk. */
static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	memfd = memfd_create("fuzz.pcap", 0);
	if (memfd < 0) {
		perror("fuzz_pcap: memfd_create");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	return 0;
}

static void write_all(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (ftruncate(memfd, 0) < 0)
		abort();
	while (done < size) {
		ssize_t w = pwrite(memfd, data + done, size - done, (off_t)done);
		if (w <= 0)
			abort();
		done += (size_t)w;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	wc_trace t;
	wc_conn *cs;
	size_t nc;

	write_all(data, size);
	err[0] = 0;
	if (wc_trace_load(path, &t, err, sizeof(err)) < 0) {
		FUZZ_CHECK(t.pkts == NULL && t.n == 0 && err[0]);
		return 0;
	}
	FUZZ_CHECK(t.n == t.nblobs && t.n + t.undecoded == t.frames);
	for (size_t i = 0; i < t.n; i++) {
		FUZZ_CHECK(t.pkts[i].frame >= 1 && t.pkts[i].frame <= t.frames);
		if (t.pkts[i].len)
			fuzz_touch(t.pkts[i].payload, t.pkts[i].len);
	}
	if (wc_tcp_reassemble(&t, &cs, &nc) == 0)
		fuzz_touch_conns(cs, nc);
	wc_trace_free(&t);
	return 0;
}
