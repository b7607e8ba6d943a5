/* report.c - the text report (a line per scenario, expected vs got on failure, a
 * closing tally) and the one entry point that writes any format */
#include "report/report.h"

#include <errno.h>
#include <string.h>

#include "report/escape.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

static const char *mark(const wc_job *job, const wc_verdict *v)
{
	if (job->sc->level == WC_INFO)
		return v->outcome == WC_PASS ? "info" : v->outcome == WC_FAIL ? "INFO" : "ERROR";
	return wc_outcome_str(v->outcome);
}

static const char *mark_color(const char *m)
{
	if (!strcmp(m, "PASS"))
		return GREEN;
	if (!strcmp(m, "FAIL"))
		return RED;
	if (!strcmp(m, "ERROR") || !strcmp(m, "INFO"))
		return YELLOW;
	return NULL;
}

void wc_report_explain(FILE *f, const wc_job *job, const wc_verdict *v, const char *indent)
{
	const wc_scenario *sc = job->sc;
	const char *in2 = *indent ? "  " : ""; /* the text report's lines below the table stand out */

	if (v->outcome == WC_PASS)
		return;
	if (v->line)
		fprintf(f, "%s%sscenario: %s:%d: %s\n", indent, in2, sc->path, v->line, sc->title);
	else
		fprintf(f, "%s%sscenario: %s: %s\n", indent, in2, sc->path, sc->title);
	for (size_t i = 0; i < v->detail.len;) {
		const uint8_t *nl = memchr(v->detail.p + i, '\n', v->detail.len - i);
		size_t n = nl ? (size_t)(nl - (v->detail.p + i)) : v->detail.len - i;
		fprintf(f, "%s%.*s\n", indent, (int)n, (const char *)v->detail.p + i);
		i += n + 1;
	}
	if (v->found[0])
		fprintf(f, "%s%sfound: %s\n", indent, in2, v->found);
	if (v->pcap[0]) {
		if (v->frame)
			fprintf(f, "%s%scapture: %s, frame %u (Wireshark filter: frame.number == %u)\n", indent, in2,
				v->pcap, v->frame, v->frame);
		else
			fprintf(f, "%s%scapture: %s\n", indent, in2, v->pcap);
	}
	if (sc->ref[0])
		fprintf(f, "%s%srequirement: %s\n", indent, in2, sc->ref);
	if (sc->hint[0])
		fprintf(f, "%s%shint: %s\n", indent, in2, sc->hint);
}

void wc_report_text_one_color(FILE *f, const wc_job *job, const wc_verdict *v, int color)
{
	const wc_scenario *sc = job->sc;
	const char *m = mark(job, v), *c = color ? mark_color(m) : NULL;
	char name[200];
	int got = v->outcome == WC_PASS ? sc->points : 0;

	snprintf(name, sizeof(name), "%s/%s", sc->lab, job->label);
	if (c)
		fprintf(f, "%s%-5s%s ", c, m, RESET);
	else
		fprintf(f, "%-5s ", m);
	if (sc->level == WC_INFO)
		fprintf(f, "%-34s %-6s  -    ", name, "INFO");
	else
		fprintf(f, "%-34s %-6s %2d/%-2d ", name, wc_level_str(sc->level), got, sc->points);
	if (v->outcome == WC_PASS) {
		fprintf(f, "%s%s%s%s", v->pcap, v->found[0] ? "  (" : "", v->found, v->found[0] ? ")" : "");
		if (v->drops)
			fprintf(f, "  [the capture dropped %u frames]", v->drops);
		if (v->retried)
			fprintf(f, "  [run twice: the first capture dropped frames]");
		fputc('\n', f);
		return;
	}
	fprintf(f, "%s\n", v->summary);
	wc_report_explain(f, job, v, "    ");
}

void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v)
{
	wc_report_text_one_color(f, job, v, 0);
}

void wc_tally_add(wc_tally *t, const wc_job *job, const wc_verdict *v)
{
	const wc_scenario *sc = job->sc;

	if (sc->level == WC_INFO) {
		if (v->outcome == WC_PASS)
			t->info_passed++;
		else
			t->info_failed++;
		return;
	}
	t->max_points += sc->points;
	if (v->outcome == WC_PASS) {
		t->passed++;
		t->points += sc->points;
	} else if (v->outcome == WC_ERROR) {
		t->errors++;
		t->failed++;
	} else {
		t->failed++;
		t->points += sc->points * v->credit_pct / 100; /* a rubric's partial credit */
	}
}

void wc_report_text_summary(FILE *f, const wc_tally *t, int not_run)
{
	fprintf(f, "\nscore %d/%d\n", t->points, t->max_points);
	if (t->info_passed + t->info_failed)
		fprintf(f, "info: %d as the reference does, %d otherwise (reported, not graded)\n", t->info_passed,
			t->info_failed);
	if (not_run)
		fprintf(f, "not run: %d scenarios of other variants or roles\n", not_run);
	if (t->errors)
		fprintf(f, "harness errors: %d (counted as failed; see ERROR lines)\n", t->errors);
	fprintf(f, "%d passed, %d failed\n", t->passed, t->failed);
}

int wc_report_text(const wc_report_in *in, FILE *f, int color)
{
	wc_tally t;

	memset(&t, 0, sizeof(t));
	for (int i = 0; i < in->n; i++) {
		wc_report_text_one_color(f, &in->jobs[i], &in->v[i], color);
		wc_tally_add(&t, &in->jobs[i], &in->v[i]);
	}
	wc_report_text_summary(f, &t, in->not_run);
	return 0;
}

static const struct {
	const char *name, *file;
} formats[] = {
	{"text", "report.txt"},	   {"junit", "junit.xml"},	 {"tap", "report.tap"},	  {"json", "wirecheck.json"},
	{"gradescope", "results.json"}, {"autolab", "autolab.txt"}, {"html", "report.html"},
};

int wc_report_known(const char *format)
{
	return wc_report_file(format) != NULL;
}

const char *wc_report_file(const char *format)
{
	for (size_t i = 0; format && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(format, formats[i].name))
			return formats[i].file;
	return NULL;
}

int wc_report_write(const char *format, const wc_report_in *in, FILE *f, int color)
{
	int rc;

	if (!wc_report_known(format)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	if (!strcmp(format, "text"))
		rc = wc_report_text(in, f, color);
	else if (!strcmp(format, "junit"))
		rc = wc_report_junit(in, f);
	else if (!strcmp(format, "tap"))
		rc = wc_report_tap(in, f);
	else if (!strcmp(format, "json"))
		rc = wc_report_json(in, f);
	else if (!strcmp(format, "gradescope"))
		rc = wc_report_gradescope(in, f);
	else if (!strcmp(format, "autolab"))
		rc = wc_report_autolab(in, f);
	else
		rc = wc_report_html(in, f);
	if (fflush(f) != 0 || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	if (rc < 0 && !errno)
		errno = ENOMEM;
	return rc < 0 ? -1 : 0;
}

int wc_report_formats(const char *list, char out[][16], int max)
{
	int n = 0;
	const char *p = list;

	while (*p && n < max) {
		size_t l = strcspn(p, ",");
		snprintf(out[n++], 16, "%.*s", (int)(l < 15 ? l : 15), p);
		p += l + (p[l] == ',');
	}
	return n;
}
