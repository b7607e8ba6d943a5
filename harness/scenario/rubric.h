/* rubric.h - a course's rubric profile: scenarios re-weighted, re-levelled or switched off,
 * variants chosen, partial credit, without editing the scenario files */
#ifndef WC_RUBRIC_H
#define WC_RUBRIC_H

#include <stddef.h>

#include "scenario/scenario.h"

#define WC_RUBRIC_RULES 256

typedef struct wc_rubric_rule {
	enum { WC_RUBRIC_OFF, WC_RUBRIC_POINTS, WC_RUBRIC_LEVEL, WC_RUBRIC_VARIANT, WC_RUBRIC_ASCII_HEX, WC_RUBRIC_FRAMING } kind;
	char lab[32];
	char id[128];          /* "" for the whole lab */
	int value;             /* points, level (enum wc_level), or percent of credit */
	char variant[WC_NAME_MAX];
	int line;
	int used;              /* matched a scenario (an unused rule is reported) */
} wc_rubric_rule;

typedef struct wc_rubric {
	char path[512];
	wc_rubric_rule rules[WC_RUBRIC_RULES];
	int n;
} wc_rubric;

/*
 * Reads a rubric file: '#' comments, blank lines, and one rule a line:
 *   off LAB[/SCENARIO]            not graded (not run)
 *   points LAB/SCENARIO N         N points (0..1000)
 *   level LAB/SCENARIO MUST|SHOULD|INFO
 *   variant LAB NAME              the lab is graded in this variant
 *   ascii-hex dns[/SCENARIO] PCT  a DNS message sent as ASCII hex text that
 *                                 spells the right bytes earns PCT% of the points
 * Labs, variants and levels are checked; scenario names are checked by
 * wc_rubric_apply. 0, or -1 with "file:line: message" in err.
 */
int wc_rubric_load(const char *path, wc_rubric *r, char *err, size_t errlen);
/* Applies the rules to the scenarios; a rule naming no scenario of a lab that
 * was loaded is an error ("file:line: no scenario dns/nope"). 0, or -1 with err. */
int wc_rubric_apply(wc_rubric *r, wc_scenario *scs, int n, char *err, size_t errlen);
/* The variant the rubric chooses for lab, or NULL. */
const char *wc_rubric_variant(const wc_rubric *r, const char *lab);

#endif
