/* fuzz_http.c - libFuzzer target: HTTP request and response heads, target paths, IMF-fixdates */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../lib/http.h"
#include "fuzz.h"

/* A view [p, p + n) lies inside [buf, buf + len). */
static int inside(const char *p, size_t n, const char *buf, size_t len)
{
	if (n == 0 && (p == NULL || (p >= buf && p <= buf + len)))
		return 1;
	return p >= buf && n <= len && p - buf <= (ptrdiff_t)(len - n);
}

/* The head's views lie inside the first rc bytes, its counts within bounds, and
 * each proper prefix is INCOMPLETE (a few of them: every one would be slow). */
static void check_head(int request, const char *buf, size_t len)
{
	wc_http_head h, p;
	char err[128];
	int rc, prc;

	err[0] = 0;
	rc = request ? wc_http_parse_request(buf, len, 0, &h, err, sizeof(err))
		     : wc_http_parse_response(buf, len, 0, &h, err, sizeof(err));
	FUZZ_CHECK(rc == WC_HTTP_BAD || rc == WC_HTTP_INCOMPLETE || (rc > 0 && (size_t)rc <= len));
	FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
	if (rc == WC_HTTP_BAD)
		FUZZ_CHECK(err[0] != 0);
	if (rc <= 0)
		return;
	FUZZ_CHECK(h.nheaders <= WC_HTTP_MAX_HEADERS);
	FUZZ_CHECK(h.major >= 0 && h.major <= 9 && h.minor >= 0 && h.minor <= 9);
	FUZZ_CHECK(!h.bare_lf || (h.first_bare_lf < (size_t)rc && buf[h.first_bare_lf] == '\n'));
	FUZZ_CHECK(buf[rc - 1] == '\n');
	if (request) {
		FUZZ_CHECK(h.method_len > 0 && inside(h.method, h.method_len, buf, (size_t)rc));
		FUZZ_CHECK(h.target_len > 0 && inside(h.target, h.target_len, buf, (size_t)rc));
		FUZZ_CHECK(wc_http_is_token(h.method, h.method_len));
		fuzz_touch(h.method, h.method_len);
		fuzz_touch(h.target, h.target_len);
	} else {
		FUZZ_CHECK(h.status >= 0 && h.status <= 999);
		FUZZ_CHECK(inside(h.reason, h.reason_len, buf, (size_t)rc));
		fuzz_touch(h.reason, h.reason_len);
	}
	for (size_t i = 0; i < h.nheaders; i++) {
		const wc_http_header *f = &h.headers[i];
		uint64_t cl;

		FUZZ_CHECK(f->name_len > 0 && inside(f->name, f->name_len, buf, (size_t)rc));
		FUZZ_CHECK(inside(f->value, f->value_len, buf, (size_t)rc));
		FUZZ_CHECK(wc_http_is_token(f->name, f->name_len));
		FUZZ_CHECK(f->value_len == 0 || (f->value[0] != ' ' && f->value[f->value_len - 1] != ' '));
		fuzz_touch(f->name, f->name_len);
		fuzz_touch(f->value, f->value_len);
		if (wc_http_content_length(f->value, f->value_len, &cl) == 0)
			FUZZ_CHECK(cl <= (uint64_t)INT64_MAX);
		fuzz_sink ^= (uint8_t)wc_http_has_token(f->value, f->value_len, "close");
	}
	/* the same head with the bytes after it cut off; and a few proper prefixes */
	prc = request ? wc_http_parse_request(buf, (size_t)rc, 0, &p, NULL, 0)
		      : wc_http_parse_response(buf, (size_t)rc, 0, &p, NULL, 0);
	FUZZ_CHECK(prc == rc && p.nheaders == h.nheaders);
	for (size_t cut = 0; cut < (size_t)rc; cut += 1 + (size_t)rc / 8) {
		prc = request ? wc_http_parse_request(buf, cut, 0, &p, NULL, 0)
			      : wc_http_parse_response(buf, cut, 0, &p, NULL, 0);
		FUZZ_CHECK(prc == WC_HTTP_INCOMPLETE);
	}
}

static void check_path(const char *buf, size_t len)
{
	char out[512];
	int n = wc_http_target_path(buf, len, out, sizeof(out));

	FUZZ_CHECK(n >= -1 && n < (int)sizeof(out));
	if (n < 0)
		return;
	FUZZ_CHECK(strlen(out) == (size_t)n);
	/* no way up, no empty or dot segment, no leading or trailing '/' */
	FUZZ_CHECK(n == 0 || (out[0] != '/' && out[n - 1] != '/'));
	FUZZ_CHECK(strstr(out, "//") == NULL);
	for (char *s = out; *s;) {
		char *e = strchr(s, '/');
		size_t sl = e ? (size_t)(e - s) : strlen(s);
		FUZZ_CHECK(!(sl == 1 && s[0] == '.') && !(sl == 2 && s[0] == '.' && s[1] == '.'));
		s += sl + (e != NULL);
	}
	fuzz_sink ^= (uint8_t)wc_http_media_type(out)[0];
}

static void check_date(const char *buf, size_t len)
{
	char back[30];
	time_t t = 1;

	if (wc_http_parse_date(buf, len, &t) < 0) {
		FUZZ_CHECK(t == 0);
		return;
	}
	/* what parses formats back to the same bytes */
	FUZZ_CHECK(len == 29);
	wc_http_date(t, back);
	FUZZ_CHECK(memcmp(back, buf, 29) == 0 && back[29] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf;
	char *copy;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	/* a copy of exactly len bytes, so ASan sees any read past them */
	copy = malloc(len ? len : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, len);
	buf = copy;
	switch (data[0] % 4) {
	case 0: check_head(1, buf, len); break;
	case 1: check_head(0, buf, len); break;
	case 2: check_path(buf, len); break;
	default: check_date(buf, len); break;
	}
	free(copy);
	return 0;
}
