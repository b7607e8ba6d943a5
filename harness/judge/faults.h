/* faults.h - a judge's faults sorted as they are seen (LABS.md, Levels: one fault,
 * one deduction): a fault the scenario grades counts against it; a shared fault
 * that another scenario grades (scenario/finding.h) becomes a finding of the
 * verdict, and the judge goes on to the scenario's own subject */
#ifndef WC_FAULTS_H
#define WC_FAULTS_H

#include <stddef.h>

#include "judge/verdict.h"

typedef struct wc_faults {
	const char *subject;   /* the scenario's subject; NULL: every fault counts (inspect, unit tests) */
	wc_verdict *v;         /* where findings go; NULL: kept nowhere */
	int line;              /* the step that judges */
	unsigned frame;        /* the frame of the message judged */
	char *summary;         /* the first fault that counts, in words */
	size_t slen;
	char id[32];           /* its ID */
	int bad;               /* faults that count */
	int findings;          /* shared faults passed on as findings */
} wc_faults;

/* A faults collector writing its first counting fault to summary[0..slen). */
void wc_faults_init(wc_faults *f, const char *subject, wc_verdict *v, int line, unsigned frame, char *summary,
		    size_t slen);

/* Does a fault 'id' count against this scenario? */
int wc_fault_counts(const wc_faults *f, const char *id);

/* Records a fault. Returns 1 when it counts (the first one names the
 * scenario's failure), 0 when it became a finding. */
int wc_fault(wc_faults *f, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
