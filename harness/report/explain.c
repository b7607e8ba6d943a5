/* explain.c - why a verdict did not pass, as lines (the text report indents them) */
#include "report/explain.h"
#include "scenario/finding.h"

#include <stdlib.h>
#include <string.h>

const char *wc_rep_hint(const wc_job *job, const wc_verdict *v)
{
	const wc_finding_kind *k = v->fault[0] ? wc_finding_kind_of(v->fault) : NULL;

	/* the fault's own where it has one; the scenario's for the fault it is
	 * about; none for a shared fault without one or a message that could not
	 * be read, where the scenario's advice would miss the point */
	if (k && k->hint[0])
		return k->hint;
	return k && k->shared != WC_FAULT_LOCAL ? "" : job->sc->hint;
}

/* The verdict's detail, each line after indent. */
static void detail_lines(FILE *f, const wc_verdict *v, const char *indent)
{
	for (size_t i = 0; i < v->detail.len;) {
		const uint8_t *nl = memchr(v->detail.p + i, '\n', v->detail.len - i);
		size_t n = nl ? (size_t)(nl - (v->detail.p + i)) : v->detail.len - i;
		fprintf(f, "%s%.*s\n", indent, (int)n, (const char *)v->detail.p + i);
		i += n + 1;
	}
}

int wc_rep_pass_detail(const wc_verdict *v)
{
	return v->outcome == WC_PASS && v->detail.len && (v->nfindings || v->oom_kills);
}

void wc_report_explain(FILE *f, const wc_job *job, const wc_verdict *v, const char *indent)
{
	const wc_scenario *sc = job->sc;
	const char *in2 = *indent ? "  " : ""; /* the text report's lines below the table stand out */

	const wc_finding_kind *k = v->fault[0] ? wc_finding_kind_of(v->fault) : NULL;
	const char *hint = wc_rep_hint(job, v);

	if (v->outcome == WC_PASS) {
		/* passed on its subject; the shared faults it saw are graded
		 * elsewhere, the memory limit's kills are noted */
		if (wc_rep_pass_detail(v))
			detail_lines(f, v, indent);
		return;
	}
	if (v->fault[0])
		fprintf(f, "%s%sfault: %s%s\n", indent, in2, v->fault,
			k && k->shared == WC_FAULT_SHARED ? " (graded in this scenario, once for the whole submission)" : "");
	if (v->line)
		fprintf(f, "%s%sscenario: %s:%d: %s\n", indent, in2, sc->path, v->line, sc->title);
	else
		fprintf(f, "%s%sscenario: %s: %s\n", indent, in2, sc->path, sc->title);
	detail_lines(f, v, indent);
	if (v->found[0])
		fprintf(f, "%s%sfound: %s\n", indent, in2, v->found);
	if (v->pcap[0]) {
		if (v->frame)
			fprintf(f, "%s%scapture: %s, frame %u (Wireshark filter: frame.number == %u)\n", indent, in2,
				v->pcap, v->frame, v->frame);
		else
			fprintf(f, "%s%scapture: %s\n", indent, in2, v->pcap);
	}
	if (sc->ref[0])
		fprintf(f, "%s%srequirement: %s\n", indent, in2, sc->ref);
	if (hint[0])
		fprintf(f, "%s%shint: %s\n", indent, in2, hint);
}

char *wc_rep_explain_text(const wc_job *job, const wc_verdict *v, int with_summary)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	if (with_summary && v->outcome != WC_PASS)
		fprintf(m, "%s\n", v->summary);
	wc_report_explain(m, job, v, "");
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}
