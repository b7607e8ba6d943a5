/* report.c - the one entry point that writes a run's report in any format, and the
 * names and files of the formats */
#include "report/report.h"

#include <errno.h>
#include <string.h>

#include "report/html.h"
#include "report/json.h"
#include "report/junit.h"
#include "report/tap.h"
#include "report/text.h"

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
