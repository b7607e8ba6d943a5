/* grade.h - batch grading: every submission folder of a directory, one pool of workers, a gradebook */
#ifndef WC_GRADE_H
#define WC_GRADE_H

#include <stdio.h>

#include "run/run.h"
#include "scenario/scenario.h"

typedef struct wc_grade_opts {
	const char *subdir;      /* the folder holding one folder per submission */
	const char *out;         /* where the gradebook, reports and captures go */
	int shard_i, shard_n;    /* grade the submissions k with k % shard_n == shard_i - 1 */
	const char *const *labs; /* only these labs (none: all) */
	int nlabs;
	int build_ms;            /* how long a submission's build may take */
	int progress;            /* a live progress line on stderr (a terminal) */
	const char *formats;     /* report formats per submission, comma-separated ("text") */
	int strict;                     /* --strict: a SHOULD that fails fails the run */
	const struct wc_rubric *rubric; /* a course's rubric: variants (scenarios are already changed), NULL */
} wc_grade_opts;

/*
 * Grades every submission (sorted by folder name, then sharded) against the
 * scenarios scs[0..n), all their scenarios in one pool of ro->jobs workers, so
 * a hanging submission holds up only its own scenarios. Writes OUT/gradebook.csv
 * (a row per submission, a column per lab, the total, the maximum: the points of
 * the labs chosen with --lab, else of the labs found, as its report.txt says;
 * the labs found), OUT/<submission>/report.txt, and captures under OUT/captures/. Returns wirecheck's exit status: 0 when
 * every submission was graded, 2 for bad options or folders, 3 for harness errors.
 */
int wc_grade(const wc_run_opts *ro, const wc_grade_opts *go, const wc_scenario *scs, int n);

/* Joins gradebooks of shards (same header) into one, rows sorted by submission,
 * written to out. 0, or -1 with err (a missing file, other headers, a submission twice). */
int wc_merge(const char *const *files, int n, FILE *out, char *err, size_t errlen);

#endif
