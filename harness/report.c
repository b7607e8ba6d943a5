/* report.c - the text report: a line per scenario, expected vs got on failure, a closing tally */
#include "report.h"

#include <string.h>

static const char *mark(const wc_job *job, const wc_verdict *v)
{
	if (job->sc->level == WC_INFO)
		return v->outcome == WC_PASS ? "info" : v->outcome == WC_FAIL ? "INFO" : "ERROR";
	return wc_outcome_str(v->outcome);
}

void wc_report_text_one(FILE *f, const wc_job *job, const wc_verdict *v)
{
	const wc_scenario *sc = job->sc;
	char name[200];
	int got = v->outcome == WC_PASS ? sc->points : 0;

	snprintf(name, sizeof(name), "%s/%s", sc->lab, job->label);
	if (sc->level == WC_INFO)
		fprintf(f, "%-5s %-34s %-6s  -    ", mark(job, v), name, "INFO");
	else
		fprintf(f, "%-5s %-34s %-6s %2d/%-2d ", mark(job, v), name, wc_level_str(sc->level), got, sc->points);
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
	if (v->line)
		fprintf(f, "      scenario: %s:%d: %s\n", sc->path, v->line, sc->title);
	else
		fprintf(f, "      scenario: %s: %s\n", sc->path, sc->title);
	for (size_t i = 0; i < v->detail.len;) {
		const uint8_t *nl = memchr(v->detail.p + i, '\n', v->detail.len - i);
		size_t n = nl ? (size_t)(nl - (v->detail.p + i)) : v->detail.len - i;
		fprintf(f, "    %.*s\n", (int)n, (const char *)v->detail.p + i);
		i += n + 1;
	}
	if (v->found[0])
		fprintf(f, "      found: %s\n", v->found);
	if (v->pcap[0]) {
		if (v->frame)
			fprintf(f, "      capture: %s, frame %u (Wireshark filter: frame.number == %u)\n", v->pcap,
				v->frame, v->frame);
		else
			fprintf(f, "      capture: %s\n", v->pcap);
	}
	if (sc->ref[0])
		fprintf(f, "      requirement: %s\n", sc->ref);
	if (sc->hint[0])
		fprintf(f, "      hint: %s\n", sc->hint);
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
