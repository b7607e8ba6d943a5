/* fuzz_judge.c - libFuzzer target: the checks on bytes a program under test sent:
 * DNS replies and queries (field tables), printed hex, HTTP responses */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "judge/judge_dns.h"
#include "judge/judge_http.h"
#include "fuzz.h"

/* The LABS.md 5 example: what a reply is compared with. */
static const uint8_t want[] = {0x1a, 0x2b, 0x84, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x06, 0x67,
			       0x6f, 0x6f, 0x67, 0x6c, 0x65, 0x03, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x01, 0x00, 0x01,
			       0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04, 0xc0, 0xa5,
			       0x01, 0x01, 0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x04, 0x00, 0x04,
			       0xc0, 0xa5, 0x01, 0x0a};

/* A verdict: 0 with nothing said, or -1 with a one-line summary and a NUL-terminated detail. */
static void verdict_ok(int rc, const char *summary, size_t slen, wc_buf *detail)
{
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(memchr(summary, 0, slen) != NULL);
	if (rc < 0)
		FUZZ_CHECK(summary[0] != 0);
	FUZZ_CHECK(!wc_buf_failed(detail) || detail->dropped);
	fuzz_touch(wc_buf_cstr(detail), detail->len);
	wc_buf_free(detail);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char summary[1000];
	wc_buf detail;
	size_t used;

	if (size < 1)
		return 0;
	wc_buf_init(&detail, 1 << 20);
	switch (data[0] % 5) {
	case 0:
		verdict_ok(wc_judge_dns(want, sizeof(want), data + 1, size - 1, &detail, summary, sizeof(summary)),
			   summary, sizeof(summary), &detail);
		break;
	case 1:
		verdict_ok(wc_judge_dns_query(data + 1, size - 1, "google.com", data[0] & 8, &detail, summary,
					      sizeof(summary)),
			   summary, sizeof(summary), &detail);
		break;
	case 2:
		/* the query half, the reply the rest */
		verdict_ok(wc_judge_dns_lab(data + 1, (size - 1) / 2, data + 1 + (size - 1) / 2, size - 1 - (size - 1) / 2,
					    &detail, summary, sizeof(summary)),
			   summary, sizeof(summary), &detail);
		break;
	case 3: {
		wc_printed blk[32];
		int n = wc_printed_parse(data + 1, size - 1, &detail, blk, 32);
		FUZZ_CHECK(n >= 0 && n <= 32);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(blk[i].off <= detail.len && blk[i].len <= detail.len - blk[i].off);
			FUZZ_CHECK(blk[i].line >= 1);
		}
		wc_buf_free(&detail);
		break;
	}
	default: {
		static const int ok[] = {200, 404};
		wc_http_want w;
		memset(&w, 0, sizeof(w));
		w.statuses = ok;
		w.nstatuses = data[0] & 8 ? 2 : 0;
		w.head = data[0] & 16;
		w.conn = data[0] & 32;
		w.headers = data[0] & 64;
		if (data[0] & 128) {
			w.file = "index.html";
			w.body = (const uint8_t *)"<html>hi</html>\n";
			w.body_len = 16;
		}
		w.mtime = 1704164645;
		w.wire_us = 1700000000LL * 1000000;
		w.canary = "SECRET";
		verdict_ok(wc_judge_http(&w, data + 1, size - 1, data[0] & 4, &used, &detail, summary, sizeof(summary)),
			   summary, sizeof(summary), &detail);
		FUZZ_CHECK(used <= size - 1);
		break;
	}
	}
	return 0;
}
