/* rubric.c - the rubric profile parser and its application to parsed scenarios */
#include "scenario/rubric.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/lab.h"

static int bad(const wc_rubric *r, int line, char *err, size_t errlen, const char *msg, const char *arg)
{
	snprintf(err, errlen, "%s:%d: %s%s%s%s", r->path, line, msg, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return -1;
}

/* LAB[/SCENARIO] into the rule; the lab must exist. */
static int target(wc_rubric *r, wc_rubric_rule *ru, const char *w, int need_id, char *err, size_t errlen)
{
	const char *slash = strchr(w, '/');
	size_t ll = slash ? (size_t)(slash - w) : strlen(w);

	if (ll == 0 || ll >= sizeof(ru->lab))
		return bad(r, ru->line, err, errlen, "not a lab or LAB/SCENARIO:", w);
	memcpy(ru->lab, w, ll);
	ru->lab[ll] = 0;
	if (!wc_lab_find(ru->lab))
		return bad(r, ru->line, err, errlen, "unknown lab", ru->lab);
	if (slash) {
		if (!slash[1] || strlen(slash + 1) >= sizeof(ru->id))
			return bad(r, ru->line, err, errlen, "not a scenario name:", w);
		snprintf(ru->id, sizeof(ru->id), "%s", slash + 1);
	} else if (need_id) {
		return bad(r, ru->line, err, errlen, "this rule names one scenario (LAB/SCENARIO), not", w);
	}
	return 0;
}

static int number(const char *w, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(w, &end, 10);
	if (errno || *end || end == w || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int wc_rubric_load(const char *path, wc_rubric *r, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *words[4] = {NULL}, *save = NULL, *hash = strchr(line, '#');
		int nw = 0;
		wc_rubric_rule *ru;

		lineno++;
		if (hash)
			*hash = 0;
		for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
			if (nw == 4) {
				fclose(f);
				return bad(r, lineno, err, errlen, "too many words", NULL);
			}
			words[nw++] = w;
		}
		if (nw == 0)
			continue;
		if (r->n == WC_RUBRIC_RULES) {
			fclose(f);
			return bad(r, lineno, err, errlen, "too many rules", NULL);
		}
		ru = &r->rules[r->n];
		memset(ru, 0, sizeof(*ru));
		ru->line = lineno;
		if (!strcmp(words[0], "off") && nw == 2) {
			ru->kind = WC_RUBRIC_OFF;
			if (target(r, ru, words[1], 0, err, errlen) < 0)
				goto fail;
		} else if (!strcmp(words[0], "points") && nw == 3) {
			ru->kind = WC_RUBRIC_POINTS;
			if (target(r, ru, words[1], 1, err, errlen) < 0)
				goto fail;
			if (number(words[2], 0, 1000, &ru->value) < 0) {
				bad(r, lineno, err, errlen, "points take 0 to 1000, not", words[2]);
				goto fail;
			}
		} else if (!strcmp(words[0], "level") && nw == 3) {
			ru->kind = WC_RUBRIC_LEVEL;
			if (target(r, ru, words[1], 1, err, errlen) < 0)
				goto fail;
			if (!strcmp(words[2], "MUST"))
				ru->value = WC_MUST;
			else if (!strcmp(words[2], "SHOULD"))
				ru->value = WC_SHOULD;
			else if (!strcmp(words[2], "INFO"))
				ru->value = WC_INFO;
			else {
				bad(r, lineno, err, errlen, "a level is MUST, SHOULD or INFO, not", words[2]);
				goto fail;
			}
		} else if (!strcmp(words[0], "variant") && nw == 3) {
			const wc_lab *lab;
			ru->kind = WC_RUBRIC_VARIANT;
			if (target(r, ru, words[1], 0, err, errlen) < 0)
				goto fail;
			lab = wc_lab_find(ru->lab);
			if (ru->id[0] || !wc_lab_variant(lab, words[2])) {
				bad(r, lineno, err, errlen, ru->id[0] ? "a variant is chosen for a lab, not a scenario:"
								      : "the lab has no variant",
				    ru->id[0] ? words[1] : words[2]);
				goto fail;
			}
			snprintf(ru->variant, sizeof(ru->variant), "%s", words[2]);
			ru->used = 1;
		} else if (!strcmp(words[0], "ascii-hex") && nw == 3) {
			ru->kind = WC_RUBRIC_ASCII_HEX;
			if (target(r, ru, words[1], 0, err, errlen) < 0)
				goto fail;
			if (strcmp(ru->lab, "dns")) {
				bad(r, lineno, err, errlen, "ascii-hex credit is for the dns lab, not", ru->lab);
				goto fail;
			}
			if (number(words[2], 0, 100, &ru->value) < 0) {
				bad(r, lineno, err, errlen, "a credit is a percent, 0 to 100, not", words[2]);
				goto fail;
			}
		} else if (!strcmp(words[0], "framing") && nw == 3) {
			/* the session checks take either framing (LABS.md 2); a course may require one */
			ru->kind = WC_RUBRIC_FRAMING;
			if (target(r, ru, words[1], 0, err, errlen) < 0)
				goto fail;
			if (!strcmp(words[2], "raw"))
				ru->value = WC_FRAMING_RAW;
			else if (!strcmp(words[2], "lines"))
				ru->value = WC_FRAMING_LINES;
			else {
				bad(r, lineno, err, errlen, "framing is 'raw' or 'lines', not", words[2]);
				goto fail;
			}
		} else {
			bad(r, lineno, err, errlen,
			    "expected 'off LAB[/SCENARIO]', 'points LAB/SCENARIO N', 'level LAB/SCENARIO LEVEL', "
			    "'variant LAB NAME', 'ascii-hex dns[/SCENARIO] PERCENT' or 'framing LAB[/SCENARIO] raw|lines', "
			    "not",
			    words[0]);
			goto fail;
		}
		r->n++;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	return -1;
}

static int matches(const wc_rubric_rule *ru, const wc_scenario *sc)
{
	return !strcmp(ru->lab, sc->lab) && (!ru->id[0] || !strcmp(ru->id, sc->id));
}

int wc_rubric_apply(wc_rubric *r, wc_scenario *scs, int n, char *err, size_t errlen)
{
	for (int i = 0; i < r->n; i++) {
		wc_rubric_rule *ru = &r->rules[i];
		if (ru->kind == WC_RUBRIC_VARIANT)
			continue;
		for (int k = 0; k < n; k++) {
			wc_scenario *sc = &scs[k];
			if (!matches(ru, sc))
				continue;
			ru->used = 1;
			switch (ru->kind) {
			case WC_RUBRIC_OFF: sc->off = 1; break;
			case WC_RUBRIC_POINTS: sc->points = ru->value; break;
			case WC_RUBRIC_LEVEL: sc->level = (enum wc_level)ru->value; break;
			case WC_RUBRIC_ASCII_HEX: sc->ascii_hex_credit = ru->value; break;
			case WC_RUBRIC_FRAMING:
				if (sc->framing_any)
					sc->framing = ru->value;
				break;
			default: break;
			}
		}
		if (!ru->used) {
			/* a rule for a lab not loaded this time (wirecheck run dns) waits for its lab */
			int lab_loaded = 0;
			for (int k = 0; k < n; k++)
				lab_loaded |= !strcmp(scs[k].lab, ru->lab);
			if (!lab_loaded)
				continue;
			snprintf(err, errlen, "%s:%d: no scenario %s%s%s", r->path, ru->line, ru->lab, ru->id[0] ? "/" : "",
				 ru->id);
			return -1;
		}
	}
	return 0;
}

const char *wc_rubric_variant(const wc_rubric *r, const char *lab)
{
	for (int i = r ? r->n : 0; i-- > 0;)
		if (r->rules[i].kind == WC_RUBRIC_VARIANT && !strcmp(r->rules[i].lab, lab))
			return r->rules[i].variant;
	return NULL;
}
