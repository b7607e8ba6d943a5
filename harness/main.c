/* main.c - the wirecheck command line: list, run; the only place that exits */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grade/grade.h"
#include "grade/submit.h"
#include "inspect.h"
#include "scenario/lab.h"
#include "scenario/manifest.h"
#include "report/report.h"
#include "scenario/rubric.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "scenario/finding.h"
#include "run/preflight.h"
#include "sandbox/subid.h"
#include "sandbox/host.h"
#include "sandbox/transcript.h"

#define EXIT_PASS 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 3
#define MAX_SCENARIOS 1024

static const char usage[] =
	"usage: wirecheck list [LAB,...] [--lab LAB,...]\n"
	"       wirecheck run [LAB[/SCENARIO],...] [--lab LAB,...] [--server CMD] [--client CMD] [--dir DIR]\n"
	"                     [-j N] [--variant NAME,...] [--name NAME] [--student-name NAME] [--captures DIR]\n"
	"                     [--format text,junit,tap,json,gradescope,autolab,html] [--out DIR]\n"
	"                     [--rubric FILE] [--strict] [--isolation auto|namespaces|host]\n"
	"       wirecheck grade SUBMISSIONS_DIR [-j N] [--out DIR] [--shard I/N] [--lab LAB,...]\n"
	"                     [--format LIST] [--rubric FILE] [--strict] [--isolation MODE]\n"
	"       wirecheck detect SUBMISSION_DIR\n"
	"       wirecheck merge GRADEBOOK.csv...\n"
	"       wirecheck inspect FILE.pcap... [--lab dns|http] [--format LIST] [--out DIR] [--fields]\n"
	"       wirecheck doctor [LAB...] [--fixtures DIR] [--isolation MODE]\n"
	"       wirecheck help\n"
	"\n"
	"Grades socket-programming labs inside network namespaces, from what the wire shows.\n"
	"With no --server or --client, 'run' grades the reference implementations.\n"
	"Every option or argument that takes a list takes a comma list and may be repeated:\n"
	"'--lab http,dns' is '--lab http --lab dns', 'run http,dns' is 'run http dns'.\n"
	"\n"
	"run options:\n"
	"  --server CMD      shell command of a server under test (e.g. 'python3 UDPServer.py')\n"
	"  --client CMD      shell command of a client under test\n"
	"  --dir DIR         submission folder, copied privately for each scenario (default: .)\n"
	"  -j, --jobs N      scenarios at once (default 1)\n"
	"  --lab LAB,...     labs to run or list, as the LAB arguments (repeatable)\n"
	"  --variant NAME,...  lab variants to grade (repeatable; default: the lab's first;\n"
	"                    the references are graded in every variant)\n"
	"  --name NAME       implementation name in capture paths (default: reference, or DIR's name)\n"
	"  --captures DIR    where pcap files go (default: captures)\n"
	"  --fixtures DIR    scenario folders (default: the installed or source fixtures/)\n"
	"  --format LIST     report formats, comma-separated (repeatable): text (default), junit, tap, json,\n"
	"                    gradescope, autolab, html; one goes to standard output, several\n"
	"                    need --out\n"
	"  --out DIR         write each format to its file in DIR (report.txt, junit.xml,\n"
	"                    report.tap, wirecheck.json, results.json, autolab.txt, report.html);\n"
	"                    the text report still goes to standard output\n"
	"  --ready-timeout MS  how long a server may take to bind its port (default 5000)\n"
	"  --isolation MODE  auto (default): namespaces where this machine can make them, else host\n"
	"                    mode, said in one line; namespaces: an ERROR where they cannot be made;\n"
	"                    host: scenarios one at a time in this machine's network namespace (a\n"
	"                    container's loopback), each program in a private folder under its own uid,\n"
	"                    a client under test redirected by an LD_PRELOAD shim, two-host\n"
	"                    scenarios not run (-j is 1)\n"
	"  --strict          a SHOULD check that fails fails the run (exit status 1), as a MUST\n"
	"                    does; without it, it is a WARN: its points are lost, the run passes\n"
	"  --rubric FILE     a course's rubric (run, grade, list): 'off LAB[/ID]', 'points LAB/ID N',\n"
	"                    'level LAB/ID LEVEL', 'variant LAB NAME', 'ascii-hex dns[/ID] PERCENT'\n"
	"  --student-name NAME  the name a name-echo server appends (default: the 'name' line of\n"
	"                    the submission's wirecheck.manifest, else Ali)\n"
	"\n"
	"grade grades each folder of SUBMISSIONS_DIR: the commands come from its\n"
	"wirecheck.manifest, else from the labs' usual file names (UDPServer.py, TCPServer.py,\n"
	"webserver.py, server.py and client.py, .java and .c too) found anywhere in its tree,\n"
	"regardless of case, '-', '_' and spaces, near misses (UPDClient.py) taken as guesses,\n"
	"each confirmed by what its source does. Writes DIR/gradebook.csv\n"
	"(default DIR: grades), a report per submission, and the captures. One run at a time\n"
	"writes into DIR (another is refused, exit 2); a run that does not finish leaves\n"
	"DIR/PARTIAL naming the submissions done, and gradebook.csv as it was.\n"
	"  --out DIR         where grading results go\n"
	"  --shard I/N       grade the I-th of N equal shares of the submissions\n"
	"  --lab LAB,...     grade only these labs (repeatable)\n"
	"  --format LIST     more report files per submission beside report.txt (junit, json, ...)\n"
	"merge joins the gradebook.csv files of shards into one, on standard output.\n"
	"\n"
	"detect prints what 'grade' would run for one submission, running nothing: manifest\n"
	"lines one can save as SUBMISSION_DIR/wirecheck.manifest and edit ('build ...',\n"
	"'udp-echo.server cd Lab2 && python3 UDPServer.py'), '#' lines for guesses and for\n"
	"the files left out and why. Exit status 0, 2 when SUBMISSION_DIR is not a folder.\n"
	"\n"
	"doctor checks what running scenarios needs of this machine, as 'run' and 'grade'\n"
	"do before their first scenario: the reference programs and fixtures, the\n"
	"namespaces, a program in the sandbox (as its unprivileged user) reaching the\n"
	"reference programs and the labs' files, a veth pair, nftables, a capture on lo;\n"
	"and whether each program gets a cgroup (memory for all its processes together).\n"
	"It prints each check and says what is wrong; exit status 0 when all pass, else 3.\n"
	"\n"
	"inspect checks a capture someone brings by the lab's rules, each DNS message (each\n"
	"response against its query) or HTTP response a check of its own, in the same report\n"
	"formats; --fields prints each message as the decoders read it instead (tab-separated\n"
	"key=value fields, one message a line).\n"
	"\n"
	"Levels (LABS.md): a MUST that fails is FAIL and fails the run; a SHOULD that fails is\n"
	"WARN (points lost, the run not failed; FAIL with --strict); INFO is reported, never graded.\n"
	"Exit status: 0 no MUST check failed (WARNs allowed), 1 some MUST (or, with --strict,\n"
	"SHOULD) check failed, 2 usage or scenario error, 3 internal error.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "wirecheck: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\ntry 'wirecheck help'\n");
	va_end(ap);
	return EXIT_USAGE;
}

