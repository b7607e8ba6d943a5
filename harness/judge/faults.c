/* faults.c - a judge's faults: the scenario's own, or findings for the scenario that grades them */
#include "judge/faults.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario/finding.h"

void wc_faults_init(wc_faults *f, const char *subject, wc_verdict *v, int line, unsigned frame, char *summary,
		    size_t slen)
{
	memset(f, 0, sizeof(*f));
	f->subject = subject;
	f->v = v;
	f->line = line;
	f->frame = frame;
	f->summary = summary;
	f->slen = slen;
	if (slen)
		summary[0] = 0;
}

int wc_fault_counts(const wc_faults *f, const char *id)
{
	const wc_finding_kind *k = wc_finding_kind_of(id);

	if (!f->subject || !k || k->shared == WC_FAULT_ALWAYS)
		return 1;
	if (!f->subject[0])
		return k->shared == WC_FAULT_LOCAL; /* no subject line: every local fault */
	return wc_subject_has(f->subject, id);
}

int wc_fault(wc_faults *f, const char *id, const char *fmt, ...)
{
	char text[1000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (wc_fault_counts(f, id)) {
		if (f->bad++ == 0) {
			if (f->slen)
				snprintf(f->summary, f->slen, "%s", text);
			snprintf(f->id, sizeof(f->id), "%s", id);
		}
		return 1;
	}
	f->findings++;
	if (f->v) {
		wc_verdict *v = f->v;
		for (int i = 0; i < v->nfindings; i++)
			if (!strcmp(v->findings[i].id, id))
				return 0; /* the first sighting in a scenario is the evidence */
		if (v->nfindings < WC_MAX_FINDINGS) {
			wc_finding *fi = &v->findings[v->nfindings++];
			snprintf(fi->id, sizeof(fi->id), "%s", id);
			fi->line = f->line;
			fi->frame = f->frame;
			snprintf(fi->summary, sizeof(fi->summary), "%s", text);
		}
	}
	return 0;
}
