/* junit.c - JUnit XML (the shape Jenkins, GitLab and GitHub test reporters read):
 * a testsuite per lab, a testcase per scenario; INFO scenarios that differ are skipped */
#include "report/junit.h"

#include <stdlib.h>
#include <string.h>

#include "report/escape.h"
#include "report/explain.h"

static void secs(FILE *f, long long ms)
{
	fprintf(f, "%lld.%03lld", ms / 1000, ms % 1000);
}

static void testcase(FILE *f, const wc_job *job, const wc_verdict *v)
{
	const wc_scenario *sc = job->sc;
	char *text = v->outcome == WC_PASS && !wc_rep_pass_detail(v) ? NULL : wc_rep_explain_text(job, v, 0);

	fputs("    <testcase classname=\"wirecheck.", f);
	wc_rep_xmls(f, sc->lab, 1);
	fputs("\" name=\"", f);
	wc_rep_xmls(f, job->label, 1);
	fputs(" - ", f);
	wc_rep_xmls(f, sc->title, 1);
	fputs("\" time=\"", f);
	secs(f, v->ms);
	fputs("\">\n", f);
	if (v->outcome != WC_PASS) {
		const char *el = sc->level == WC_INFO ? "skipped" : v->outcome == WC_ERROR ? "error" : "failure";

		fprintf(f, "      <%s message=\"", el);
		if (sc->level == WC_INFO)
			fputs(v->outcome == WC_ERROR ? "INFO, not graded: harness error: " : "INFO, not graded: ", f);
		wc_rep_xmls(f, v->summary, 1);
		if (sc->level == WC_INFO) {
			/* Jenkins' schema gives skipped no type and most readers show no text of it:
			 * the explanation goes to system-out below */
			fputs("\"/>\n", f);
		} else {
			fprintf(f, "\" type=\"%s\">", wc_level_str(sc->level));
			wc_rep_xmls(f, text ? text : "(out of memory)", 0);
			fprintf(f, "</%s>\n", el);
		}
	}
	/* level, points and the capture for every case; GitLab and Jenkins' attachments
	 * plugin link a [[ATTACHMENT|path]] line */
	fprintf(f, "      <system-out>level %s, points %d/%d\n", wc_level_str(sc->level), wc_rep_score(job, v),
		wc_rep_max(job));
	if ((sc->level == WC_INFO || v->outcome == WC_PASS) && text)
		wc_rep_xmls(f, text, 0); /* an INFO's why; a pass's findings or memory note */
	if (v->pcap[0]) {
		fputs("[[ATTACHMENT|", f);
		wc_rep_xmls(f, v->pcap, 0);
		fputs("]]\n", f);
	}
	fputs("</system-out>\n    </testcase>\n", f);
	free(text);
}

int wc_report_junit(const wc_report_in *in, FILE *f)
{
	wc_rep_lab labs[WC_REP_MAX_LABS];
	wc_tally all;
	int nl = wc_rep_labs(in, labs, &all), skipped = 0, failures = 0;
	char ts[32];

	wc_rep_iso_time(in->started_s, ts, sizeof(ts));
	for (int k = 0; k < nl; k++) {
		skipped += labs[k].skipped;
		failures += labs[k].t.failed - labs[k].t.errors + labs[k].t.warned; /* a WARN is a failure element too */
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"wirecheck\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"",
		in->n, failures, all.errors, skipped);
	secs(f, in->ms);
	fputs("\">\n", f);
	for (int k = 0; k < nl; k++) {
		const wc_rep_lab *l = &labs[k];

		fputs("  <testsuite name=\"", f);
		wc_rep_xmls(f, l->name, 1);
		fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"", l->tests,
			l->t.failed - l->t.errors + l->t.warned, l->t.errors, l->skipped);
		secs(f, l->ms);
		fprintf(f, "\" timestamp=\"%s\">\n    <properties>\n", ts);
		fputs("      <property name=\"implementation\" value=\"", f);
		wc_rep_xmls(f, in->impl, 1);
		fputs("\"/>\n", f);
		if (in->student) {
			fputs("      <property name=\"student\" value=\"", f);
			wc_rep_xmls(f, in->student, 1);
			fputs("\"/>\n", f);
		}
		fprintf(f, "      <property name=\"score\" value=\"%d/%d\"/>\n    </properties>\n", l->t.points,
			l->t.max_points);
		for (int i = 0; i < in->n; i++)
			if (wc_rep_lab_of(labs, nl, &in->jobs[i]) == k)
				testcase(f, &in->jobs[i], &in->v[i]);
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	return 0;
}
