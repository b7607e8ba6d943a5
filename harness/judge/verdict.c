/* verdict.c - the verdict of one scenario run: made, freed, named */
#include "judge/verdict.h"

#include <string.h>

void wc_verdict_init(wc_verdict *v)
{
	memset(v, 0, sizeof(*v));
	wc_buf_init(&v->detail, 64 * 1024);
}

void wc_verdict_free(wc_verdict *v)
{
	wc_buf_free(&v->detail);
}

const char *wc_outcome_str(enum wc_outcome o)
{
	return o == WC_PASS ? "PASS" : o == WC_FAIL ? "FAIL" : "ERROR";
}
