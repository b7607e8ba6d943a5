/* http.h - HTTP/1.x message heads, parsed in place (zero copy, 'need more'), and the
 * small pieces a server and the checks share: IMF-fixdate, Content-Length, tokens,
 * percent-decoding, safe paths, media types. */
#ifndef WC_HTTP_H
#define WC_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define WC_HTTP_MAX_HEADERS 64
#define WC_HTTP_INCOMPLETE (-2) /* the head is not whole yet: read more, call again */
#define WC_HTTP_BAD (-1)        /* not an HTTP message head */

/* Views into the caller's buffer: nothing is copied, nothing is NUL-terminated. */
typedef struct wc_http_header {
	const char *name;
	size_t name_len;
	const char *value; /* blanks around it trimmed */
	size_t value_len;
} wc_http_header;

typedef struct wc_http_head {
	/* request line: METHOD SP TARGET SP HTTP/x.y */
	const char *method;
	size_t method_len;
	const char *target;
	size_t target_len;
	/* status line: HTTP/x.y SP NNN SP REASON (reason may be empty) */
	int status;
	const char *reason;
	size_t reason_len;
	/* both */
	int major, minor;  /* the version */
	wc_http_header headers[WC_HTTP_MAX_HEADERS];
	size_t nheaders;
	int bare_lf;       /* some line of the head ended with LF alone, not CRLF */
	size_t first_bare_lf; /* offset of the first such LF */
} wc_http_head;

/*
 * Parse a request head (wc_http_parse_request) or a response head
 * (wc_http_parse_response) from buf[0..len). Returns the length of the head,
 * its blank line included, so the body starts at buf + returned value;
 * WC_HTTP_INCOMPLETE when more bytes are needed; WC_HTTP_BAD when the bytes
 * cannot be a head (then, if err is not NULL, a short reason is written to it).
 * Both LF and CRLF line ends are accepted; bare_lf tells which was used.
 * Header lines with obsolete folding, names with blanks or bytes below 0x20
 * (but HT) in values are BAD. More than WC_HTTP_MAX_HEADERS headers is BAD.
 * A head longer than 'max' bytes (0: 64 KiB) without its end is BAD.
 */
int wc_http_parse_request(const char *buf, size_t len, size_t max, wc_http_head *h, char *err, size_t errlen);
int wc_http_parse_response(const char *buf, size_t len, size_t max, wc_http_head *h, char *err, size_t errlen);

/* The first header named 'name' (case-insensitive), or NULL. */
const wc_http_header *wc_http_find(const wc_http_head *h, const char *name);
/* How many headers are named 'name'. */
int wc_http_count(const wc_http_head *h, const char *name);
/* True when the comma-separated list value[0..len) holds 'token' (case-insensitive). */
int wc_http_has_token(const char *value, size_t len, const char *token);
/* True when value[0..len) is a valid token (RFC 9110 tchar+) */
int wc_http_is_token(const char *value, size_t len);
/* Content-Length: 1*DIGIT, no sign, no blanks, fits in int64. 0 ok, -1 otherwise. */
int wc_http_content_length(const char *value, size_t len, uint64_t *out);

/* IMF-fixdate of t, "Sun, 06 Nov 1994 08:49:37 GMT", into out (at least 30 bytes). */
void wc_http_date(time_t t, char out[30]);
/* Parses exactly an IMF-fixdate (29 bytes, GMT, real calendar day and weekday). 0 ok, -1 otherwise. */
int wc_http_parse_date(const char *s, size_t len, time_t *out);

/*
 * Request target to a path below a root: percent-decodes the path part
 * (the query after '?' is dropped), refuses %00, bad escapes and anything
 * that is not origin-form ("/..."), and resolves "." and ".." segments
 * lexically; a ".." above the root is refused (returns -1). Writes the
 * relative path without a leading '/', "" for the root itself, into out.
 * Returns its length, or -1.
 */
int wc_http_target_path(const char *target, size_t len, char *out, size_t outlen);

/* Media type by file extension (case-insensitive): text/html for .html and .htm, ... ;
 * application/octet-stream when unknown. */
const char *wc_http_media_type(const char *path);
/* Reason phrase of a status code ("Not Found"), "" when unknown. */
const char *wc_http_reason(int status);

#endif
