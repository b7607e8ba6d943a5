/* verdict.h - what one scenario run comes to: PASS, FAIL or ERROR, with the
 * evidence (summary, expected vs got, capture and frame) that the reports show */
#ifndef WC_VERDICT_H
#define WC_VERDICT_H

#include <stdint.h>

#include "cursor.h"

enum wc_outcome {
	WC_PASS,
	WC_FAIL,   /* the implementation did not do what the scenario asks */
	WC_ERROR,  /* the harness could not run the scenario: not graded */
};

#define WC_MAX_FINDINGS 12

/* A shared fault (scenario/finding.h) seen in this scenario's exchange */
typedef struct wc_finding {
	char id[32];           /* "http/crlf" */
	int line;              /* scenario line of the step that saw it */
	unsigned frame;        /* pcap frame that shows it, 0 if none */
	char summary[240];     /* what was seen: "Date: 2 h 00 min ahead of the capture's clock" */
} wc_finding;

typedef struct wc_verdict {
	enum wc_outcome outcome;
	int line;              /* scenario line of the failed step, 0 for the scenario as a whole */
	unsigned frame;        /* frame of the pcap that shows the fault, 0 if none */
	char summary[1100];     /* one line: what is wrong */
	wc_buf detail;         /* lines: expected vs got, field by field, bytes */
	char found[256];       /* what the harness found: the port bound, the address targeted */
	char pcap[1024];
	unsigned long frames;
	unsigned drops;
	int64_t ms;            /* wall time of the run */
	int retried;           /* run again after the capture dropped frames */
	int credit_pct;        /* FAIL that still earns this percent of the points (a rubric's partial credit) */
	char fault[32];        /* a FAIL's fault ID (scenario/finding.h), "" when it has none */
	wc_finding findings[WC_MAX_FINDINGS]; /* shared faults seen here that another scenario grades */
	int nfindings;
	int charged;           /* a FAIL set after the run: its subject's fault seen in other scenarios */
	int oom_kills;         /* processes of the program the scenario's memory limit killed
				  (wc_proc.oom_kills), the program itself among them or not */
	int oom_killed;        /* the program itself was one (wc_proc.oom_killed) */
	long long mem_limit;   /* that limit, in bytes */
	int reconstructed;     /* the pcap was made of the harness's own sockets (no capture could
				  be opened: sandbox/transcript.h), not seen on the wire */
} wc_verdict;

void wc_verdict_init(wc_verdict *v);
void wc_verdict_free(wc_verdict *v);
const char *wc_outcome_str(enum wc_outcome o);

#endif