/*
 * Adds the items of a comma list (one value of a repeatable option, or a
 * positional argument) to items[*n..max). Each item is a copy in a static
 * pool that lives until the program exits (nothing to free, nothing leaked).
 * Returns 0, or EXIT_USAGE after a message naming the empty item or the
 * overflow (what: "--lab", "--variant", "lab").
 */
static int add_list(const char *what, const char *arg, const char **items, int *n, int max)
{
	static char pool[16384];
	static size_t used;
	const char *p = arg;

	for (;;) {
		size_t l = strcspn(p, ",");
		char *item;
		if (l == 0)
			return usage_error("%s takes a comma list with no empty item, not '%s'", what, arg);
		if (*n >= max)
			return usage_error("too many items for %s (at most %d): '%.*s'", what, max, (int)l, p);
		if (l + 1 > sizeof(pool) - used)
			return usage_error("the lists of %s are too long (%zu characters in all at most)", what,
					   sizeof(pool));
		item = pool + used;
		memcpy(item, p, l);
		item[l] = 0;
		used += l + 1;
		items[(*n)++] = item;
		if (!p[l])
			return 0;
		p += l + 1;
	}
}

/* --format LIST, repeatable: each item checked, appended to the formats so far
 * (at most 8, each once). Returns 0 or EXIT_USAGE after a message naming the bad item. */
static int add_formats(const char *arg, char *joined, size_t n)
{
	const char *items[8];
	int count = 0, rc;
	char have[8][16];
	int nhave = wc_report_formats(joined, have, 8);

	if ((rc = add_list("--format", arg, items, &count, 8)) != 0)
		return rc;
	for (int i = 0; i < count; i++) {
		int dup = 0;
		if (strlen(items[i]) > 15 || !wc_report_known(items[i]))
			return usage_error("unknown format '%s' in --format '%s' (text, junit, tap, json, gradescope, "
					   "autolab, html)", items[i], arg);
		for (int k = 0; k < nhave; k++)
			dup |= !strcmp(have[k], items[i]);
		if (dup)
			continue;
		if (nhave >= 8)
			return usage_error("too many formats (at most 8): '%s'", items[i]);
		snprintf(have[nhave++], 16, "%s", items[i]);
		snprintf(joined + strlen(joined), n - strlen(joined), "%s%s", *joined ? "," : "", items[i]);
	}
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void exe_dir(char *buf, size_t n)
{
	ssize_t r = readlink("/proc/self/exe", buf, n - 1);
	char *slash;

	if (r < 0) {
		snprintf(buf, n, ".");
		return;
	}
	buf[r] = 0;
	slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
}

/* Shortens an absolute path to one relative to the working folder when it lies below it. */
static void tidy_path(char *buf, size_t n)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	size_t cl;

	if (!realpath(buf, real))
		return;
	if (getcwd(cwd, sizeof(cwd)) && (cl = strlen(cwd)) && !strncmp(real, cwd, cl) && real[cl] == '/')
		snprintf(buf, n, "%s", real + cl + 1);
	else
		snprintf(buf, n, "%s", real);
}

static void find_fixtures(char *buf, size_t n, const char *given)
{
	char exe[PATH_MAX];
	const char *env = getenv("WIRECHECK_FIXTURES");

	if (given) {
		snprintf(buf, n, "%s", given);
		return;
	}
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return;
	}
	exe_dir(exe, sizeof(exe));
	snprintf(buf, n, "%s/../../fixtures", exe); /* build/bin -> the source tree */
	if (is_dir(buf)) {
		tidy_path(buf, n);
		return;
	}
	snprintf(buf, n, "%s/../share/wirecheck/fixtures", exe); /* PREFIX/bin -> PREFIX/share */
	if (is_dir(buf)) {
		tidy_path(buf, n);
		return;
	}
	snprintf(buf, n, "%s/fixtures", WC_DATADIR);
}

