/* scenario.c - the scenario parser: line-oriented text to plain data, errors as file:line: */
#include "scenario/scenario.h"
#include "scenario/finding.h"

#include <errno.h>
#include <libgen.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "hexdump.h"

#define MAX_PAYLOAD (1u << 20) /* one payload, bytes */
#define MAX_STEPS 20000        /* after repeat blocks are unrolled */
#define MAX_DEPTH 4            /* nested repeat blocks */
#define MAX_FILE (4u << 20)    /* a scenario or payload file */
#define MAX_TOTAL (64u << 20)  /* all payloads of a scenario, repeat blocks unrolled */

typedef struct parser {
	const char *path;
	char dir[512];
	int line;
	char *err;
	size_t errlen;
	wc_scenario *sc;
	int have_lab, have_title, have_test, have_level, have_points;
	size_t total;          /* payload bytes so far, repeat blocks unrolled */
	int cap_steps;         /* room in sc->steps */
	struct {
		int start;   /* first step of the block */
		int count;   /* repetitions; 0 for an 'if' block */
		int if_ep;   /* 'if NAME kept-alive': NAME's index + 1 */
		int line;
	} rep[MAX_DEPTH];
	int depth;
} parser;

static int fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parser *ps, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->path, ps->line, msg);
	return -1;
}

static int peek(const wc_cur *c)
{
	return wc_cur_left(c) ? c->p[c->off] : -1;
}

static void skip_space(wc_cur *c)
{
	while (peek(c) == ' ' || peek(c) == '\t')
		c->off++;
}

/* The next word (non-blank run) as a view; *n 0 at end of line. */
static const char *word(wc_cur *c, size_t *n)
{
	const char *w;

	skip_space(c);
	w = (const char *)c->p + c->off;
	*n = 0;
	while (peek(c) != -1 && peek(c) != ' ' && peek(c) != '\t') {
		c->off++;
		(*n)++;
	}
	return w;
}

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* The rest of the line, trimmed, copied into out; -1 if it does not fit. */
static int rest(parser *ps, wc_cur *c, char *out, size_t outlen, const char *what)
{
	size_t n;

	skip_space(c);
	n = wc_cur_left(c);
	while (n && (c->p[c->off + n - 1] == ' ' || c->p[c->off + n - 1] == '\t'))
		n--;
	if (n == 0)
		return fail(ps, "'%s' needs a value", what);
	if (n >= outlen)
		return fail(ps, "'%s' is too long (%zu characters, at most %zu)", what, n, outlen - 1);
	memcpy(out, c->p + c->off, n);
	out[n] = 0;
	c->off = c->len;
	return 0;
}

