/* text.c - the text report: a line per scenario, expected vs got on failure, a closing tally */
#include "report/text.h"

#include <string.h>

#include "report/explain.h"
#include "sandbox/cgroup.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

static const char *mark(const wc_job *job, const wc_verdict *v)
{
	if (job->sc->level == WC_INFO)
		return v->outcome == WC_PASS ? "info" : v->outcome == WC_FAIL ? "INFO" : "ERROR";
	if (wc_rep_warns(job, v))
		return "WARN";
	return wc_outcome_str(v->outcome);
}

static const char *mark_color(const char *m)
{
	if (!strcmp(m, "PASS"))
		return GREEN;
	if (!strcmp(m, "FAIL"))
		return RED;
	if (!strcmp(m, "ERROR") || !strcmp(m, "INFO") || !strcmp(m, "WARN"))
		return YELLOW;
	return NULL;
}

void wc_report_text_one_color(FILE *f, const wc_job *job, const wc_verdict *v, int color)
{
	const wc_scenario *sc = job->sc;
	const char *m = mark(job, v), *c = color ? mark_color(m) : NULL;
	char name[200];
	int got = wc_rep_score(job, v); /* a rubric's partial credit shows too */

	snprintf(name, sizeof(name), "%s/%s", sc->lab, job->label);
	if (c)
		fprintf(f, "%s%-5s%s ", c, m, RESET);
	else
		fprintf(f, "%-5s ", m);
	if (sc->level == WC_INFO)
		fprintf(f, "%-34s %-6s  -    ", name, "INFO");
	else
		fprintf(f, "%-34s %-6s %2d/%-2d ", name, wc_level_str(sc->level), got, sc->points);
	if (v->outcome == WC_PASS) {
		fprintf(f, "%s%s%s%s", v->pcap, v->found[0] ? "  (" : "", v->found, v->found[0] ? ")" : "");
		if (v->drops)
			fprintf(f, "  [the capture dropped %u frames]", v->drops);
		if (v->retried)
			fprintf(f, "  [run twice: the first capture dropped frames]");
		if (v->reconstructed)
			fprintf(f, "  [capture reconstructed from the harness's sockets, not seen on the wire]");
		if (v->oom_kills) {
			char size[32];
			wc_cgroup_bytes_str(v->mem_limit, size, sizeof(size));
			fprintf(f, "  [the scenario's memory limit (%s for all its processes together) was reached: "
				"%d of its processes %s killed]", size, v->oom_kills, v->oom_kills == 1 ? "was" : "were");
		}
		fputc('\n', f);
		wc_report_explain(f, job, v, "    "); /* the findings it saw, if any */
		return;
	}
	fprintf(f, "%s\n", v->summary);
	wc_report_explain(f, job, v, "    ");
}

void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v)
{
	wc_report_text_one_color(f, job, v, 0);
}

void wc_report_text_summary(FILE *f, const wc_tally *t, int not_run)
{
	fprintf(f, "\nscore %d/%d\n", t->points, t->max_points);
	if (t->info_passed + t->info_failed)
		fprintf(f, "info: %d as the reference does, %d otherwise (reported, not graded)\n", t->info_passed,
			t->info_failed);
	if (not_run)
		fprintf(f, "not run: %d scenarios of other variants or roles\n", not_run);
	if (t->warned)
		fprintf(f, "warnings: %d SHOULD checks failed (WARN: their points are lost, the run is not failed; "
			"--strict fails it)\n", t->warned);
	if (t->errors)
		fprintf(f, "harness errors: %d (counted as failed; see ERROR lines)\n", t->errors);
	fprintf(f, "%d passed, %d failed\n", t->passed, t->failed);
}

/* The shared faults first, each once: what it is, where it was seen, where it is graded. */
void wc_report_text_faults(FILE *f, const wc_report_in *in)
{
	wc_rep_fault rf[64];
	int n = wc_rep_faults(in, rf, 64);

	if (!n)
		return;
	fprintf(f, "faults (each costs points once, in the scenario that grades it):\n");
	for (int i = 0; i < n; i++) {
		const wc_rep_fault *r = &rf[i];
		fprintf(f, "  %-20s %s\n", r->kind->id, r->kind->what);
		fprintf(f, "  %-20s seen in %d scenario%s, ", "", r->seen, r->seen == 1 ? "" : "s");
		if (r->graded_in >= 0 && in->jobs[r->graded_in].sc->level == WC_INFO)
			fprintf(f, "reported in %s/%s (INFO: not graded)", in->jobs[r->graded_in].sc->lab,
				in->jobs[r->graded_in].label);
		else if (r->graded_in >= 0)
			fprintf(f, "graded in %s/%s (%d points)", in->jobs[r->graded_in].sc->lab, in->jobs[r->graded_in].label,
				in->jobs[r->graded_in].sc->points);
		else
			fprintf(f, "graded in no scenario of this run");
		if (r->first >= 0)
			fprintf(f, "; first in %s/%s, %s, frame %u: %s", in->jobs[r->first].sc->lab, in->jobs[r->first].label,
				in->v[r->first].pcap, r->frame, r->summary);
		fputc('\n', f);
		if (r->kind->hint[0])
			fprintf(f, "  %-20s hint: %s\n", "", r->kind->hint);
	}
	fputc('\n', f);
}

int wc_report_text(const wc_report_in *in, FILE *f, int color)
{
	wc_tally t;

	wc_report_text_faults(f, in);
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < in->n; i++) {
		wc_report_text_one_color(f, &in->jobs[i], &in->v[i], color);
		wc_tally_add(&t, &in->jobs[i], &in->v[i]);
	}
	wc_report_text_summary(f, &t, in->not_run - in->host_not_run);
	if (in->host_not_run)
		fprintf(f, "not run in host mode: %d scenarios (%s)\n", in->host_not_run,
			wc_rep_host_why(in));
	return 0;
}
