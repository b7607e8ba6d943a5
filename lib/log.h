/* log.h - the reference servers' lines on stderr, "PROG: message", each written whole */
#ifndef WC_LOG_H
#define WC_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Sets the program name that starts every line, and whether --verbose was
 * given. Call once, before any thread or child process starts. */
void wc_log_init(const char *prog, int verbose);
/* Non-zero when --verbose was given. */
int wc_log_verbose(void);
/* Writes "PROG: message\n" with one write(), so that lines from threads and
 * child processes do not mix; a message is cut to fit 1024 bytes. */
void wc_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As wc_log(), only under --verbose. */
void wc_log_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Under --verbose, the line for bytes read, which the harness counts by its
 * " bytes from ": 'PROG: N bytes from ADDR: "..."', with the first 64 bytes
 * quoted with C escapes. */
void wc_log_chunk(const uint8_t *p, size_t len, const char *from);

/* Errors that may come in floods (of accepting, of single datagrams): every one
 * logged under --verbose, otherwise at most one a second, with the count of
 * those held back since the last one. Zero it to start; one thread's only. */
typedef struct wc_errlog {
	int logged;
	struct timespec last;
	unsigned long held; /* errors not logged since the last one that was */
} wc_errlog;

/* Logs an error as wc_log() does, or counts it in l->held. */
void wc_errlog_say(wc_errlog *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
