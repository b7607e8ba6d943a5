/* tally.h - a run's verdicts counted: passed, failed, points, per lab; what every
 * report format reads (the whole run as wc_report_in) */
#ifndef WC_TALLY_H
#define WC_TALLY_H

#include <stdio.h>

#include "judge/verdict.h"
#include "run/run.h"
#include "scenario/finding.h"

typedef struct wc_tally {
	int passed;
	int failed;              /* MUST checks (and SHOULD ones under --strict) that failed, and ERRORs:
				    they fail the run (exit status 1) */
	int warned;              /* SHOULD checks that failed: WARN, their points lost, the run not failed */
	int errors, info_passed, info_failed;
	int points, max_points;
} wc_tally;

/* Points a submission could not be graded for: a program not found, a build
 * that failed ("udp-echo", "no server found", 12). */
typedef struct wc_rep_absent {
	const char *lab;
	const char *why;
	const char *hint; /* what to do about it */
	int points;
} wc_rep_absent;

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
	const wc_rep_absent *absent; /* grade: labs' points that no scenario ran for */
	int nabsent;
	int host_not_run;        /* of not_run: the scenarios host mode cannot run (two-host,
				    client; run/run.h's host), said apart */
	const char *host_why;    /* why, in words (wc_run_host_not_run_why); NULL: two-host */
} wc_report_in;

/* Adds a verdict to the tally (INFO scenarios are counted apart, never graded). */
void wc_tally_add(wc_tally *t, const wc_job *job, const wc_verdict *v);

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
/* A SHOULD check that failed, without --strict: reported as WARN, its points
 * lost, the run not failed (LABS.md, Levels). */
int wc_rep_warns(const wc_job *job, const wc_verdict *v);
/* Why host mode left in->host_not_run scenarios out, in words */
const char *wc_rep_host_why(const wc_report_in *in);
/* "pass", "fail", "warn" (wc_rep_warns) or "error". */
const char *wc_rep_outcome(const wc_job *job, const wc_verdict *v);

/* After the run: each shared fault seen outside the scenario that grades it
 * (a finding) costs points there, once: that scenario, if it passed, fails
 * with the finding as its evidence (LABS.md, Levels: one fault, one
 * deduction). Every finding is also written under the scenario that saw it. */
void wc_settle_findings(const wc_job *jobs, wc_verdict *v, int n);

/* A shared fault of the run, once, with where it was seen and graded. */
typedef struct wc_rep_fault {
	const wc_finding_kind *kind;
	int seen;                /* scenarios that saw it */
	int graded_in;           /* the job whose verdict it failed, -1 none */
	int first;               /* the first job that saw it */
	unsigned frame;          /* there, its frame */
	const char *summary;     /* there, what was seen */
} wc_rep_fault;

/* The shared faults of a run, in the catalog's order. Returns how many. */
int wc_rep_faults(const wc_report_in *in, wc_rep_fault *out, int max);

#endif
