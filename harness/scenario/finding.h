/* finding.h - the faults the judges name, by a stable ID (LABS.md, Levels: one
 * fault, one deduction). A scenario's 'subject' line names the faults it grades.
 * A fault of a message's form (CRLF, a header, a DNS flag) can show in every
 * scenario: it is shared, exactly one scenario of its lab grades it, and
 * elsewhere it is a finding, reported and charged to that scenario once. A local
 * fault (a status, a body, an answer) counts where the subject names it; a
 * message that cannot be read at all counts everywhere. Faults without an ID (no
 * reply, a crash, a reset) always count. */
#ifndef WC_FINDING_H
#define WC_FINDING_H

enum wc_fault_scope {
	WC_FAULT_LOCAL,     /* what an exchange is about (a status, a body, an answer): counts in every
			       scenario whose subject names it, and in a scenario with no subject line */
	WC_FAULT_SHARED,    /* the form of every message: counts in the one scenario of its lab whose
			       subject names it; seen elsewhere, it is charged there (tally.h) */
	WC_FAULT_ALWAYS,    /* the message cannot be judged at all (not HTTP, not DNS): counts everywhere */
};

typedef struct wc_finding_kind {
	const char *id;     /* "http/crlf" */
	int shared;         /* enum wc_fault_scope */
	const char *what;   /* the fault in words, for the report's faults section */
	const char *hint;   /* what to do; "" where no hint fits every case */
} wc_finding_kind;

/* The kind of 'id', or NULL for an ID no judge uses. */
const wc_finding_kind *wc_finding_kind_of(const char *id);

/* The catalog, in the order the reports list faults; *n set to its length. */
const wc_finding_kind *wc_finding_kinds(int *n);

/* True when the space-separated list 'subject' holds 'id'. */
int wc_subject_has(const char *subject, const char *id);

#endif