static int parse_int(parser *ps, wc_cur *c, const char *what, long lo, long hi, long *out)
{
	size_t n;
	const char *w = word(c, &n);
	char tmp[32], *end;
	long v;

	if (n == 0)
		return fail(ps, "'%s' needs a number", what);
	if (n >= sizeof(tmp))
		return fail(ps, "'%s': number too long", what);
	memcpy(tmp, w, n);
	tmp[n] = 0;
	errno = 0;
	v = strtol(tmp, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return fail(ps, "'%s' must be a whole number from %ld to %ld, not '%s'", what, lo, hi, tmp);
	*out = v;
	return 0;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* A "..." string with C escapes, appended to out. */
static int quoted(parser *ps, wc_cur *c, wc_buf *out)
{
	c->off++; /* the opening quote */
	for (;;) {
		int ch = peek(c), h1, h2;
		if (ch == -1)
			return fail(ps, "unterminated string: a closing '\"' is missing");
		c->off++;
		if (ch == '"')
			return 0;
		if (ch != '\\') {
			wc_buf_u8(out, (uint8_t)ch);
			continue;
		}
		ch = peek(c);
		c->off++;
		switch (ch) {
		case 'n': wc_buf_u8(out, '\n'); break;
		case 'r': wc_buf_u8(out, '\r'); break;
		case 't': wc_buf_u8(out, '\t'); break;
		case '0': wc_buf_u8(out, 0); break;
		case '\\': wc_buf_u8(out, '\\'); break;
		case '"': wc_buf_u8(out, '"'); break;
		case 'x':
			h1 = hexval(peek(c));
			if (h1 >= 0)
				c->off++;
			h2 = hexval(peek(c));
			if (h1 < 0 || h2 < 0)
				return fail(ps, "'\\x' must be followed by two hex digits");
			c->off++;
			wc_buf_u8(out, (uint8_t)(h1 << 4 | h2));
			break;
		case -1:
			return fail(ps, "unterminated string: a closing '\"' is missing");
		default:
			return fail(ps, "unknown escape '\\%c' (use \\n \\r \\t \\0 \\\\ \\\" \\xHH)", ch);
		}
	}
}

/* x"68 65 6c" : hex pairs, blanks allowed between pairs. */
static int hexstring(parser *ps, wc_cur *c, wc_buf *out)
{
	c->off += 2; /* x" */
	for (;;) {
		int ch = peek(c), lo;
		if (ch == -1)
			return fail(ps, "unterminated hex string: a closing '\"' is missing");
		c->off++;
		if (ch == '"')
			return 0;
		if (ch == ' ' || ch == '\t')
			continue;
		lo = hexval(peek(c));
		if (hexval(ch) < 0 || lo < 0)
			return fail(ps, "hex string: '%c' is not a pair of hex digits", ch);
		c->off++;
		wc_buf_u8(out, (uint8_t)(hexval(ch) << 4 | lo));
	}
}

static int read_file(const char *path, wc_buf *out, char *why, size_t whylen)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (!f) {
		snprintf(why, whylen, "%s", strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wc_buf_put(out, chunk, n);
	if (ferror(f)) {
		snprintf(why, whylen, "%s", strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* A .hex payload file: pairs of hex digits, blanks and line ends between
 * pairs, '#' to the end of the line a comment. Appends its bytes to out. */
static int hexfile(parser *ps, const char *path, const wc_buf *text, wc_buf *out)
{
	int line = 1;

	for (size_t i = 0; i < text->len; i++) {
		int ch = text->p[i], lo;
		if (ch == '#') {
			while (i + 1 < text->len && text->p[i + 1] != '\n')
				i++;
			continue;
		}
		if (ch == '\n')
			line++;
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
			continue;
		lo = i + 1 < text->len ? hexval(text->p[i + 1]) : -1;
		if (hexval(ch) < 0 || lo < 0)
			return fail(ps, "%s:%d: '%c' does not start a pair of hex digits", path, line,
				    ch >= 0x20 && ch < 0x7f ? ch : '?');
		wc_buf_u8(out, (uint8_t)(hexval(ch) << 4 | lo));
		i++;
	}
	return 0;
}

/* @name : a file beside the scenario; NAME.hex holds hex text (hexfile). */
static int atfile(parser *ps, wc_cur *c, wc_buf *out)
{
	size_t n;
	const char *w;
	char name[256], full[1024], why[256];
	wc_buf tmp;

	c->off++;
	w = word(c, &n);
	if (n == 0 || n >= sizeof(name))
		return fail(ps, "'@' must be followed by a file name");
	memcpy(name, w, n);
	name[n] = 0;
	if (name[0] == '/' || strstr(name, ".."))
		return fail(ps, "payload file '%s' must be a plain name beside the scenario", name);
	snprintf(full, sizeof(full), "%s/%s", ps->dir, name);
	wc_buf_init(&tmp, MAX_PAYLOAD);
	if (read_file(full, &tmp, why, sizeof(why)) < 0) {
		wc_buf_free(&tmp);
		return fail(ps, "cannot read payload file '%s': %s", full, why);
	}
	if (wc_buf_failed(&tmp)) {
		wc_buf_free(&tmp);
		return fail(ps, "payload file '%s' is larger than %u bytes", full, MAX_PAYLOAD);
	}
	if (n > 4 && !strcmp(name + n - 4, ".hex")) {
		int rc = hexfile(ps, full, &tmp, out);
		wc_buf_free(&tmp);
		return rc;
	}
	wc_buf_put(out, tmp.p, tmp.len);
	wc_buf_free(&tmp);
	return 0;
}

/* Step options that may follow a payload. */
static const char *const options[] = {"segments", "bytewise", "rd", NULL};

static int is_option(const wc_cur *c)
{
	for (int i = 0; options[i]; i++) {
		size_t n = strlen(options[i]);
		if (wc_cur_left(c) >= n && !memcmp(c->p + c->off, options[i], n) &&
		    (wc_cur_left(c) == n || c->p[c->off + n] == ' ' || c->p[c->off + n] == '\t'))
			return 1;
	}
	return 0;
}

/*
 * PAYLOAD := PART { PART } [# comment]
 * PART    := "text" [* N] | x"hex" [* N] | @file
 */
static int payload(parser *ps, wc_cur *c, wc_step *st)
{
	wc_buf out;
	size_t start = c->off;
	int parts = 0;

	wc_buf_init(&out, MAX_PAYLOAD);
	for (;;) {
		size_t part_start = out.len;
		int ch, rc;

		skip_space(c);
		ch = peek(c);
		if (ch == -1 || ch == '#')
			break;
		if (ch == '"')
			rc = quoted(ps, c, &out);
		else if (ch == 'x' && c->off + 1 < c->len && c->p[c->off + 1] == '"')
			rc = hexstring(ps, c, &out);
		else if (ch == '@')
			rc = atfile(ps, c, &out);
		else if (wc_cur_left(c) >= 5 && !memcmp(c->p + c->off, "$name", 5)) {
			c->off += 5;
			if (st->nnames >= WC_MAX_NAMES) {
				fail(ps, "at most %d $name parts in one payload", WC_MAX_NAMES);
				goto fail;
			}
			st->name_at[st->nnames++] = out.len;
			rc = 0;
		} else if (is_option(c))
			break;
		else
			rc = fail(ps, "expected a payload (\"text\", x\"hex\", @file or $name), not '%.*s'",
				  (int)(wc_cur_left(c) > 20 ? 20 : wc_cur_left(c)), (const char *)c->p + c->off);
		if (rc < 0)
			goto fail;
		parts++;
		skip_space(c);
		if (peek(c) == '*' && ch != '@' && ch != '$') {
			long times;
			size_t plen = out.len - part_start;
			c->off++;
			if (parse_int(ps, c, "*", 1, MAX_PAYLOAD, &times) < 0)
				goto fail;
			if (plen && (size_t)times > MAX_PAYLOAD / plen) {
				fail(ps, "payload larger than %u bytes", MAX_PAYLOAD);
				goto fail;
			}
			if (plen) {
				/* out.p moves as it grows: repeat from a copy */
				uint8_t *part = malloc(plen);
				if (!part) {
					fail(ps, "out of memory");
					goto fail;
				}
				memcpy(part, out.p + part_start, plen);
				for (long i = 1; i < times; i++)
					wc_buf_put(&out, part, plen);
				free(part);
			}
		}
		if (wc_buf_failed(&out)) {
			fail(ps, "payload larger than %u bytes", MAX_PAYLOAD);
			goto fail;
		}
	}
	if (parts == 0) {
		fail(ps, "a payload is missing (\"text\", x\"hex\", @file or $name)");
		goto fail;
	}
	{
		size_t n = c->off - start;
		while (n && (c->p[start + n - 1] == ' ' || c->p[start + n - 1] == '\t'))
			n--;
		while (n && (c->p[start] == ' ' || c->p[start] == '\t')) {
			start++;
			n--;
		}
		snprintf(st->text, sizeof(st->text), "%.*s", (int)n, (const char *)c->p + start);
	}
	if (out.len > MAX_TOTAL - ps->total) {
		fail(ps, "the payloads add up to more than %u MiB", MAX_TOTAL >> 20);
		goto fail;
	}
	ps->total += out.len;
	st->len = out.len;
	st->data = wc_buf_take(&out, &st->len);
	if (!st->data) /* an empty payload */
		st->data = calloc(1, 1);
	return st->data ? 0 : fail(ps, "out of memory");
fail:
	wc_buf_free(&out);
	return -1;
}

static wc_step *new_step(parser *ps, enum wc_step_kind kind)
{
	wc_scenario *sc = ps->sc;
	wc_step *st;

	if (sc->nsteps >= MAX_STEPS) {
		fail(ps, "too many steps (at most %d, repeat blocks included)", MAX_STEPS);
		return NULL;
	}
	if (sc->nsteps == ps->cap_steps) {
		int cap = ps->cap_steps ? ps->cap_steps * 2 : 16;
		st = realloc(sc->steps, sizeof(*st) * (size_t)cap);
		if (!st) {
			fail(ps, "out of memory");
			return NULL;
		}
		sc->steps = st;
		ps->cap_steps = cap;
	}
	st = &sc->steps[sc->nsteps++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->line = ps->line;
	st->ep = -1;
	st->status = -1;
	return st;
}

static int find_ep(parser *ps, const char *w, size_t n)
{
	for (int i = 0; i < ps->sc->neps; i++)
		if (word_is(w, n, ps->sc->eps[i].name))
			return i;
	return -1;
}

static int end_of_line(parser *ps, wc_cur *c)
{
	skip_space(c);
	if (peek(c) != -1 && peek(c) != '#')
		return fail(ps, "unexpected '%.*s' at the end of the line",
			    (int)(wc_cur_left(c) > 20 ? 20 : wc_cur_left(c)), (const char *)c->p + c->off);
	return 0;
}

static int need_role(parser *ps, enum wc_role role, const char *what)
{
	if (!ps->have_test)
		return fail(ps, "'%s' comes after the 'test' line", what);
	if (ps->sc->role != role)
		return fail(ps, "'%s' is a step for 'test %s' scenarios", what,
			    role == WC_TEST_SERVER ? "server" : "client");
	return 0;
}

static int step_open(parser *ps, wc_cur *c)
{
	size_t n, pn;
	const char *w, *proto;
	wc_endpoint *ep;
	wc_step *st;

	if (need_role(ps, WC_TEST_SERVER, "open") < 0)
		return -1;
	w = word(c, &n);
	if (n == 0 || n >= WC_NAME_MAX)
		return fail(ps, "'open' needs an endpoint name of 1 to %d characters", WC_NAME_MAX - 1);
	if (word_is(w, n, "exit") || word_is(w, n, "wire") || word_is(w, n, "stdout") || word_is(w, n, "printed") ||
	    word_is(w, n, "idle"))
		return fail(ps, "'%.*s' is a reserved word, not an endpoint name", (int)n, w);
	if (find_ep(ps, w, n) >= 0)
		return fail(ps, "endpoint '%.*s' is already open", (int)n, w);
	if (ps->sc->neps >= WC_MAX_ENDPOINTS)
		return fail(ps, "too many endpoints (at most %d)", WC_MAX_ENDPOINTS);
	proto = word(c, &pn);
	if (!word_is(proto, pn, "udp") && !word_is(proto, pn, "tcp"))
		return fail(ps, "'open %.*s' needs a protocol: udp or tcp", (int)n, w);
	ep = &ps->sc->eps[ps->sc->neps];
	memset(ep, 0, sizeof(*ep));
	memcpy(ep->name, w, n);
	ep->name[n] = 0;
	ep->proto = word_is(proto, pn, "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
	ep->line = ps->line;
	{
		wc_cur save = *c;
		size_t on;
		const char *opt = word(c, &on);
		if (word_is(opt, on, "slow")) {
			if (ep->proto != IPPROTO_TCP)
				return fail(ps, "'slow' is for tcp endpoints");
			ep->slow = 1;
		} else {
			*c = save;
		}
	}
	if (!(st = new_step(ps, WC_STEP_OPEN)))
		return -1;
	st->ep = ps->sc->neps++;
	return end_of_line(ps, c);
}

static int step_send(parser *ps, wc_cur *c)
{
	size_t n;
	const char *w;
	int ep;
	wc_step *st;

	if (need_role(ps, WC_TEST_SERVER, "send") < 0)
		return -1;
	w = word(c, &n);
	if ((ep = find_ep(ps, w, n)) < 0)
		return fail(ps, "unknown endpoint '%.*s' (open it first: 'open NAME udp')", (int)n, w);
	if (!(st = new_step(ps, WC_STEP_SEND)))
		return -1;
	st->ep = ep;
	st->segments = 1;
	{
		wc_cur save = *c;
		const char *o = word(c, &n);
		if (!word_is(o, n, "as-hex"))
			*c = save;
		else
			st->as_hex = 1;
	}
	if (payload(ps, c, st) < 0)
		return -1;
	if (st->as_hex) {
		/* the message spelled as ASCII hex text, as some students' programs send it */
		uint8_t *hex = wc_hex_spell(st->data, st->len);
		if (!hex)
			return fail(ps, "out of memory");
		free(st->data);
		st->data = hex;
		st->len *= 2;
	}
	for (;;) {
		wc_cur save = *c;
		const char *o = word(c, &n);
		long v;
		if (n == 0 || *o == '#') {
			*c = save;
			break;
		}
		if (ps->sc->eps[ep].proto != IPPROTO_TCP)
			return fail(ps, "'%.*s' is for tcp endpoints", (int)n, o);
		if (word_is(o, n, "segments")) {
			if (parse_int(ps, c, "segments", 1, 65536, &v) < 0)
				return -1;
			st->segments = (int)v;
		} else if (word_is(o, n, "bytewise")) {
			st->segments = st->len ? (int)(st->len > 65536 ? 65536 : st->len) : 1;
		} else {
			*c = save;
			break;
		}
	}
	if (st->segments > 1 && (size_t)st->segments > st->len)
		return fail(ps, "%d segments of a %zu-byte payload", st->segments, st->len);
	return end_of_line(ps, c);
}

/* expect wire PAYLOAD | expect wire none | expect wire dns-query "NAME" [rd 0] */
static int expect_wire(parser *ps, wc_cur *c, wc_step *st)
{
	wc_cur save = *c;
	size_t n;
	const char *w = word(c, &n);

	if (word_is(w, n, "none")) {
		st->match = WC_MATCH_NONE;
		snprintf(st->text, sizeof(st->text), "none");
		return end_of_line(ps, c);
	}
	if (!word_is(w, n, "dns-query")) {
		*c = save;
		return payload(ps, c, st);
	}
	st->match = WC_MATCH_DNS_QUERY;
	if (payload(ps, c, st) < 0)
		return -1;
	if (st->len == 0 || st->len > 253 || memchr(st->data, 0, st->len))
		return fail(ps, "'expect wire dns-query' takes a domain name of 1 to 253 characters");
	save = *c;
	w = word(c, &n);
	if (word_is(w, n, "rd")) {
		long v;
		if (parse_int(ps, c, "rd", 0, 0, &v) < 0)
			return -1;
		st->rd0 = 1;
	} else {
		*c = save;
	}
	return end_of_line(ps, c);
}

/* expect NAME http STATUS[|STATUS...]|any [file PATH | head PATH] [connection] */
static int expect_http(parser *ps, wc_cur *c, wc_step *st)
{
	size_t n;
	const char *w = word(c, &n);

	if (n == 0)
		return fail(ps, "'expect %s http' needs a status (200, 400|404, any)", ps->sc->eps[st->ep].name);
	snprintf(st->text, sizeof(st->text), "http %.*s", (int)n, w);
	if (!word_is(w, n, "any")) {
		size_t i = 0;
		while (i < n) {
			int v = 0, digits = 0;
			while (i < n && w[i] >= '0' && w[i] <= '9' && digits < 4) {
				v = v * 10 + (w[i++] - '0');
				digits++;
			}
			if (digits != 3 || v < 100 || (i < n && w[i] != '|'))
				return fail(ps, "'%.*s' is not a status: three digits, several joined by '|', or 'any'",
					    (int)n, w);
			if (st->nstatuses >= WC_HTTP_STATUSES)
				return fail(ps, "at most %d statuses", WC_HTTP_STATUSES);
			st->statuses[st->nstatuses++] = v;
			if (i < n)
				i++;
			if (i == n && w[n - 1] == '|')
				return fail(ps, "'%.*s' ends with '|'", (int)n, w);
		}
	}
	{
		wc_cur save = *c;
		w = word(c, &n);
		if (word_is(w, n, "file") || word_is(w, n, "head")) {
			size_t pn;
			const char *path;
			wc_cur before = *c;
			st->head = word_is(w, n, "head");
			path = word(c, &pn);
			if (st->head && (pn == 0 || *path == '#' || word_is(path, pn, "connection"))) {
				/* 'head' alone: the response to a HEAD of no file (a missing one), no body */
				*c = before;
			} else if (pn == 0 || *path == '#') {
				return fail(ps, "'%.*s' needs a file of the docroot (HelloWorld.html)", (int)n, w);
			} else if (pn >= sizeof(st->file) || *path == '/' || memmem(path, pn, "..", 2)) {
				return fail(ps, "'%.*s' must be a plain path inside the docroot, not '%.*s'", (int)n,
					    w, (int)pn, path);
			} else {
				memcpy(st->file, path, pn);
				st->file[pn] = 0;
			}
		} else {
			*c = save;
		}
		save = *c;
		w = word(c, &n);
		if (word_is(w, n, "connection"))
			st->conn = 1;
		else
			*c = save;
	}
	return end_of_line(ps, c);
}

static int step_expect(parser *ps, wc_cur *c)
{
	size_t n, n2;
	const char *w = word(c, &n), *w2;
	wc_cur save;
	wc_step *st;
	int ep;

	if (!ps->have_test)
		return fail(ps, "'expect' comes after the 'test' line");
	if (word_is(w, n, "exit")) {
		long v;
		if (!(st = new_step(ps, WC_STEP_EXPECT_EXIT)))
			return -1;
		save = *c;
		w2 = word(c, &n2);
		if (n2 == 0 || *w2 == '#') {
			*c = save;
			return end_of_line(ps, c);
		}
		*c = save;
		if (parse_int(ps, c, "expect exit", 0, 255, &v) < 0)
			return -1;
		st->status = (int)v;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "idle")) {
		if (!new_step(ps, WC_STEP_EXPECT_IDLE))
			return -1;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "wire") || word_is(w, n, "stdout")) {
		if (need_role(ps, WC_TEST_CLIENT, word_is(w, n, "wire") ? "expect wire" : "expect stdout") < 0)
			return -1;
		if (!(st = new_step(ps, word_is(w, n, "wire") ? WC_STEP_EXPECT_WIRE : WC_STEP_EXPECT_STDOUT)))
			return -1;
		if (st->kind == WC_STEP_EXPECT_WIRE)
			return expect_wire(ps, c, st);
		save = *c;
		w2 = word(c, &n2);
		if (word_is(w2, n2, "loose"))
			st->loose = 1;
		else
			*c = save;
		return payload(ps, c, st);
	}
	if (word_is(w, n, "printed")) {
		if (need_role(ps, WC_TEST_SERVER, "expect printed") < 0 || !new_step(ps, WC_STEP_EXPECT_PRINTED))
			return -1;
		return end_of_line(ps, c);
	}
	if (n == 0)
		return fail(ps, "'expect' needs what: an endpoint, 'exit', 'wire' or 'stdout'");
	if (ps->sc->role != WC_TEST_SERVER)
		return fail(ps, "'expect %.*s': a client scenario expects 'wire', 'stdout' or 'exit'", (int)n, w);
	if ((ep = find_ep(ps, w, n)) < 0)
		return fail(ps, "unknown endpoint '%.*s' (open it first: 'open NAME udp')", (int)n, w);
	save = *c;
	w2 = word(c, &n2);
	if (word_is(w2, n2, "none") || word_is(w2, n2, "closed")) {
		if (!(st = new_step(ps, word_is(w2, n2, "none") ? WC_STEP_EXPECT_NONE : WC_STEP_EXPECT_CLOSED)))
			return -1;
		if (st->kind == WC_STEP_EXPECT_CLOSED && ps->sc->eps[ep].proto != IPPROTO_TCP)
			return fail(ps, "'expect %s closed' is for tcp endpoints", ps->sc->eps[ep].name);
		st->ep = ep;
		snprintf(st->text, sizeof(st->text), "%.*s", (int)n2, w2);
		return end_of_line(ps, c);
	}
	if (word_is(w2, n2, "dns")) {
		if (ps->sc->eps[ep].proto != IPPROTO_UDP)
			return fail(ps, "'expect %s dns' is for udp endpoints", ps->sc->eps[ep].name);
		if (!(st = new_step(ps, WC_STEP_EXPECT)))
			return -1;
		st->ep = ep;
		st->match = WC_MATCH_DNS;
		save = *c;
		w2 = word(c, &n2);
		if (word_is(w2, n2, "not-hex")) {
			/* the reply must not be PAYLOAD spelled as ASCII hex text (the probe of a server
			 * that reads and writes hex text, not RFC 1035 messages); no reply passes */
			st->match = WC_MATCH_DNS_NOT_HEX;
			if (payload(ps, c, st) < 0)
				return -1;
			return end_of_line(ps, c);
		}
		if (word_is(w2, n2, "rcode")) {
			long v;
			if (parse_int(ps, c, "rcode", 0, 15, &v) < 0)
				return -1;
			st->match = WC_MATCH_DNS_RCODE;
			st->status = (int)v;
			snprintf(st->text, sizeof(st->text), "dns rcode %ld", v);
			return end_of_line(ps, c);
		}
		*c = save;
		if (payload(ps, c, st) < 0)
			return -1;
		if (st->len < 12)
			return fail(ps, "'expect %s dns': a DNS message has a 12-byte header, this one %zu bytes",
				    ps->sc->eps[ep].name, st->len);
		return end_of_line(ps, c);
	}
	if (word_is(w2, n2, "http")) {
		if (ps->sc->eps[ep].proto != IPPROTO_TCP)
			return fail(ps, "'expect %s http' is for tcp endpoints", ps->sc->eps[ep].name);
		if (!(st = new_step(ps, WC_STEP_EXPECT_HTTP)))
			return -1;
		st->ep = ep;
		return expect_http(ps, c, st);
	}
	if (word_is(w2, n2, "line")) {
		if (ps->sc->eps[ep].proto != IPPROTO_TCP)
			return fail(ps, "'expect %s line' is for tcp endpoints", ps->sc->eps[ep].name);
		if (!(st = new_step(ps, WC_STEP_EXPECT_LINE)))
			return -1;
		st->ep = ep;
		if (payload(ps, c, st) < 0)
			return -1;
		if (memchr(st->data, '\n', st->len))
			return fail(ps, "'expect %s line' takes the line without its line end", ps->sc->eps[ep].name);
		return end_of_line(ps, c);
	}
	*c = save;
	if (!(st = new_step(ps, WC_STEP_EXPECT)))
		return -1;
	st->ep = ep;
	if (payload(ps, c, st) < 0)
		return -1;
	return end_of_line(ps, c);
}

static int step_stdin(parser *ps, wc_cur *c)
{
	wc_step *st;

	if (need_role(ps, WC_TEST_CLIENT, "stdin") < 0)
		return -1;
	if (!(st = new_step(ps, WC_STEP_STDIN)))
		return -1;
	{
		wc_cur save = *c;
		size_t n;
		const char *w = word(c, &n);
		if (word_is(w, n, "if-asked")) {
			w = word(c, &n);
			if (n == 0 || n >= sizeof(st->ask) || *w == '"')
				return fail(ps, "'stdin if-asked' needs a word the client's prompt holds, then the payload");
			memcpy(st->ask, w, n);
			st->ask[n] = 0;
		} else {
			*c = save;
		}
	}
	return payload(ps, c, st);
}

/* close stdin (client under test), or close|shutdown|reset NAME (a tcp endpoint) */
static int step_close(parser *ps, wc_cur *c, enum wc_step_kind kind, const char *what)
{
	size_t n;
	const char *w;
	wc_step *st;
	int ep;

	if (!ps->have_test)
		return fail(ps, "'%s' comes after the 'test' line", what);
	w = word(c, &n);
	if (kind == WC_STEP_CLOSE && word_is(w, n, "stdin")) {
		if (need_role(ps, WC_TEST_CLIENT, "close stdin") < 0 || !new_step(ps, WC_STEP_CLOSE_STDIN))
			return -1;
		return end_of_line(ps, c);
	}
	if (ps->sc->role != WC_TEST_SERVER)
		return fail(ps, "'%s' takes %s", what, kind == WC_STEP_CLOSE ? "'stdin' in a client scenario" : "a tcp endpoint");
	if ((ep = find_ep(ps, w, n)) < 0)
		return fail(ps, "unknown endpoint '%.*s' (open it first: 'open NAME tcp')", (int)n, w);
	if (ps->sc->eps[ep].proto != IPPROTO_TCP)
		return fail(ps, "'%s' is for tcp endpoints", what);
	if (!(st = new_step(ps, kind)))
		return -1;
	st->ep = ep;
	return end_of_line(ps, c);
}

/* Unrolls the innermost repeat block: its steps stand count times in all. */
static int repeat_end(parser *ps)
{
	wc_scenario *sc = ps->sc;
	int start, count, body;

	if (ps->depth == 0)
		return fail(ps, "'end' without 'repeat' or 'if'");
	ps->depth--;
	start = ps->rep[ps->depth].start;
	count = ps->rep[ps->depth].count;
	body = sc->nsteps - start;
	if (body == 0)
		return fail(ps, "empty %s block (line %d)", count ? "repeat" : "if", ps->rep[ps->depth].line);
	for (int i = start; i < sc->nsteps; i++)
		if (sc->steps[i].kind == WC_STEP_OPEN)
			return fail(ps, "'open' cannot stand inside %s block (line %d)", count ? "a repeat" : "an if",
				    sc->steps[i].line);
	if (count == 0) {
		/* an inner 'if' keeps its own condition */
		for (int i = start; i < sc->nsteps; i++)
			if (!sc->steps[i].if_kept_alive)
				sc->steps[i].if_kept_alive = ps->rep[ps->depth].if_ep;
		return 0;
	}
	for (int r = 1; r < count; r++) {
		for (int i = 0; i < body; i++) {
			wc_step *src, *st = new_step(ps, sc->steps[start + i].kind);
			if (!st)
				return -1;
			src = &sc->steps[start + i];
			*st = *src;
			st->data = NULL;
			if (src->len > MAX_TOTAL - ps->total)
				return fail(ps, "the payloads add up to more than %u MiB (repeat block of line %d)",
					    MAX_TOTAL >> 20, ps->rep[ps->depth].line);
			ps->total += src->len;
			if (src->data) {
				st->data = malloc(src->len ? src->len : 1);
				if (!st->data)
					return fail(ps, "out of memory");
				memcpy(st->data, src->data, src->len);
			}
		}
	}
	return 0;
}

static int metadata_once(parser *ps, int *have, const char *what)
{
	if (*have)
		return fail(ps, "'%s' is given twice", what);
	*have = 1;
	return 0;
}

static int parse_line(parser *ps, wc_cur *c)
{
	wc_scenario *sc = ps->sc;
	size_t n;
	const char *w = word(c, &n);
	long v;

	if (n == 0 || *w == '#')
		return 0;
	if (word_is(w, n, "lab")) {
		if (metadata_once(ps, &ps->have_lab, "lab") < 0)
			return -1;
		return rest(ps, c, sc->lab, sizeof(sc->lab), "lab");
	}
	if (word_is(w, n, "title")) {
		if (metadata_once(ps, &ps->have_title, "title") < 0)
			return -1;
		return rest(ps, c, sc->title, sizeof(sc->title), "title");
	}
	if (word_is(w, n, "ref"))
		return rest(ps, c, sc->ref, sizeof(sc->ref), "ref");
	if (word_is(w, n, "hint"))
		return rest(ps, c, sc->hint, sizeof(sc->hint), "hint");
	if (word_is(w, n, "framing")) {
		const char *f = word(c, &n);
		if (!word_is(f, n, "any"))
			return fail(ps, "framing takes 'any' (messages as they are, or as lines to a server that waits "
					"for a line end), not '%.*s'", (int)n, f);
		sc->framing_any = 1;
		return 0;
	}
	if (word_is(w, n, "subject")) {
		/* the faults this scenario grades (finding.h) */
		const char *id;
		size_t k;
		while ((id = word(c, &k)) && k) {
			char one[64];
			const wc_finding_kind *fk;
			if (*id == '#')
				break;
			snprintf(one, sizeof(one), "%.*s", (int)(k < 63 ? k : 63), id);
			if (!(fk = wc_finding_kind_of(one)))
				return fail(ps, "subject: unknown fault '%s' (docs/reports.md lists them)", one);
			if (fk->shared == WC_FAULT_ALWAYS)
				return fail(ps, "subject: '%s' counts in every scenario already (a message that cannot be "
						"read)", one);
			if (wc_subject_has(sc->subject, one))
				return fail(ps, "subject: '%s' is named twice", one);
			if (strlen(sc->subject) + k + 2 > sizeof(sc->subject))
				return fail(ps, "subject: too many faults");
			snprintf(sc->subject + strlen(sc->subject), sizeof(sc->subject) - strlen(sc->subject), "%s%s",
				 sc->subject[0] ? " " : "", one);
		}
		if (!sc->subject[0])
			return fail(ps, "subject: expected one or more fault IDs (http/crlf, dns/id, ...)");
		sc->subject_line = ps->line;
		return 0;
	}
	if (word_is(w, n, "level")) {
		const char *l;
		if (metadata_once(ps, &ps->have_level, "level") < 0)
			return -1;
		l = word(c, &n);
		if (word_is(l, n, "MUST"))
			sc->level = WC_MUST;
		else if (word_is(l, n, "SHOULD"))
			sc->level = WC_SHOULD;
		else if (word_is(l, n, "INFO"))
			sc->level = WC_INFO;
		else
			return fail(ps, "level must be MUST, SHOULD or INFO, not '%.*s'", (int)n, l);
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "points")) {
		if (metadata_once(ps, &ps->have_points, "points") < 0 ||
		    parse_int(ps, c, "points", 0, 1000, &v) < 0)
			return -1;
		sc->points = (int)v;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "test")) {
		const char *r;
		if (metadata_once(ps, &ps->have_test, "test") < 0)
			return -1;
		r = word(c, &n);
		if (word_is(r, n, "server"))
			sc->role = WC_TEST_SERVER;
		else if (word_is(r, n, "client"))
			sc->role = WC_TEST_CLIENT;
		else
			return fail(ps, "'test' takes 'server' or 'client', not '%.*s'", (int)n, r);
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "variant")) {
		const char *vw;
		while ((vw = word(c, &n)), n && *vw != '#') {
			if (sc->nvariants >= WC_MAX_VARIANTS)
				return fail(ps, "too many variants (at most %d)", WC_MAX_VARIANTS);
			if (n >= WC_NAME_MAX)
				return fail(ps, "variant name too long");
			memcpy(sc->variants[sc->nvariants], vw, n);
			sc->variants[sc->nvariants++][n] = 0;
		}
		if (sc->nvariants == 0)
			return fail(ps, "'variant' needs at least one name");
		return 0;
	}
	if (word_is(w, n, "timeout")) {
		if (parse_int(ps, c, "timeout", 1, 600000, &v) < 0)
			return -1;
		sc->timeout_ms = (int)v;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "hosts")) {
		if (parse_int(ps, c, "hosts", 1, 2, &v) < 0)
			return -1;
		sc->hosts = (int)v;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "deadline")) {
		if (parse_int(ps, c, "deadline", 1, 600000, &v) < 0)
			return -1;
		sc->deadline_ms = (int)v;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "open"))
		return step_open(ps, c);
	if (word_is(w, n, "send"))
		return step_send(ps, c);
	if (word_is(w, n, "expect"))
		return step_expect(ps, c);
	if (word_is(w, n, "stdin"))
		return step_stdin(ps, c);
	if (word_is(w, n, "close"))
		return step_close(ps, c, WC_STEP_CLOSE, "close");
	if (word_is(w, n, "shutdown"))
		return step_close(ps, c, WC_STEP_SHUTDOWN, "shutdown");
	if (word_is(w, n, "reset"))
		return step_close(ps, c, WC_STEP_RESET, "reset");
	if (word_is(w, n, "repeat")) {
		if (ps->depth >= MAX_DEPTH)
			return fail(ps, "repeat blocks nest at most %d deep", MAX_DEPTH);
		if (parse_int(ps, c, "repeat", 1, 10000, &v) < 0)
			return -1;
		ps->rep[ps->depth].start = sc->nsteps;
		ps->rep[ps->depth].count = (int)v;
		ps->rep[ps->depth].if_ep = 0;
		ps->rep[ps->depth].line = ps->line;
		ps->depth++;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "if")) {
		const char *e, *cond;
		size_t en, cn;
		int ep;
		if (ps->depth >= MAX_DEPTH)
			return fail(ps, "blocks nest at most %d deep", MAX_DEPTH);
		if (need_role(ps, WC_TEST_SERVER, "if") < 0)
			return -1;
		e = word(c, &en);
		cond = word(c, &cn);
		if ((ep = find_ep(ps, e, en)) < 0 || !word_is(cond, cn, "kept-alive"))
			return fail(ps, "'if' takes 'NAME kept-alive' (NAME an open tcp endpoint)");
		if (ps->sc->eps[ep].proto != IPPROTO_TCP)
			return fail(ps, "'if %s kept-alive' is for tcp endpoints", ps->sc->eps[ep].name);
		ps->rep[ps->depth].start = sc->nsteps;
		ps->rep[ps->depth].count = 0;
		ps->rep[ps->depth].if_ep = ep + 1;
		ps->rep[ps->depth].line = ps->line;
		ps->depth++;
		return end_of_line(ps, c);
	}
	if (word_is(w, n, "end")) {
		if (end_of_line(ps, c) < 0)
			return -1;
		return repeat_end(ps);
	}
	return fail(ps, "unknown keyword '%.*s'", (int)(n > 40 ? 40 : n), w);
}

