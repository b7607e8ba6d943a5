/* fuzz.h - helpers shared by the libFuzzer targets: read every byte of a result, check its invariants */
#ifndef WC_FUZZ_H
#define WC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "judge/stream.h"

/* Folded into by every read, so the compiler keeps the reads. */
static volatile uint8_t fuzz_sink;

/* An invariant of the code under test does not hold: a finding, like a crash. */
#define FUZZ_CHECK(cond)                                                                          \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#endif

/*
 * Reads [p, p + n) as far as ASan can tell: every byte must be memory the
 * program may read. Under ASan its shadow is asked (one byte per 8, by the
 * runtime; a loop here costs an instrumented load and a coverage counter per
 * byte, 0.4 s for a 64 MiB stream and its map) and the first byte it refuses
 * is then read, so it is reported as any bad read. Without ASan, a loop.
 */
static inline void fuzz_touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t x = 0;

	if (!n)
		return;
#ifdef FUZZ_ASAN
	{
		const volatile uint8_t *bad = __asan_region_is_poisoned((void *)(uintptr_t)p, n);

		if (bad)
			x ^= *bad;
	}
	x ^= b[0] ^ b[n - 1];
#else
	for (size_t i = 0; i < n; i++)
		x ^= b[i];
#endif
	fuzz_sink ^= x;
}

/*
 * Reads every byte of a reassembled stream and of its map, checks each span
 * lies inside it and is found by wc_stream_frame_at, that 'gaps' agrees with
 * wc_stream_gaps_in (streams up to 1 MiB), then asks both at a few offsets
 * around the ends.
 */
static inline void fuzz_touch_stream(const wc_stream *s)
{
	size_t probes[8];

	FUZZ_CHECK(s->len <= s->cap);
	FUZZ_CHECK(s->len <= WC_STREAM_MAX);
	FUZZ_CHECK(s->gaps <= s->len);
	FUZZ_CHECK(s->nspans <= s->capspans);
	if (s->len) {
		fuzz_touch(s->data, s->len);
		fuzz_touch(s->have, (s->len + 7) / 8);
	}
	for (size_t i = 0; i < s->nspans; i++) {
		const wc_span *sp = &s->spans[i];
		FUZZ_CHECK(sp->len > 0);
		FUZZ_CHECK(sp->off <= s->len && sp->len <= s->len - sp->off);
		fuzz_touch(s->data + sp->off, 1);
		fuzz_touch(s->data + sp->off + sp->len - 1, 1);
		FUZZ_CHECK(wc_stream_frame_at(s, sp->off) != 0);
		FUZZ_CHECK(wc_stream_frame_at(s, sp->off + sp->len - 1) != 0);
	}
	/* 'gaps' is kept as segments arrive; a count of the map checks it. Up to 1 MiB:
	 * for a 64 MiB stream its million traced steps would double the run. */
	if (s->len <= (1u << 20))
		FUZZ_CHECK(wc_stream_gaps_in(s, 0, s->len) == s->gaps);
	probes[0] = 0;
	probes[1] = s->len / 3;
	probes[2] = s->len / 2;
	probes[3] = s->len ? s->len - 1 : 0;
	probes[4] = s->len;
	probes[5] = s->len + 1;
	probes[6] = s->fin_off;
	probes[7] = (size_t)-1;
	for (size_t i = 0; i < 8; i++) {
		static const size_t widths[4] = {0, 1, 7, 100};

		fuzz_sink ^= (uint8_t)wc_stream_frame_at(s, probes[i]);
		/* short windows only: the whole stream was counted above */
		for (size_t k = 0; k < 4; k++) {
			size_t from = probes[i], to = from + widths[k] < from ? (size_t)-1 : from + widths[k];
			FUZZ_CHECK(wc_stream_gaps_in(s, from, to) <= to - from);
		}
	}
}

/* Every connection, both directions; then frees them. */
static inline void fuzz_touch_conns(wc_conn *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fuzz_touch_stream(&cs[i].up);
		fuzz_touch_stream(&cs[i].down);
		FUZZ_CHECK(wc_conn_by_client_port(cs, n, cs[i].cport) != NULL);
	}
	wc_conns_free(cs, n);
}

#endif
