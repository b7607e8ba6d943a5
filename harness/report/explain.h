/* explain.h - why a verdict did not pass, in lines every format shows: the scenario
 * line, expected vs got, what was found, the capture and frame, the requirement, the hint */
#ifndef WC_EXPLAIN_H
#define WC_EXPLAIN_H

#include <stdio.h>

#include "judge/verdict.h"
#include "run/run.h"

/* The explanation of a verdict that did not pass, as lines: expected vs got, the
 * scenario line, what was found, the capture and frame, the requirement, the hint.
 * Each line starts with indent (the text report uses "    "); for a PASS, only its
 * detail where wc_rep_pass_detail says so, nothing otherwise. */
void wc_report_explain(FILE *f, const wc_job *job, const wc_verdict *v, const char *indent);

/* Does this PASS have a detail every format shows? The faults it saw that other
 * scenarios grade (its findings), or the note that the scenario's memory limit
 * killed processes of the program while it went on. 0 for any other verdict. */
int wc_rep_pass_detail(const wc_verdict *v);

/* The summary, then the explanation lines (wc_report_explain, no indent), as one
 * malloc'ed NUL-terminated text; NULL when out of memory. */
char *wc_rep_explain_text(const wc_job *job, const wc_verdict *v, int with_summary);

/* The hint for what was seen: the fault's own (scenario/finding.c) where it has
 * one, the scenario's for the fault it is about, "" otherwise. */
const char *wc_rep_hint(const wc_job *job, const wc_verdict *v);

#endif