static void set_id(wc_scenario *sc, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && !strcmp(base + n - 4, ".scn"))
		n -= 4;
	snprintf(sc->id, sizeof(sc->id), "%.*s", (int)n, base);
}

int wc_scenario_parse(const char *path, const char *text, size_t len, wc_scenario *sc, char *err,
		      size_t errlen)
{
	parser ps;
	wc_cur all;
	char tmp[512];

	memset(sc, 0, sizeof(*sc));
	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.err = err;
	ps.errlen = errlen;
	ps.sc = sc;
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(ps.dir, sizeof(ps.dir), "%s", dirname(tmp));
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	set_id(sc, path);
	sc->level = WC_MUST;
	sc->points = 1;
	sc->timeout_ms = 2000;
	sc->deadline_ms = 20000;
	sc->hosts = 1;

	wc_cur_init(&all, text, len);
	while (wc_cur_left(&all)) {
		const uint8_t *nl = memchr(all.p + all.off, '\n', wc_cur_left(&all));
		size_t n = nl ? (size_t)(nl - (all.p + all.off)) : wc_cur_left(&all);
		wc_cur line;

		ps.line++;
		wc_cur_sub(&all, n, &line);
		if (nl)
			wc_cur_skip(&all, 1);
		if (n && line.p[n - 1] == '\r')
			line.len--;
		if (memchr(line.p, 0, line.len)) {
			fail(&ps, "a NUL byte in the scenario text");
			goto fail;
		}
		if (parse_line(&ps, &line) < 0)
			goto fail;
	}
	ps.line++;
	if (ps.depth) {
		ps.line = ps.rep[ps.depth - 1].line;
		fail(&ps, "'%s' without 'end'", ps.rep[ps.depth - 1].count ? "repeat" : "if");
		goto fail;
	}
	if (!ps.have_lab || !ps.have_title || !ps.have_test) {
		ps.line = 1;
		fail(&ps, "the scenario needs %s", !ps.have_lab ? "a 'lab' line" :
			  !ps.have_title ? "a 'title' line" : "a 'test server' or 'test client' line");
		goto fail;
	}
	if (sc->nsteps == 0) {
		ps.line = 1;
		fail(&ps, "the scenario has no steps");
		goto fail;
	}
	if (sc->hosts == 2 && sc->role != WC_TEST_SERVER) {
		ps.line = 1;
		fail(&ps, "'hosts 2' is for 'test server' scenarios");
		goto fail;
	}
	if (sc->deadline_ms < sc->timeout_ms) {
		ps.line = 1;
		fail(&ps, "deadline (%d ms) is shorter than timeout (%d ms)", sc->deadline_ms, sc->timeout_ms);
		goto fail;
	}
	return 0;
fail:
	wc_scenario_free(sc);
	memset(sc, 0, sizeof(*sc));
	return -1;
}