static void find_refdir(char *buf, size_t n)
{
	char probe[PATH_MAX + 32];

	char exe[PATH_MAX];

	exe_dir(exe, sizeof(exe));
	snprintf(buf, n, "%s", exe); /* the build tree: all programs side by side */
	snprintf(probe, sizeof(probe), "%s/udp-echo-server", buf);
	if (access(probe, X_OK) == 0)
		return;
	snprintf(buf, n, "%s/../libexec/wirecheck", exe); /* PREFIX/bin -> PREFIX/libexec, wherever installed */
	snprintf(probe, sizeof(probe), "%s/udp-echo-server", buf);
	if (access(probe, X_OK) == 0)
		return;
	snprintf(buf, n, "%s", WC_LIBEXECDIR);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads fixtures/LAB/ *.scn, sorted. Errors go to stderr; returns how many failed. */
static int load_lab(const char *fixtures, const wc_lab *lab, wc_scenario *out, int *n, int max)
{
	char dir[PATH_MAX], *names[MAX_SCENARIOS];
	int count = 0, bad = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", fixtures, lab->name);
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "wirecheck: cannot open scenario folder '%s': %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL && count < MAX_SCENARIOS) {
		size_t l = strlen(e->d_name);
		if (l > 4 && !strcmp(e->d_name + l - 4, ".scn"))
			names[count++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)count, sizeof(names[0]), by_name);
	for (int i = 0; i < count; i++) {
		char path[PATH_MAX * 2], err[1200];
		if (!names[i]) {
			bad++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		free(names[i]);
		if (*n >= max) {
			fprintf(stderr, "wirecheck: more than %d scenarios\n", max);
			bad++;
			continue;
		}
		if (wc_scenario_load(path, &out[*n], err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			bad++;
			continue;
		}
		if (strcmp(out[*n].lab, lab->name)) {
			fprintf(stderr, "%s:1: 'lab %s' does not match its folder '%s'\n", path, out[*n].lab, lab->name);
			wc_scenario_free(&out[*n]);
			bad++;
			continue;
		}
		/* a shared fault is graded in one scenario of its lab (finding.h) */
		for (int k = 0; k < *n && out[*n].subject[0]; k++) {
			char one[256], *save = NULL, *id;
			if (strcmp(out[k].lab, lab->name))
				continue;
			snprintf(one, sizeof(one), "%s", out[*n].subject);
			for (id = strtok_r(one, " ", &save); id; id = strtok_r(NULL, " ", &save))
				if (wc_finding_kind_of(id)->shared == WC_FAULT_SHARED && wc_subject_has(out[k].subject, id))
					break;
			if (id) {
				fprintf(stderr, "%s:%d: subject: '%s' is graded in %s already; a fault is graded in one "
						"scenario\n", path, out[*n].subject_line, id, out[k].path);
				bad++;
				break;
			}
		}
		(*n)++;
	}
	return bad;
}

typedef struct cli {
	const char *server, *client, *dir, *name, *fixtures_opt, *student;
	const char *variants[16];
	int nvariants;
	const char *labs[64];
	int nlabs;
	wc_run_opts run;
	wc_manifest manifest;
	int student_given;
	int strict;              /* --strict: SHOULD failures fail the run */
	int isolation;           /* --isolation: enum wc_isolation */
	char host_why[300];      /* auto chose host mode: why namespaces cannot be made */
	const char *out;         /* run: where the report files go; grade: the gradebook */
	const char *formats;     /* --format, comma-separated: NULL or formats_buf */
	char formats_buf[160];   /* every --format's items, each once */
	wc_rubric *rubric;       /* --rubric, NULL if none */
	int shard_i, shard_n;
	const char *grade_labs[16];
	int ngrade_labs;
	char impl[128];
	char fixtures[PATH_MAX];
} cli;

/* Is lab (and scenario id) selected by the LAB[/SCENARIO] arguments? */
static int selected(const cli *c, const wc_scenario *sc)
{
	if (c->nlabs == 0)
		return 1;
	for (int i = 0; i < c->nlabs; i++) {
		const char *a = c->labs[i], *slash = strchr(a, '/');
		size_t ll = slash ? (size_t)(slash - a) : strlen(a);
		if (strlen(sc->lab) == ll && !strncmp(a, sc->lab, ll) && (!slash || !strcmp(slash + 1, sc->id)))
			return 1;
	}
	return 0;
}

/* The variant a scenario runs under: the first selected one it applies to. */
static const char *variant_for(const cli *c, const wc_lab *lab, const wc_scenario *sc)
{
	int reference = !c->server && !c->client;

	if (c->nvariants) {
		for (int i = 0; i < c->nvariants; i++)
			if (wc_scenario_has_variant(sc, c->variants[i]))
				return c->variants[i];
		return NULL;
	}
	if (!reference) {
		const char *rv = wc_rubric_variant(c->rubric, lab->name);
		if (rv)
			return wc_scenario_has_variant(sc, rv) ? rv : NULL;
		return wc_scenario_has_variant(sc, lab->variants[0].name) ? lab->variants[0].name : NULL;
	}
	for (int i = 0; i < lab->nvariants; i++)
		if (wc_scenario_has_variant(sc, lab->variants[i].name))
			return lab->variants[i].name;
	return NULL;
}

static void impl_name(cli *c)
{
	const char *src = c->name;
	char abs[PATH_MAX];
	size_t j = 0;

	if (!src && !c->server && !c->client)
		src = "reference";
	if (!src && c->dir && realpath(c->dir, abs))
		src = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
	if (!src || !*src)
		src = "submission";
	for (size_t i = 0; src[i] && j < sizeof(c->impl) - 1; i++) {
		char ch = src[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			 ch == '-' || ch == '_' || ch == '.';
		c->impl[j++] = ok ? ch : '_';
	}
	c->impl[j] = 0;
	if (!strcmp(c->impl, ".") || !strcmp(c->impl, ".."))
		snprintf(c->impl, sizeof(c->impl), "submission");
}

static int check_labs(const cli *c)
{
	for (int i = 0; i < c->nlabs; i++) {
		char name[64];
		const char *slash = strchr(c->labs[i], '/');
		snprintf(name, sizeof(name), "%.*s", (int)(slash ? slash - c->labs[i] : (long)strlen(c->labs[i])),
			 c->labs[i]);
		if (!wc_lab_find(name))
			return usage_error("unknown lab '%s' (see 'wirecheck list')", name);
	}
	return 0;
}

static int load_all(cli *c, wc_scenario *scs, int *n)
{
	int bad = 0;

	for (int i = 0; wc_lab_at(i); i++) {
		const wc_lab *lab = wc_lab_at(i);
		int wanted = c->nlabs == 0;
		for (int k = 0; k < c->nlabs; k++)
			if (!strncmp(c->labs[k], lab->name, strlen(lab->name)) &&
			    (c->labs[k][strlen(lab->name)] == 0 || c->labs[k][strlen(lab->name)] == '/'))
				wanted = 1;
		if (wanted)
			bad += load_lab(c->fixtures, lab, scs, n, MAX_SCENARIOS);
	}
	if (!bad && c->rubric) {
		char err[1200];
		if (wc_rubric_apply(c->rubric, scs, *n, err, sizeof(err)) < 0) {
			fprintf(stderr, "wirecheck: %s\n", err);
			bad++;
		}
	}
	return bad;
}

static int cmd_list(cli *c)
{
	static wc_scenario scs[MAX_SCENARIOS];
	int n = 0, rc = check_labs(c);

	if (rc)
		return rc;
	if (load_all(c, scs, &n))
		return EXIT_USAGE;
	for (int i = 0; wc_lab_at(i); i++) {
		const wc_lab *lab = wc_lab_at(i);
		int shown = 0;
		for (int k = 0; k < n; k++) {
			const wc_scenario *sc = &scs[k];
			char vars[128] = "";
			if (strcmp(sc->lab, lab->name) || !selected(c, sc))
				continue;
			if (!shown++) {
				printf("%s - %s\n  variants:", lab->name, lab->title);
				for (int v = 0; v < lab->nvariants; v++)
					printf(" %s%s", lab->variants[v].name, v == 0 ? " (default)" : "");
				printf("\n");
			}
			for (int v = 0; v < sc->nvariants; v++)
				snprintf(vars + strlen(vars), sizeof(vars) - strlen(vars), "%s%s", v ? "," : " [", sc->variants[v]);
			if (sc->nvariants)
				snprintf(vars + strlen(vars), sizeof(vars) - strlen(vars), "]");
			printf("  %-28s %-6s %-6s %2d  %s%s\n", sc->id, sc->role == WC_TEST_SERVER ? "server" : "client",
			       wc_level_str(sc->level), sc->points, sc->title, vars);
		}
	}
	for (int k = 0; k < n; k++)
		wc_scenario_free(&scs[k]);
	return EXIT_PASS;
}

/* The reports of a run: the text on stdout (coloured on a terminal, unless
 * NO_COLOR), and with --out each format into its file there; without --out a
 * single other format goes to stdout instead. */
static int write_reports(const cli *c, const wc_report_in *in)
{
	char fmts[8][16];
	int n = wc_report_formats(c->formats ? c->formats : "text", fmts, 8), rc = 0;
	int color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	if (!c->out) {
		/* one format (checked when parsed): on stdout */
		if (wc_report_write(fmts[0], in, stdout, !strcmp(fmts[0], "text") && color) < 0) {
			fprintf(stderr, "wirecheck: writing the %s report: %s\n", fmts[0], strerror(errno));
			return EXIT_INTERNAL;
		}
		return 0;
	}
	mkdir(c->out, 0755);
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];
		FILE *f;
		if (!strcmp(fmts[i], "text") && wc_report_write("text", in, stdout, color) < 0)
			rc = EXIT_INTERNAL;
		snprintf(path, sizeof(path), "%s/%s", c->out, wc_report_file(fmts[i]));
		f = fopen(path, "w");
		if (!f || wc_report_write(fmts[i], in, f, 0) < 0 || fclose(f) != 0) {
			fprintf(stderr, "wirecheck: cannot write %s: %s\n", path, strerror(errno));
			rc = EXIT_INTERNAL;
			continue;
		}
		fprintf(stderr, "wirecheck: %s report: %s\n", fmts[i], path);
	}
	return rc;
}

/* Prints the checks of a preflight: all of them, or only those that failed. */
static void print_preflight(FILE *f, const wc_preflight *pf, int all)
{
	for (int i = 0; i < pf->n; i++)
		if (all || !pf->item[i].ok)
			fprintf(f, "%-6s %s: %s\n", pf->item[i].ok ? "ok" : "ERROR", pf->item[i].name, pf->item[i].detail);
}

/* What holds the memory of the programs under test, in words: "each scenario's
 * program in a cgroup of its own (cgroup v1): ...", or why there is none. 1 if a cgroup. */
static int cgroup_words(const cli *c, char *buf, size_t n)
{
	char why[400], mem[32];

	wc_cgroup_bytes_str(c->run.limits.mem_bytes, mem, sizeof(mem));
	if (wc_cgroup_usable(why, sizeof(why))) {
		snprintf(buf, n, "each scenario's program in a cgroup of its own (%s): %s of memory for all its "
			 "processes together, at most %d tasks",
			 wc_cgroup_kind(), mem, c->run.limits.nproc);
		return 1;
	}
	/* what that leaves open, in the words (issue 18: six children of 900 MiB,
	 * a 3 GiB shared mapping) */
	wc_cgroup_bytes_str(c->run.limits.data_bytes, mem, sizeof(mem));
	snprintf(buf, n, "no cgroup for the programs (%s): memory is limited per process only (%s of data each: "
		 "several processes, or a shared mapping, may take more together)", why, mem);
	return 0;
}

/* Host mode where this process may not open a packet socket (no CAP_NET_RAW):
 * the run record is reconstructed from the harness's own sockets, which is
 * said once, with the reason (issue 19). quiet: not said. */
static void choose_capture(cli *c, int quiet)
{
	char why[200];

	if (!c->run.host || !wc_capture_denied(why, sizeof(why)))
		return;
	c->run.reconstruct = 1;
	if (!quiet)
		fprintf(stderr, "wirecheck: cannot capture here (%s: no CAP_NET_RAW): %s\n", why, WC_TRANSCRIPT_LOSES);
}

/* --isolation: host mode when asked, or (auto) when this machine cannot make
 * namespaces, which is then said once, with the reason (issue 19). quiet: not said. */
static void choose_isolation(cli *c, int quiet)
{
	char why[300];

	c->run.host = c->isolation == WC_ISO_HOST;
	if (c->isolation == WC_ISO_AUTO && wc_host_probe(why, sizeof(why)) != 0) {
		c->run.host = 1;
		if (!quiet)
			fprintf(stderr, "wirecheck: cannot make namespaces here (%s): host mode: %s\n", why,
				WC_HOST_LOSES);
		snprintf(c->host_why, sizeof(c->host_why), "%s", why);
	}
	choose_capture(c, quiet);
}

/* Whom the programs under test run as, in words: as root a uid of their own,
 * rootless a subordinate id of the user's or (where there is none to be had)
 * the user's own uid, with what that exposes and how to end it. 1 if never
 * the grading user. */
static int identity_words(char *buf, size_t n)
{
	char words[700], fix[500];

	if (geteuid() == 0) {
		snprintf(buf, n, "as root, the programs run as uids of their own, one per sandbox of a run, never yours");
		return 1;
	}
	if (wc_subids_usable(NULL, words, sizeof(words), fix, sizeof(fix))) {
		snprintf(buf, n, "the programs run as subordinate ids of yours, one per sandbox of a run, never your own "
			 "uid: %s",
			 words);
		return 1;
	}
	snprintf(buf, n,
		 "the programs run as your own uid %u (rootless, %s): a file you can read is theirs to read "
		 "wherever the sandbox shows it (the lab's folder at ../lab, the reference programs, the folder "
		 "WIRECHECK_WRITABLE names), a 0600 one included; to give them uids of their own: %s",
		 (unsigned)getuid(), words, fix);
	return 0;
}

/* Before the first scenario: what the machine must allow, checked once. 0, or
 * EXIT_INTERNAL with every failure said (the scenarios would each fail the same way). */
static int preflight(cli *c, const wc_lab *const *labs, int nlabs, int needs)
{
	wc_preflight pf;
	int rc;

	if (c->run.host && c->run.jobs > 1) {
		fprintf(stderr, "wirecheck: host mode runs one scenario at a time (-j %d taken as -j 1): the "
			"scenarios share this machine's ports\n", c->run.jobs);
		c->run.jobs = 1;
	}

	wc_run_catch_interrupts(); /* a SIGINT during the preflight stops the run as one during it would */
	wc_subids_usable(NULL, NULL, 0, NULL, 0); /* probed once, here: every worker forked after has the same answer */
	rc = wc_preflight_run(&c->run, c->fixtures, labs, nlabs, needs, &pf);
	if (wc_run_interrupted()) {
		wc_preflight_reap();
		wc_run_clean_stale();
		fprintf(stderr, "wirecheck: interrupted; workers stopped and their folders removed\n");
		return 130;
	}
	if (rc == 0) {
		/* not an error: the rlimits still hold each process; said once per run */
		char words[1400];
		if (!cgroup_words(c, words, sizeof(words)))
			fprintf(stderr, "wirecheck: %s\n", words);
		/* rootless with no subordinate ids: what running as the user exposes, once */
		if (!identity_words(words, sizeof(words)))
			fprintf(stderr, "wirecheck: %s\n", words);
		return 0;
	}
	wc_preflight_reap();
	fprintf(stderr, "wirecheck: this machine cannot run the scenarios; nothing was graded:\n");
	print_preflight(stderr, &pf, 0);
	fprintf(stderr, "wirecheck: fix what is named above; 'wirecheck doctor' checks again\n");
	return EXIT_INTERNAL;
}

/* The labs, once each, and what the jobs need of the machine. */
static int job_needs(const wc_job *jobs, int n, const wc_lab **labs, int *nlabs)
{
	int needs = 0;

	*nlabs = 0;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (k < *nlabs && labs[k] != jobs[i].lab)
			k++;
		if (k == *nlabs && *nlabs < 64)
			labs[(*nlabs)++] = jobs[i].lab;
		if (jobs[i].sc->role == WC_TEST_CLIENT)
			needs |= WC_NEED_REDIRECT;
		if (jobs[i].sc->hosts == 2)
			needs |= WC_NEED_VETH;
	}
	return needs;
}

