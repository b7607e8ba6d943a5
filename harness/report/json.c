/* json.c - machine-readable reports: the whole run as JSON (docs/report-json.md),
 * Gradescope's results.json and Autolab's autoresult line */
#include "report/json.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/explain.h"
#include "report/text.h"

static void tally(FILE *f, const wc_tally *t, const char *indent)
{
	fprintf(f,
		"{\n%s  \"passed\": %d,\n%s  \"failed\": %d,\n%s  \"warned\": %d,\n%s  \"errors\": %d,\n%s  \"info_passed\": %d,\n"
		"%s  \"info_failed\": %d,\n%s  \"points\": %d,\n%s  \"max_points\": %d\n%s}",
		indent, t->passed, indent, t->failed, indent, t->warned, indent, t->errors, indent, t->info_passed, indent, t->info_failed,
		indent, t->points, indent, t->max_points, indent);
}

/* "key": "value", with the indent of a scenario's fields */
static void kv(FILE *f, const char *key, const char *val)
{
	fprintf(f, "      \"%s\": ", key);
	wc_rep_jsons(f, val);
	fputs(",\n", f);
}

int wc_report_json(const wc_report_in *in, FILE *f)
{
	wc_rep_lab labs[WC_REP_MAX_LABS];
	wc_tally all;
	int nl = wc_rep_labs(in, labs, &all);
	char ts[32];

	wc_rep_iso_time(in->started_s, ts, sizeof(ts));
	fputs("{\n  \"format\": \"wirecheck-report\",\n  \"version\": 1,\n  \"impl\": ", f);
	wc_rep_jsons(f, in->impl ? in->impl : "");
	fputs(",\n  \"student\": ", f);
	wc_rep_jsons(f, in->student);
	fprintf(f, ",\n  \"started\": \"%sZ\",\n  \"started_unix\": %lld,\n  \"ms\": %lld,\n  \"not_run\": %d,\n",
		ts, in->started_s, in->ms, in->not_run);
	fputs("  \"tally\": ", f);
	tally(f, &all, "  ");
	fputs(",\n  \"labs\": [", f);
	for (int k = 0; k < nl; k++) {
		fprintf(f, "%s\n    {\n      \"lab\": ", k ? "," : "");
		wc_rep_jsons(f, labs[k].name);
		fprintf(f, ",\n      \"scenarios\": %d,\n      \"tally\": ", labs[k].tests);
		tally(f, &labs[k].t, "      ");
		fputs("\n    }", f);
	}
	fputs("\n  ],\n  \"faults\": [", f);
	{
		wc_rep_fault rf[64];
		int nf = wc_rep_faults(in, rf, 64);
		for (int k = 0; k < nf; k++) {
			fprintf(f, "%s\n    {\n      \"id\": ", k ? "," : "");
			wc_rep_jsons(f, rf[k].kind->id);
			fputs(",\n      \"what\": ", f);
			wc_rep_jsons(f, rf[k].kind->what);
			fprintf(f, ",\n      \"seen_in\": %d,\n      \"graded_in\": ", rf[k].seen);
			if (rf[k].graded_in >= 0)
				wc_rep_jsons(f, in->jobs[rf[k].graded_in].label);
			else
				fputs("null", f);
			fputs(",\n      \"first\": ", f);
			wc_rep_jsons(f, rf[k].first >= 0 ? in->jobs[rf[k].first].label : "");
			fprintf(f, ",\n      \"frame\": %u,\n      \"summary\": ", rf[k].frame);
			wc_rep_jsons(f, rf[k].summary ? rf[k].summary : "");
			fputs(",\n      \"hint\": ", f);
			wc_rep_jsons(f, rf[k].kind->hint);
			fputs("\n    }", f);
		}
	}
	fputs("\n  ],\n  \"scenarios\": [", f);
	for (int i = 0; i < in->n; i++) {
		const wc_job *job = &in->jobs[i];
		const wc_verdict *v = &in->v[i];
		const wc_scenario *sc = job->sc;

		fprintf(f, "%s\n    {\n", i ? "," : "");
		kv(f, "lab", sc->lab);
		kv(f, "id", sc->id);
		kv(f, "label", job->label);
		kv(f, "variant", job->variant);
		kv(f, "title", sc->title);
		kv(f, "level", wc_level_str(sc->level));
		fprintf(f, "      \"graded\": %s,\n      \"points\": %d,\n      \"score\": %d,\n",
			sc->level == WC_INFO ? "false" : "true", wc_rep_max(job), wc_rep_score(job, v));
		kv(f, "outcome", wc_rep_outcome(job, v));
		kv(f, "summary", v->outcome == WC_PASS ? "" : v->summary);
		kv(f, "fault", v->outcome == WC_PASS ? "" : v->fault);
		fputs("      \"findings\": [", f);
		for (int k = 0; k < v->nfindings; k++) {
			fputs(k ? ", {\"id\": " : "{\"id\": ", f);
			wc_rep_jsons(f, v->findings[k].id);
			fprintf(f, ", \"line\": %d, \"frame\": %u, \"summary\": ", v->findings[k].line, v->findings[k].frame);
			wc_rep_jsons(f, v->findings[k].summary);
			fputs("}", f);
		}
		fputs("],\n", f);
		fputs("      \"detail\": ", f);
		wc_rep_json(f, v->detail.len ? (const char *)v->detail.p : "", v->detail.len);
		fputs(",\n", f);
		kv(f, "scenario", sc->path);
		fprintf(f, "      \"line\": %d,\n", v->line);
		kv(f, "capture", v->pcap);
		fprintf(f, "      \"frame\": %u,\n      \"frames\": %lu,\n", v->frame, v->frames);
		kv(f, "found", v->found);
		if (v->oom_kills)
			fprintf(f, "      \"oom\": {\"limit\": %lld, \"killed\": %d, \"program_killed\": %s},\n",
				v->mem_limit, v->oom_kills, v->oom_killed ? "true" : "false");
		kv(f, "ref", sc->ref);
		kv(f, "hint", v->outcome == WC_PASS ? sc->hint : wc_rep_hint(job, v));
		fprintf(f, "      \"ms\": %lld,\n      \"drops\": %u,\n      \"retried\": %s,\n      \"reconstructed\": %s\n    }",
			(long long)v->ms, v->drops, v->retried ? "true" : "false", v->reconstructed ? "true" : "false");
	}
	fputs("\n  ]\n}\n", f);
	return 0;
}