int wc_scenario_load(const char *path, wc_scenario *sc, char *err, size_t errlen)
{
	wc_buf text;
	char why[256];
	int rc;

	memset(sc, 0, sizeof(*sc));
	wc_buf_init(&text, MAX_FILE);
	if (read_file(path, &text, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, why);
		wc_buf_free(&text);
		return -1;
	}
	if (wc_buf_failed(&text)) {
		snprintf(err, errlen, "%s: larger than %u bytes", path, MAX_FILE);
		wc_buf_free(&text);
		return -1;
	}
	rc = wc_scenario_parse(path, wc_buf_cstr(&text), text.len, sc, err, errlen);
	wc_buf_free(&text);
	return rc;
}

void wc_scenario_free(wc_scenario *sc)
{
	for (int i = 0; i < sc->nsteps; i++)
		free(sc->steps[i].data);
	free(sc->steps);
	sc->steps = NULL;
	sc->nsteps = 0;
}

const char *wc_scenario_dir(const wc_scenario *sc, int absolute, char *buf, size_t n)
{
	const char *slash = strrchr(sc->path, '/');
	char rel[sizeof(sc->path)], *abs;

	if (!slash)
		snprintf(rel, sizeof(rel), ".");
	else
		snprintf(rel, sizeof(rel), "%.*s", (int)(slash - sc->path), sc->path);
	abs = absolute ? realpath(rel, NULL) : NULL;
	snprintf(buf, n, "%s", abs ? abs : rel);
	free(abs);
	return buf;
}

