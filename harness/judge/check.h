/* check.h - verdicts from a run record: what the wire showed against what the scenario expects */
#ifndef WC_CHECK_H
#define WC_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"
#include "judge/record.h"
#include "judge/verdict.h"

/* Judges r. Reads only the record: the capture, the events, the processes. */
void wc_check(const wc_record *r, wc_verdict *v);

#endif
