/* tap.c - TAP version 13: a test point per scenario with a YAML block of
 * what went wrong; INFO scenarios that differ are skipped (not graded) */
#include "report/tap.h"
#include "report/explain.h"

#include <string.h>

#include "report/escape.h"

/* A test point's description: one line, '#' escaped so it is not read as a directive. */
static void desc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
	}
}

static void yaml(FILE *f, const char *key, const char *val)
{
	fprintf(f, "  %s: ", key);
	wc_rep_jsons(f, val); /* a JSON string is a YAML double-quoted scalar */
	fputc('\n', f);
}

int wc_report_tap(const wc_report_in *in, FILE *f)
{
	fprintf(f, "TAP version 13\n1..%d\n", in->n);
	for (int i = 0; i < in->n; i++) {
		const wc_job *job = &in->jobs[i];
		const wc_verdict *v = &in->v[i];
		const wc_scenario *sc = job->sc;
		int info = sc->level == WC_INFO;

		fprintf(f, "%s %d - ", v->outcome == WC_PASS || info ? "ok" : "not ok", i + 1);
		desc(f, sc->lab);
		fputc('/', f);
		desc(f, job->label);
		fputs(": ", f);
		desc(f, sc->title);
		if (info && v->outcome != WC_PASS)
			fputs(" # SKIP not graded", f);
		else if (wc_rep_warns(job, v))
			fputs(" # TODO WARN: a SHOULD check, its points lost; it does not fail the run", f);
		fputc('\n', f);
		if (v->outcome == WC_PASS) {
			if (wc_rep_pass_detail(v)) {
				/* passed on its subject; the faults it saw are graded
				 * elsewhere, the memory limit's kills are noted */
				fputs(v->nfindings ? "  ---\n  findings: " : "  ---\n  detail: ", f);
				wc_rep_json(f, (const char *)v->detail.p, v->detail.len);
				fputs("\n  ...\n", f);
			}
			continue;
		}
		fputs("  ---\n", f);
		yaml(f, "summary", v->summary);
		yaml(f, "outcome", wc_rep_outcome(job, v));
		yaml(f, "level", wc_level_str(sc->level));
		fprintf(f, "  points: %d\n  max_points: %d\n", wc_rep_score(job, v), wc_rep_max(job));
		yaml(f, "scenario", sc->path);
		if (v->line)
			fprintf(f, "  line: %d\n", v->line);
		if (v->detail.len) {
			fputs("  detail: ", f);
			wc_rep_json(f, (const char *)v->detail.p, v->detail.len);
			fputc('\n', f);
		}
		if (v->found[0])
			yaml(f, "found", v->found);
		if (v->pcap[0])
			yaml(f, "capture", v->pcap);
		if (v->frame)
			fprintf(f, "  frame: %u\n", v->frame);
		if (sc->ref[0])
			yaml(f, "requirement", sc->ref);
		if (wc_rep_hint(job, v)[0])
			yaml(f, "hint", wc_rep_hint(job, v));
		fputs("  ...\n", f);
	}
	return 0;
}
