/* report.h - reports of a run, all from the same verdicts: text for terminals, JUnit
 * XML, TAP, JSON, Gradescope's results.json, Autolab's autoresult and one HTML page.
 * The report stage's front: it takes the jobs and their verdicts (tally.h) and
 * hands on files; the formats below it never call back up */
#ifndef WC_REPORT_H
#define WC_REPORT_H

#include <stdio.h>

#include "report/explain.h"
#include "report/tally.h"
#include "report/text.h"

/* Splits a --format list ("text,junit") into out (at most max names of up
 * to 15 characters). Returns how many. */
int wc_report_formats(const char *list, char out[][16], int max);
/* True for the names of the formats: "text", "junit", "tap", "json",
 * "gradescope", "autolab", "html". */
int wc_report_known(const char *format);
/* The file a format is written to under --out DIR: report.txt, junit.xml,
 * report.tap, wirecheck.json, results.json, autolab.txt, report.html; NULL for
 * an unknown format. */
const char *wc_report_file(const char *format);
/*
 * Writes the whole report of 'in' in 'format' to f (docs/reports.md says what
 * each holds). color: ANSI colours, for "text" only (the caller decides: a TTY
 * and no NO_COLOR). Returns 0, or -1 for an unknown format (errno EINVAL) or
 * when writing to f failed (errno from the stream, or ENOMEM).
 */
int wc_report_write(const char *format, const wc_report_in *in, FILE *f, int color);

#endif
