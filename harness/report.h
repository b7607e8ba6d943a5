/* report.h - reports of a run: text for terminals (more formats build on the same data) */
#ifndef WC_REPORT_H
#define WC_REPORT_H

#include <stdio.h>

#include "check.h"
#include "run.h"

typedef struct wc_tally {
	int passed, failed, errors, info_passed, info_failed;
	int points, max_points;
} wc_tally;

/* One scenario: a line, and on failure the explanation, the capture and the hint. */
void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v);
/* Adds a verdict to the tally (INFO scenarios are counted apart, never graded). */
void wc_tally_add(wc_tally *t, const wc_job *job, const wc_verdict *v);
/* The closing lines; the last is "N passed, N failed". */
void wc_report_text_summary(FILE *f, const wc_tally *t, int not_run);

#endif
