/* tally.c - a run's verdicts counted: the whole run, per lab, points per verdict */
#include "report/tally.h"

#include <string.h>

void wc_tally_add(wc_tally *t, const wc_job *job, const wc_verdict *v)
{
	const wc_scenario *sc = job->sc;

	if (sc->level == WC_INFO) {
		if (v->outcome == WC_PASS)
			t->info_passed++;
		else
			t->info_failed++;
		return;
	}
	t->max_points += sc->points;
	if (v->outcome == WC_PASS) {
		t->passed++;
		t->points += sc->points;
	} else if (v->outcome == WC_ERROR) {
		t->errors++;
		t->failed++;
	} else {
		if (wc_rep_warns(job, v))
			t->warned++;
		else
			t->failed++;
		t->points += sc->points * v->credit_pct / 100; /* a rubric's partial credit */
	}
}

int wc_rep_score(const wc_job *job, const wc_verdict *v)
{
	if (job->sc->level == WC_INFO)
		return 0;
	if (v->outcome == WC_PASS)
		return job->sc->points;
	/* a rubric's partial credit for a failed check */
	return v->outcome == WC_FAIL ? job->sc->points * v->credit_pct / 100 : 0;
}

int wc_rep_max(const wc_job *job)
{
	return job->sc->level == WC_INFO ? 0 : job->sc->points;
}

int wc_rep_warns(const wc_job *job, const wc_verdict *v)
{
	return v->outcome == WC_FAIL && job->sc->level == WC_SHOULD && !job->strict;
}

const char *wc_rep_outcome(const wc_job *job, const wc_verdict *v)
{
	if (wc_rep_warns(job, v))
		return "warn";
	return v->outcome == WC_PASS ? "pass" : v->outcome == WC_FAIL ? "fail" : "error";
}

int wc_rep_lab_of(const wc_rep_lab *labs, int n, const wc_job *job)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(labs[k].name, job->sc->lab))
			return k;
	return n - 1;
}

int wc_rep_labs(const wc_report_in *in, wc_rep_lab *labs, wc_tally *all)
{
	int n = 0;

	memset(all, 0, sizeof(*all));
	for (int i = 0; i < in->n; i++) {
		const wc_job *job = &in->jobs[i];
		const wc_verdict *v = &in->v[i];
		int k;

		for (k = 0; k < n; k++)
			if (!strcmp(labs[k].name, job->sc->lab))
				break;
		if (k == n) {
			if (n == WC_REP_MAX_LABS) {
				k = n - 1;
			} else {
				memset(&labs[n], 0, sizeof(labs[n]));
				labs[n].name = job->sc->lab;
				n++;
			}
		}
		wc_tally_add(&labs[k].t, job, v);
		wc_tally_add(all, job, v);
		labs[k].tests++;
		labs[k].skipped += job->sc->level == WC_INFO && v->outcome != WC_PASS;
		labs[k].ms += v->ms;
	}
	return n;
}