/* wirecheck doctor [LAB...]: the preflight alone, every check printed. */
static int cmd_doctor(cli *c)
{
	const wc_lab *labs[64];
	wc_preflight pf;
	int n = 0;

	if (c->server || c->client || c->dir)
		return usage_error("'doctor' takes only lab names and --fixtures%s", "");
	for (int i = 0; i < c->nlabs; i++)
		if (!(labs[n++] = wc_lab_find(c->labs[i])))
			return usage_error("unknown lab '%s' (see 'wirecheck list')", c->labs[i]);
	for (int i = 0; c->nlabs == 0 && wc_lab_at(i) && n < 64; i++)
		labs[n++] = wc_lab_at(i);
	choose_isolation(c, 1);
	if (c->run.host)
		printf("wirecheck doctor: host mode%s%s%s: %s; the programs under test run as %s\n",
		       c->host_why[0] ? " (cannot make namespaces here: " : " (--isolation host", c->host_why,
		       ")", WC_HOST_LOSES, geteuid() == 0 ? "an unprivileged uid" : "your uid");
	else
		printf("wirecheck doctor: %s, the programs under test run as %s\n",
		       geteuid() == 0 ? "as root" : "rootless (as your user, in a user namespace)",
		       geteuid() == 0				 ? "an unprivileged uid"
		       : wc_subids_usable(NULL, NULL, 0, NULL, 0) ? "a subordinate uid of yours, with no capability"
								  : "your uid, with no capability");
	wc_preflight_run(&c->run, c->fixtures, labs, n, WC_NEED_ALL, &pf);
	wc_preflight_reap();
	print_preflight(stdout, &pf, 1);
	{
		/* a note, not a check: without a cgroup, scenarios run, limited per process */
		char words[1400];
		int ok = cgroup_words(c, words, sizeof(words));
		printf("%-6s cgroups: %s\n", ok ? "ok" : "note", words);
		/* a note too: rootless with no subordinate ids, the programs run as you */
		ok = identity_words(words, sizeof(words));
		printf("%-6s identity: %s\n", ok ? "ok" : "note", words);
	}
	if (pf.failed) {
		printf("%d of %d checks failed: scenarios cannot run here until what is named above is fixed\n",
		       pf.failed, pf.n);
		return EXIT_INTERNAL;
	}
	printf("all %d checks passed\n", pf.n);
	return EXIT_PASS;
}

