/* report_fmt.h - what the report writers share: escaping for XML, JSON and HTML,
 * per-lab tallies, scores and the explanation text of a verdict (internal to report_*.c) */
#ifndef WC_REPORT_FMT_H
#define WC_REPORT_FMT_H

#include <stddef.h>
#include <stdio.h>

#include "report/report.h"

#define WC_REP_MAX_LABS 16

typedef struct wc_rep_lab {
	const char *name;
	wc_tally t;
	int tests, skipped;      /* scenarios; INFO ones that did not pass */
	long long ms;
} wc_rep_lab;

/* The labs of a run in the order they first appear, with their tallies; the
 * whole run's tally in *all. Returns the number of labs (at most WC_REP_MAX_LABS;
 * more labs are folded into the last). */
int wc_rep_labs(const wc_report_in *in, wc_rep_lab *labs, wc_tally *all);
/* Index of job i's lab in labs[0..n). */
int wc_rep_lab_of(const wc_rep_lab *labs, int n, const wc_job *job);
/* Points the verdict earns: the scenario's points on a PASS of a graded scenario, else 0. */
int wc_rep_score(const wc_job *job, const wc_verdict *v);
/* Points it is worth: 0 for INFO. */
int wc_rep_max(const wc_job *job);
/* "pass", "fail" or "error". */
const char *wc_rep_outcome(const wc_verdict *v);
/* The summary, then the explanation lines (wc_report_explain, no indent), as one
 * malloc'ed NUL-terminated text; NULL when out of memory. */
char *wc_rep_explain_text(const wc_job *job, const wc_verdict *v, int with_summary);
/* "2026-11-22T18:39:18" (UTC) into buf (at least 20 bytes). */
void wc_rep_iso_time(long long t, char *buf, size_t n);

/*
 * Escaping. Bytes that are not UTF-8 become U+FFFD. XML and HTML: & < > " ' as
 * entities; characters XML 1.0 does not allow (controls but tab, LF, CR;
 * U+FFFE, U+FFFF) as the text "\xNN" / "\uNNNN"; in attributes tab, LF and CR as
 * character references so they survive normalisation. JSON: as RFC 8259, plus
 * DEL, C1 controls, U+2028 and U+2029 as \uNNNN (so JSON is also YAML and JS safe).
 */
void wc_rep_xml(FILE *f, const char *s, size_t n, int attr);
void wc_rep_xmls(FILE *f, const char *s, int attr); /* s NUL-terminated, NULL as "" */
/* A JSON string with its quotes; NULL gives null. */
void wc_rep_json(FILE *f, const char *s, size_t n);
void wc_rep_jsons(FILE *f, const char *s);

/* The writers, each of the whole run (report.c dispatches). 0, or -1. */
int wc_report_junit(const wc_report_in *in, FILE *f);
int wc_report_tap(const wc_report_in *in, FILE *f);
int wc_report_json(const wc_report_in *in, FILE *f);
int wc_report_gradescope(const wc_report_in *in, FILE *f);
int wc_report_autolab(const wc_report_in *in, FILE *f);
int wc_report_html(const wc_report_in *in, FILE *f);
int wc_report_text(const wc_report_in *in, FILE *f, int color);

#endif
