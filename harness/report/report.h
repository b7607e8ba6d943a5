/* report.h - reports of a run, all from the same verdicts: text for terminals, JUnit
 * XML, TAP, JSON, Gradescope's results.json, Autolab's autoresult and one HTML page */
#ifndef WC_REPORT_H
#define WC_REPORT_H

#include <stdio.h>

#include "judge/check.h"
#include "run/run.h"

typedef struct wc_tally {
	int passed, failed, errors, info_passed, info_failed;
	int points, max_points;
} wc_tally;

/* One scenario: a line, and on failure the explanation, the capture and the hint. */
void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v);
/* As wc_report_text_one(); color: PASS green, FAIL red, ERROR and INFO yellow (ANSI). */
void wc_report_text_one_color(FILE *f, const wc_job *job, const wc_verdict *v, int color);
/* The explanation of a verdict that did not pass, as lines: expected vs got, the
 * scenario line, what was found, the capture and frame, the requirement, the hint.
 * Each line starts with indent (the text report uses "    "); nothing for a PASS. */
void wc_report_explain(FILE *f, const wc_job *job, const wc_verdict *v, const char *indent);
/* Adds a verdict to the tally (INFO scenarios are counted apart, never graded). */
void wc_tally_add(wc_tally *t, const wc_job *job, const wc_verdict *v);
/* The closing lines; the last is "N passed, N failed". */
void wc_report_text_summary(FILE *f, const wc_tally *t, int not_run);

/* A whole run, as the writers below read it. Nothing is owned. */
typedef struct wc_report_in {
	const char *impl;        /* implementation name (submission folder name, or 'reference') */
	const char *student;     /* student name if known, else NULL */
	const wc_job *jobs;      /* n jobs and their verdicts, in run order */
	const wc_verdict *v;
	int n;
	int not_run;             /* scenarios left out (other variants or roles) */
	long long started_s;     /* unix time the run started */
	long long ms;            /* wall time of the run */
} wc_report_in;

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