static int cmd_run(cli *c)
{
	long long started_s = (long long)time(NULL);
	int64_t started_ms = wc_now_ms();
	static wc_scenario scs[MAX_SCENARIOS];
	static wc_job jobs[MAX_SCENARIOS];
	static wc_verdict v[MAX_SCENARIOS];
	int n = 0, nj = 0, not_run = 0, host_not_run = 0, rc = check_labs(c);
	wc_tally t;

	if (rc)
		return rc;
	if (load_all(c, scs, &n))
		return EXIT_USAGE;
	choose_isolation(c, 0);
	for (int k = 0; k < c->nvariants; k++) {
		int known = 0;
		for (int i = 0; wc_lab_at(i); i++)
			known |= wc_lab_variant(wc_lab_at(i), c->variants[k]) != NULL;
		if (!known)
			return usage_error("unknown variant '%s' (see 'wirecheck list')", c->variants[k]);
	}
	if (c->dir && !is_dir(c->dir))
		return usage_error("submission folder '%s' does not exist", c->dir);
	if (c->server || c->client) {
		/* the submission's manifest names the student, unless the command line does */
		char err[1200];
		if (wc_manifest_load(c->dir ? c->dir : ".", &c->manifest, err, sizeof(err)) < 0) {
			fprintf(stderr, "wirecheck: %s\n", err);
			return EXIT_USAGE;
		}
		if (!c->student_given && c->manifest.name[0])
			c->student = c->manifest.name;
	}
	impl_name(c);
	for (int k = 0; k < n; k++) {
		wc_scenario *sc = &scs[k];
		const wc_lab *lab = wc_lab_find(sc->lab);
		int reference = !c->server && !c->client;
		const char *variant, *vars[WC_LAB_VARIANTS];
		int nvar;
		wc_job *j;

		if (!selected(c, sc))
			continue;
		if (sc->off) { /* switched off by the rubric */
			not_run++;
			continue;
		}
		variant = variant_for(c, lab, sc);
		if (!variant || (!reference && sc->role == WC_TEST_SERVER && !c->server) ||
		    (!reference && sc->role == WC_TEST_CLIENT && !c->client)) {
			not_run++;
			continue;
		}
		if (c->run.host && !wc_run_host_can(sc)) {
			not_run++;
			host_not_run++;
			continue;
		}
		/* The references are graded in every variant a scenario names. */
		nvar = 0;
		if (reference && sc->nvariants)
			for (int k2 = 0; k2 < lab->nvariants; k2++)
				if (wc_scenario_has_variant(sc, lab->variants[k2].name))
					vars[nvar++] = lab->variants[k2].name;
		if (nvar == 0)
			vars[nvar++] = variant;
		for (int k2 = 0; k2 < nvar && nj < MAX_SCENARIOS; k2++) {
			j = &jobs[nj];
			j->sc = sc;
			j->lab = lab;
			j->variant = vars[k2];
			j->server_cmd = c->server;
			j->client_cmd = c->client;
			j->strict = c->strict;
			j->dir = reference ? NULL : c->dir ? c->dir : ".";
			j->impl = c->impl;
			j->student = c->student;
			if (nvar > 1)
				snprintf(j->label, sizeof(j->label), "%s@%s", sc->id, vars[k2]);
			else
				snprintf(j->label, sizeof(j->label), "%s", sc->id);
			wc_verdict_init(&v[nj]);
			nj++;
		}
	}
	if (nj == 0) {
		fprintf(stderr, "wirecheck: no scenario to run%s\n", not_run ? " (check --variant, --server, --client)" : "");
		return EXIT_USAGE;
	}
	{
		const wc_lab *labs[64];
		int nlabs, needs = job_needs(jobs, nj, labs, &nlabs);
		if ((rc = preflight(c, labs, nlabs, needs)) != 0)
			return rc;
	}
	wc_run_clean_stale();
	/* the banner stays out of a JSON or XML report on standard output */
	fprintf(!c->out && c->formats && strcmp(c->formats, "text") ? stderr : stdout,
		"wirecheck: %d scenarios, implementation '%s', %d at once\n", nj, c->impl, c->run.jobs);
	fflush(stdout);
	rc = wc_run_all(&c->run, jobs, nj, v, NULL, NULL);
	wc_preflight_reap();
	if (rc < 0) {
		fprintf(stderr, "wirecheck: interrupted; workers stopped and their folders removed\n");
		return 130;
	}
	wc_settle_findings(jobs, v, nj);
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < nj; i++)
		wc_tally_add(&t, &jobs[i], &v[i]);
	{
		wc_report_in in = {c->impl, c->student_given || c->manifest.name[0] ? c->student : NULL, jobs, v, nj,
				   not_run, started_s, wc_now_ms() - started_ms, NULL, 0, host_not_run,
				   wc_run_host_not_run_why()};
		rc = write_reports(c, &in);
	}
	for (int i = 0; i < nj; i++)
		wc_verdict_free(&v[i]);
	for (int k = 0; k < n; k++)
		wc_scenario_free(&scs[k]);
	if (rc)
		return rc;
	if (t.errors)
		return EXIT_INTERNAL;
	return t.failed ? EXIT_FAILED : EXIT_PASS;
}

