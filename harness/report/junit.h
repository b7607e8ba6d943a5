/* junit.h - the JUnit XML report (one testsuite a lab) */
#ifndef WC_JUNIT_H
#define WC_JUNIT_H

#include <stdio.h>

#include "report/tally.h"

/* The whole run as JUnit XML. 0, or -1. */
int wc_report_junit(const wc_report_in *in, FILE *f);

#endif
