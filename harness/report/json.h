/* json.h - the JSON reports: wirecheck's own, Gradescope's results.json, Autolab's autoresult */
#ifndef WC_JSON_H
#define WC_JSON_H

#include <stdio.h>

#include "report/tally.h"

/* The whole run, each as its format. 0, or -1. */
int wc_report_json(const wc_report_in *in, FILE *f);
int wc_report_gradescope(const wc_report_in *in, FILE *f);
int wc_report_autolab(const wc_report_in *in, FILE *f);

#endif