static int parse_int_opt(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* wirecheck inspect FILE.pcap... [--lab LAB] [--fields] [--format LIST] [--out DIR]:
 * a capture someone brings, checked by the lab's rules, or its messages decoded. */
static int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{"lab", required_argument, NULL, 'L'},    {"fields", no_argument, NULL, 'F'},
		{"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *lab = NULL, *formats = NULL, *out = NULL;
	static char formats_buf[160];
	int fields = 0, opt, rc = EXIT_PASS;
	char err[1024];

	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'L':
			if (strcmp(optarg, "dns") && strcmp(optarg, "http"))
				return usage_error("inspect checks the dns and http labs, not '%s'", optarg);
			lab = optarg;
			break;
		case 'F': fields = 1; break;
		case 'f': {
			int r = add_formats(optarg, formats_buf, sizeof(formats_buf));
			if (r)
				return r;
			formats = formats_buf;
			break;
		}
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_PASS;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("'inspect' needs a pcap file%s", "");
	if (!out && formats && strchr(formats, ','))
		return usage_error("several formats go to files: add --out DIR (formats '%s')", formats);
	if (out)
		mkdir(out, 0755);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = optind; i < argc; i++) {
		int r;
		if (fields) {
			r = wc_inspect(argv[i], stdout, err, sizeof(err));
		} else {
			r = wc_inspect_check(argv[i], lab, formats, out, stdout,
					     isatty(STDOUT_FILENO) && !getenv("NO_COLOR"), err, sizeof(err));
			if (r == 1 && rc == EXIT_PASS)
				rc = EXIT_FAILED;
		}
		if (r < 0) {
			fprintf(stderr, "wirecheck: %s\n", err);
			rc = EXIT_USAGE;
		}
	}
	return rc;
}

