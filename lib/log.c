/* log.c - the reference servers' lines on stderr, "PROG: message", each written whole */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cursor.h"
#include "hexdump.h"

#define LINE_MAX_BYTES 1024 /* a log line, its "PROG: " and '\n' included */
#define MSG_MAX 600         /* an error message before its count of errors held back */
#define QUOTE_MAX 64        /* bytes of a chunk shown in its line */

static const char *log_prog = "?";
static int log_verbose;

void wc_log_init(const char *prog, int verbose)
{
	log_prog = prog;
	log_verbose = verbose;
}

int wc_log_verbose(void)
{
	return log_verbose;
}

static void vlog(const char *fmt, va_list ap)
{
	char line[LINE_MAX_BYTES];
	size_t n;
	int w;

	w = snprintf(line, sizeof(line) - 1, "%s: ", log_prog);
	n = w < 0 ? 0 : (size_t)w < sizeof(line) - 2 ? (size_t)w : sizeof(line) - 2;
	w = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (w < 0)
		w = 0;
	n += (size_t)w < sizeof(line) - n - 1 ? (size_t)w : sizeof(line) - n - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere left to say it */
	}
}

void wc_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void wc_log_detail(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void wc_log_chunk(const uint8_t *p, size_t len, const char *from)
{
	wc_buf b;

	if (!log_verbose)
		return;
	wc_buf_init(&b, 0);
	wc_quote(&b, p, len, QUOTE_MAX);
	wc_log("%zu bytes from %s: %s", len, from, wc_buf_failed(&b) ? "(out of memory)" : wc_buf_cstr(&b));
	wc_buf_free(&b);
}

void wc_errlog_say(wc_errlog *l, const char *fmt, ...)
{
	struct timespec now;
	char msg[MSG_MAX];
	va_list ap;

	wc_clock_now(&now);
	if (!log_verbose && l->logged && wc_clock_ms_until(&l->last, &now) < 1000) {
		l->held++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->held)
		wc_log("%s (and %lu earlier errors not shown)", msg, l->held);
	else
		wc_log("%s", msg);
	l->logged = 1;
	l->last = now;
	l->held = 0;
}