int wc_report_gradescope(const wc_report_in *in, FILE *f)
{
	wc_rep_lab labs[WC_REP_MAX_LABS];
	wc_tally all;
	int nl = wc_rep_labs(in, labs, &all), rc = 0;
	int num[WC_REP_MAX_LABS] = {0};
	char *out = NULL;
	size_t outlen = 0;
	FILE *m = open_memstream(&out, &outlen);

	if (!m)
		return -1;
	for (int a = 0; a < in->nabsent; a++)
		all.max_points += in->absent[a].points;
	fprintf(m, "wirecheck: implementation %s%s%s%s\nscore %d/%d: %d passed, %d failed", in->impl ? in->impl : "",
		in->student ? " (" : "", in->student ? in->student : "", in->student ? ")" : "", all.points,
		all.max_points, all.passed, all.failed);
	if (all.errors)
		fprintf(m, " (%d could not be run by the harness)", all.errors);
	fputc('\n', m);
	for (int k = 0; k < nl; k++)
		fprintf(m, "%s: %d/%d\n", labs[k].name, labs[k].t.points, labs[k].t.max_points);
	for (int a = 0; a < in->nabsent; a++)
		fprintf(m, "%s: %s, 0/%d\n", in->absent[a].lab, in->absent[a].why, in->absent[a].points);
	fputc('\n', m);
	wc_report_text_faults(m, in);
	if (all.info_passed + all.info_failed)
		fprintf(m, "INFO scenarios (reported, not graded): %d as the reference does, %d otherwise\n",
			all.info_passed, all.info_failed);
	if (fclose(m) != 0) {
		free(out);
		return -1;
	}
	fprintf(f, "{\n  \"score\": %d,\n  \"max_score\": %d,\n  \"execution_time\": %lld,\n  \"output\": ", all.points,
		all.max_points, (in->ms + 999) / 1000);
	wc_rep_jsons(f, out);
	free(out);
	fputs(",\n  \"output_format\": \"text\",\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n"
	      "  \"extra_data\": {\"impl\": ",
	      f);
	wc_rep_jsons(f, in->impl ? in->impl : "");
	fprintf(f, ", \"passed\": %d, \"failed\": %d, \"errors\": %d},\n  \"tests\": [", all.passed, all.failed,
		all.errors);
	for (int i = 0; i < in->n; i++) {
		const wc_job *job = &in->jobs[i];
		const wc_verdict *v = &in->v[i];
		const wc_scenario *sc = job->sc;
		int k = wc_rep_lab_of(labs, nl, job);
		char *text = NULL, name[512], number[32];
		size_t tlen = 0;

		m = open_memstream(&text, &tlen);
		if (!m) {
			rc = -1;
			break;
		}
		if (sc->level == WC_INFO)
			fputs("INFO: reported, not graded.\n", m);
		else if (wc_rep_warns(job, v))
			fputs("WARN: a SHOULD check: its points are lost, it does not fail the run.\n", m);
		if (v->outcome == WC_ERROR)
			fputs("The harness could not run this scenario (not a fault of the submission): ", m);
		if (v->outcome == WC_PASS) {
			fprintf(m, "%s\n", sc->title);
			wc_report_explain(m, job, v, ""); /* the faults it saw that another scenario grades */
		} else {
			fprintf(m, "%s\n", v->summary);
			wc_report_explain(m, job, v, "");
		}
		if (fclose(m) != 0) {
			free(text);
			rc = -1;
			break;
		}
		snprintf(name, sizeof(name), "%s/%s: %s", sc->lab, job->label, sc->title);
		snprintf(number, sizeof(number), "%d.%d", k + 1, ++num[k]);
		fprintf(f, "%s\n    {\n      \"name\": ", i ? "," : "");
		wc_rep_jsons(f, name);
		fprintf(f, ",\n      \"number\": \"%s\",\n      \"score\": %d,\n      \"max_score\": %d,\n", number,
			wc_rep_score(job, v), wc_rep_max(job));
		fprintf(f, "      \"status\": \"%s\",\n      \"output\": ", v->outcome == WC_PASS ? "passed" : "failed");
		wc_rep_jsons(f, text);
		free(text);
		fputs(",\n      \"output_format\": \"text\",\n      \"visibility\": \"visible\",\n      \"tags\": [", f);
		wc_rep_jsons(f, sc->lab);
		fputs(", ", f);
		wc_rep_jsons(f, wc_level_str(sc->level));
		fputs("]\n    }", f);
	}
	/* what could not be run: a test each, its points lost */
	for (int a = 0; rc == 0 && a < in->nabsent; a++) {
		char name[256], *text = NULL;
		snprintf(name, sizeof(name), "%s: %s", in->absent[a].lab, in->absent[a].why);
		if (asprintf(&text, "Not run: %s, so the %d points of its scenarios are lost. %s\n", in->absent[a].why,
			     in->absent[a].points, in->absent[a].hint) < 0) {
			rc = -1;
			break;
		}
		fprintf(f, "%s\n    {\n      \"name\": ", in->n || a ? "," : "");
		wc_rep_jsons(f, name);
		fprintf(f, ",\n      \"score\": 0,\n      \"max_score\": %d,\n      \"status\": \"failed\",\n"
			   "      \"output\": ",
			in->absent[a].points);
		wc_rep_jsons(f, text);
		free(text);
		fputs(",\n      \"output_format\": \"text\",\n      \"visibility\": \"visible\",\n      \"tags\": [", f);
		wc_rep_jsons(f, in->absent[a].lab);
		fputs("]\n    }", f);
	}
	fputs("\n  ]\n}\n", f);
	return rc;
}

int wc_report_autolab(const wc_report_in *in, FILE *f)
{
	wc_rep_lab labs[WC_REP_MAX_LABS];
	wc_tally all;
	int nl = wc_rep_labs(in, labs, &all);

	wc_report_text(in, f, 0);
	/* the autoresult: the last line of the output (docs.autolabproject.com/lab) */
	fputs("{\"scores\": {", f);
	for (int k = 0; k < nl; k++) {
		fputs(k ? ", " : "", f);
		wc_rep_jsons(f, labs[k].name);
		fprintf(f, ": %d", labs[k].t.points);
	}
	fprintf(f, "}, \"scoreboard\": [%d", all.points);
	for (int k = 0; k < nl; k++)
		fprintf(f, ", %d", labs[k].t.points);
	fputs("]}\n", f);
	return 0;
}
