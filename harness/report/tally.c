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

const char *wc_rep_host_why(const wc_report_in *in)
{
	return in->host_why ? in->host_why : "two-host: no veth pair without network namespaces";
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

/* The job of [0, n) that grades 'id' for job i: the same lab, its subject naming
 * id; of several (variants), the one of job i's variant. -1 if none. */
static int owner_of(const wc_job *jobs, int n, int i, const char *id)
{
	int best = -1;

	for (int k = 0; k < n; k++) {
		if (jobs[k].lab != jobs[i].lab || !wc_subject_has(jobs[k].sc->subject, id))
			continue;
		if (best < 0 || (jobs[k].variant && jobs[i].variant && !strcmp(jobs[k].variant, jobs[i].variant)))
			best = k;
	}
	return best;
}

void wc_settle_findings(const wc_job *jobs, wc_verdict *v, int n)
{
	for (int i = 0; i < n; i++) {
		for (int f = 0; f < v[i].nfindings; f++) {
			const wc_finding *fi = &v[i].findings[f];
			const wc_finding_kind *fk = wc_finding_kind_of(fi->id);
			int o = fk && fk->shared == WC_FAULT_SHARED ? owner_of(jobs, n, i, fi->id) : -1;
			wc_verdict *ov;

			wc_buf_printf(&v[i].detail, "  also seen: %s (graded in %s%s%s): %s; line %d, frame %u\n", fi->id,
				      o >= 0 ? jobs[o].sc->lab : "", o >= 0 ? "/" : "",
				      o >= 0                                 ? jobs[o].label
				      : fk && fk->shared == WC_FAULT_SHARED ? "no scenario of this run"
									     : "the scenarios about it",
				      fi->summary, fi->line, fi->frame);
			if (o < 0 || o == i)
				continue;
			ov = &v[o];
			if (ov->outcome == WC_PASS) {
				ov->outcome = WC_FAIL;
				ov->charged = 1;
				ov->line = 0;
				ov->frame = 0;
				snprintf(ov->fault, sizeof(ov->fault), "%s", fi->id);
				snprintf(ov->summary, sizeof(ov->summary), "%s: seen in %s/%s: %s", fk->what,
					 jobs[i].sc->lab, jobs[i].label, fi->summary);
			}
			wc_buf_printf(&ov->detail, "  %s seen in %s/%s, line %d: %s\n    capture: %s, frame %u\n", fi->id,
				      jobs[i].sc->lab, jobs[i].label, fi->line, fi->summary, v[i].pcap, fi->frame);
		}
	}
}

int wc_rep_faults(const wc_report_in *in, wc_rep_fault *out, int max)
{
	int nk, nout = 0;
	const wc_finding_kind *kinds = wc_finding_kinds(&nk);

	for (int k = 0; k < nk && nout < max; k++) {
		wc_rep_fault rf;
		memset(&rf, 0, sizeof(rf));
		rf.kind = &kinds[k];
		rf.graded_in = -1;
		rf.first = -1;
		if (kinds[k].shared != WC_FAULT_SHARED)
			continue;
		for (int i = 0; i < in->n; i++) {
			const wc_verdict *v = &in->v[i];
			int seen = v->outcome == WC_FAIL && !v->charged && !strcmp(v->fault, kinds[k].id);
			for (int f = 0; f < v->nfindings && !seen; f++)
				if (!strcmp(v->findings[f].id, kinds[k].id)) {
					seen = 1;
					if (rf.first < 0) {
						rf.first = i;
						rf.frame = v->findings[f].frame;
						rf.summary = v->findings[f].summary;
					}
				}
			if (rf.graded_in < 0 && wc_subject_has(in->jobs[i].sc->subject, kinds[k].id))
				rf.graded_in = i; /* the scenario whose subject it is, whatever failed it */
			if (!seen)
				continue;
			rf.seen++;
			if (v->outcome == WC_FAIL && !v->charged && !strcmp(v->fault, kinds[k].id) &&
			    (rf.first < 0 || i < rf.first)) {
				rf.first = i;
				rf.frame = v->frame;
				rf.summary = v->summary;
			}
		}
		if (rf.seen)
			out[nout++] = rf;
	}
	return nout;
}
