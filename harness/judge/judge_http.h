/* judge_http.h - the protocol checks of HTTP responses: a pure function from bytes
 * to a verdict line and a field-by-field table (no sockets, no record) */
#ifndef WC_JUDGE_HTTP_H
#define WC_JUDGE_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cursor.h"

struct wc_faults;

#define WC_HTTP_DATE_SLACK 5 /* seconds a Date may lie from the capture's clock */

typedef struct wc_http_want {
	const int *statuses;   /* any of these; nstatuses 0: any status */
	int nstatuses;
	int head;              /* the request was HEAD: no body */
	int conn;              /* judge the Connection header and what the server does after it */
	int headers;           /* with no file: the six headers present and well formed, Content-Length
				  the body's length (wirecheck inspect) */
	const char *file;      /* the docroot file the response must carry (NULL: none) */
	const uint8_t *body;   /* its bytes */
	size_t body_len;
	time_t mtime;          /* its modification time in the program's folder */
	int64_t wire_us;       /* when the response's first byte was captured (realtime, us) */
	const char *canary;    /* text of a file outside the folder, never to be served */
	struct wc_faults *faults; /* sorts the faults: the scenario's own, or findings (faults.h);
				     NULL: every fault counts */
} wc_http_want;

/*
 * Judges the response that starts at p: p[0..len) is what the server sent from
 * there on, up to the end of what came in time; closed: the server's FIN
 * follows those bytes. Sets *used to the length of the response (head and body)
 * so the caller can move on to the next one. Appends the header table and any
 * byte comparison to detail. 0 when it passes; -1 with summary otherwise.
 */
int wc_judge_http(const wc_http_want *w, const uint8_t *p, size_t len, int closed, size_t *used, wc_buf *detail,
		  char *summary, size_t slen);

#endif