/* wirecheck merge GRADEBOOK...: the gradebooks of shards as one, on stdout. */
static int cmd_merge(int argc, char **argv)
{
	char err[1200];

	if (argc < 3)
		return usage_error("'merge' needs the gradebook.csv files of the shards%s", "");
	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-')
			return usage_error("'merge' takes gradebook files, not '%s'", argv[i]);
	if (wc_merge((const char *const *)argv + 2, argc - 2, stdout, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirecheck: %s\n", err);
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

/* wirecheck detect DIR: the plan of one submission, as manifest lines, nothing run. */
static int cmd_detect(int argc, char **argv)
{
	static wc_submission s; /* large: not on the stack */
	char err[1200];

	if (argc != 3 || argv[2][0] == '-')
		return usage_error("'detect' takes one submission folder%s", "");
	if (!is_dir(argv[2]))
		return usage_error("'%s' is not a folder: 'detect' takes one submission folder", argv[2]);
	if (wc_submission_detect(argv[2], &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirecheck: %s\n", err);
		return EXIT_USAGE;
	}
	wc_submission_plan(&s, stdout);
	return fflush(stdout) == 0 ? EXIT_PASS : EXIT_INTERNAL;
}

/* wirecheck grade DIR: every submission folder of DIR. */
static int cmd_grade(cli *c)
{
	static wc_scenario scs[MAX_SCENARIOS];
	wc_grade_opts go;
	int n = 0, rc;

	if (c->nlabs != 1 || !is_dir(c->labs[0]))
		return usage_error("'grade' takes one folder of submission folders%s", "");
	if (c->server || c->client || c->dir || c->nvariants || c->name)
		return usage_error("'grade' finds each submission's commands itself (wirecheck.manifest or file "
				   "names)%s; --server, --client, --dir, --variant and --name are for 'run'", "");
	memset(&go, 0, sizeof(go));
	go.subdir = c->labs[0];
	go.out = c->out ? c->out : "grades";
	go.shard_i = c->shard_i;
	go.shard_n = c->shard_n;
	go.labs = c->grade_labs;
	go.nlabs = c->ngrade_labs;
	go.build_ms = 120000;
	go.progress = isatty(STDERR_FILENO);
	go.formats = c->formats;
	go.rubric = c->rubric;
	go.strict = c->strict;
	c->nlabs = 0;
	if (load_all(c, scs, &n))
		return EXIT_USAGE;
	choose_isolation(c, 0);
	{
		const wc_lab *labs[64];
		int nlabs = 0;
		for (int i = 0; i < go.nlabs; i++)
			labs[nlabs++] = wc_lab_find(go.labs[i]);
		for (int i = 0; go.nlabs == 0 && wc_lab_at(i) && nlabs < 64; i++)
			labs[nlabs++] = wc_lab_at(i);
		if ((rc = preflight(c, labs, nlabs, WC_NEED_ALL)) != 0)
			return rc;
	}
	wc_run_clean_stale();
	rc = wc_grade(&c->run, &go, scs, n);
	wc_preflight_reap();
	for (int k = 0; k < n; k++)
		wc_scenario_free(&scs[k]);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"server", required_argument, NULL, 's'},   {"client", required_argument, NULL, 'c'},
		{"dir", required_argument, NULL, 'd'},      {"jobs", required_argument, NULL, 'j'},
		{"variant", required_argument, NULL, 'V'},  {"name", required_argument, NULL, 'n'},
		{"captures", required_argument, NULL, 'C'}, {"fixtures", required_argument, NULL, 'F'},
		{"format", required_argument, NULL, 'f'},   {"ready-timeout", required_argument, NULL, 'R'},
		{"student-name", required_argument, NULL, 'S'}, {"out", required_argument, NULL, 'o'},
		{"shard", required_argument, NULL, 'H'},    {"lab", required_argument, NULL, 'L'},
		{"rubric", required_argument, NULL, 'B'},   {"strict", no_argument, NULL, 'T'},
		{"isolation", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
	};
	const char *cmd;
	cli c;
	int opt;

	memset(&c, 0, sizeof(c));
	c.student = "Ali"; /* LABS.md's example: Hello -> Hello Ali */
	wc_run_opts_default(&c.run);
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage, stdout);
		return EXIT_PASS;
	}
	if (!strcmp(cmd, "inspect"))
		return cmd_inspect(argc, argv);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc, argv);
	if (!strcmp(cmd, "detect"))
		return cmd_detect(argc, argv);
	if (strcmp(cmd, "list") && strcmp(cmd, "run") && strcmp(cmd, "grade") && strcmp(cmd, "doctor"))
		return usage_error("unknown command '%s'", cmd);
	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":j:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': c.server = optarg; break;
		case 'c': c.client = optarg; break;
		case 'd': c.dir = optarg; break;
		case 'n': c.name = optarg; break;
		case 'S':
			if (!*optarg || strlen(optarg) > 64 || strpbrk(optarg, "\r\n"))
				return usage_error("--student-name takes 1 to 64 characters on one line, not '%s'", optarg);
			c.student = optarg;
			c.student_given = 1;
			break;
		case 'F': c.fixtures_opt = optarg; break;
		case 'T': c.strict = 1; break;
		case 'I':
			if (!strcmp(optarg, "auto"))
				c.isolation = WC_ISO_AUTO;
			else if (!strcmp(optarg, "namespaces"))
				c.isolation = WC_ISO_NAMESPACES;
			else if (!strcmp(optarg, "host"))
				c.isolation = WC_ISO_HOST;
			else
				return usage_error("--isolation takes auto, namespaces or host, not '%s'", optarg);
			break;
		case 'o': c.out = optarg; break;
		case 'B': {
			static wc_rubric rubric;
			char err[1200];
			if (wc_rubric_load(optarg, &rubric, err, sizeof(err)) < 0) {
				fprintf(stderr, "wirecheck: %s\n", err);
				return EXIT_USAGE;
			}
			c.rubric = &rubric;
			break;
		}
		case 'H':
			if (sscanf(optarg, "%d/%d", &c.shard_i, &c.shard_n) != 2 || c.shard_n < 1 || c.shard_n > 10000 ||
			    c.shard_i < 1 || c.shard_i > c.shard_n || strspn(optarg, "0123456789/") != strlen(optarg))
				return usage_error("--shard takes I/N with 1 <= I <= N, not '%s'", optarg);
			break;
		case 'L': {
			/* grade: the labs graded; run and list: the same as LAB arguments */
			int grade = !strcmp(cmd, "grade"), from = grade ? c.ngrade_labs : c.nlabs;
			int rc = grade ? add_list("--lab", optarg, c.grade_labs, &c.ngrade_labs, 16)
				       : add_list("--lab", optarg, c.labs, &c.nlabs, 64);
			if (rc)
				return rc;
			for (int i = from; i < (grade ? c.ngrade_labs : c.nlabs); i++) {
				const char *lab = grade ? c.grade_labs[i] : c.labs[i];
				if (!wc_lab_find(lab))
					return usage_error("unknown lab '%s' in --lab '%s' (see 'wirecheck list')", lab,
							   optarg);
			}
			break;
		}
		case 'C':
			if (snprintf(c.run.captures, sizeof(c.run.captures), "%s", optarg) >= (int)sizeof(c.run.captures))
				return usage_error("--captures path too long: '%s'", optarg);
			break;
		case 'j':
			if (parse_int_opt(optarg, 1, 64, &c.run.jobs) < 0)
				return usage_error("-j takes a number from 1 to 64, not '%s'", optarg);
			break;
		case 'R':
			if (parse_int_opt(optarg, 1, 600000, &c.run.ready_ms) < 0)
				return usage_error("--ready-timeout takes milliseconds from 1 to 600000, not '%s'", optarg);
			break;
		case 'V': {
			int rc = add_list("--variant", optarg, c.variants, &c.nvariants, 16);
			if (rc)
				return rc;
			break;
		}
		case 'f': {
			int rc = add_formats(optarg, c.formats_buf, sizeof(c.formats_buf));
			if (rc)
				return rc;
			c.formats = c.formats_buf;
			break;
		}
		case 'h': fputs(usage, stdout); return EXIT_PASS;
		case ':': return usage_error("option '%s' needs a value", argv[optind - 1]);
		default: return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	for (; optind < argc; optind++) {
		if (!strcmp(cmd, "grade")) { /* the folder of submissions: not a list */
			if (c.nlabs >= 64)
				return usage_error("too many folders named%s", "");
			c.labs[c.nlabs++] = argv[optind];
		} else {
			int rc = add_list("a LAB argument", argv[optind], c.labs, &c.nlabs, 64);
			if (rc)
				return rc;
		}
	}
	if (!strcmp(cmd, "list") && (c.server || c.client || c.dir))
		return usage_error("'list' takes only lab names%s", "");
	find_fixtures(c.fixtures, sizeof(c.fixtures), c.fixtures_opt);
	find_refdir(c.run.refdir, sizeof(c.run.refdir));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "grade") && c.shard_n)
		return usage_error("--shard is an option of 'grade'%s", "");
	if (!c.out && c.formats && strchr(c.formats, ','))
		return usage_error("several formats go to files: add --out DIR (formats '%s')", c.formats);
	if (!strcmp(cmd, "grade"))
		return cmd_grade(&c);
	if (!strcmp(cmd, "doctor"))
		return cmd_doctor(&c);
	return !strcmp(cmd, "list") ? cmd_list(&c) : cmd_run(&c);
}
