/* text.h - the text report: a line per scenario, expected vs got on failure, a closing tally */
#ifndef WC_TEXT_H
#define WC_TEXT_H

#include <stdio.h>

#include "report/tally.h"

/* One scenario: a line, and on failure the explanation, the capture and the hint. */
void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v);

/* As wc_report_text_one(); color: PASS green, FAIL red, ERROR and INFO yellow (ANSI). */
void wc_report_text_one_color(FILE *f, const wc_job *job, const wc_verdict *v, int color);

/* The closing lines; the last is "N passed, N failed". */
void wc_report_text_summary(FILE *f, const wc_tally *t, int not_run);

/* The whole run (wc_report_write "text"). 0. */
int wc_report_text(const wc_report_in *in, FILE *f, int color);

/* The run's shared faults, each once (tally.h wc_rep_faults), before the scenario lines. */
void wc_report_text_faults(FILE *f, const wc_report_in *in);

#endif
