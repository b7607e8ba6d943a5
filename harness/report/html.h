/* html.h - one self-contained HTML page: verdicts, sequence diagrams, decoded DNS and HTTP */
#ifndef WC_HTML_H
#define WC_HTML_H

#include <stdio.h>

#include "report/tally.h"

/* The whole run as one HTML page. 0, or -1. */
int wc_report_html(const wc_report_in *in, FILE *f);

#endif