int wc_scenario_has_variant(const wc_scenario *sc, const char *variant)
{
	if (sc->nvariants == 0)
		return 1;
	for (int i = 0; i < sc->nvariants; i++) {
		size_t n = strlen(sc->variants[i]);
		if (!strncmp(sc->variants[i], variant, n) && (variant[n] == 0 || variant[n] == '-'))
			return 1;
	}
	return 0;
}

int wc_scenario_bind_name(wc_scenario *sc, const char *name)
{
	size_t nl = strlen(name);

	for (int i = 0; i < sc->nsteps; i++) {
		wc_step *st = &sc->steps[i];
		uint8_t *p, *o;
		size_t from = 0;

		if (st->nnames == 0)
			continue;
		p = malloc(st->len + nl * (size_t)st->nnames + 1);
		if (!p)
			return -1;
		o = p;
		for (int k = 0; k < st->nnames; k++) {
			memcpy(o, st->data + from, st->name_at[k] - from);
			o += st->name_at[k] - from;
			memcpy(o, name, nl);
			o += nl;
			from = st->name_at[k];
		}
		memcpy(o, st->data + from, st->len - from);
		o += st->len - from;
		free(st->data);
		st->data = p;
		st->len = (size_t)(o - p);
		st->nnames = 0;
	}
	return 0;
}

const char *wc_level_str(enum wc_level l)
{
	static const char *const names[] = {"MUST", "SHOULD", "INFO"};
	return (unsigned)l < 3 ? names[l] : "?";
}

const char *wc_step_kind_str(enum wc_step_kind k)
{
	static const char *const names[] = {"open",          "send",          "expect",      "expect none",
					    "expect exit",   "stdin",         "close stdin", "expect wire",
					    "expect stdout", "expect line",   "expect closed", "close",
					    "shutdown",      "reset",         "expect http", "expect printed"};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
