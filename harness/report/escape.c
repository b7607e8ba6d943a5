/* escape.c - escaping for the report writers (XML, HTML, JSON) and ISO times */
#include "report/escape.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The code point at s[0..n): its byte length; *cp -1 for a byte that does not
 * start valid UTF-8 (overlong forms, surrogates and values past U+10FFFF too). */
static size_t u8_next(const unsigned char *s, size_t n, long *cp)
{
	unsigned char c = s[0];
	size_t len;
	long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		goto bad;
	if (n < len)
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = -1;
	return 1;
}

void wc_rep_xml(FILE *f, const char *s, size_t n, int attr)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		long cp;
		size_t len = u8_next(p + i, n - i, &cp);

		if (cp < 0)
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
		else if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\'')
			fputs("&#39;", f);
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			attr ? fprintf(f, "&#%ld;", cp) : fputc((int)cp, f);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(f, "\\x%02lx", cp);
		else if (cp == 0xfffe || cp == 0xffff)
			fprintf(f, "\\u%04lX", cp);
		else
			fwrite(p + i, 1, len, f);
		i += len;
	}
}

void wc_rep_xmls(FILE *f, const char *s, int attr)
{
	if (s)
		wc_rep_xml(f, s, strlen(s), attr);
}

void wc_rep_json(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		long cp;
		size_t len = u8_next(p + i, n - i, &cp);

		if (cp < 0)
			fputs("\\ufffd", f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
			fprintf(f, "\\u%04lx", cp);
		else
			fwrite(p + i, 1, len, f);
		i += len;
	}
	fputc('"', f);
}

void wc_rep_jsons(FILE *f, const char *s)
{
	wc_rep_json(f, s, s ? strlen(s) : 0);
}

void wc_rep_iso_time(long long t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, n, "1970-01-01T00:00:00");
}
