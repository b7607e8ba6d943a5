/* tap.h - the TAP version 13 report */
#ifndef WC_TAP_H
#define WC_TAP_H

#include <stdio.h>

#include "report/tally.h"

/* The whole run as TAP. 0, or -1. */
int wc_report_tap(const wc_report_in *in, FILE *f);

#endif
