/* grade.c - wirecheck grade: submissions detected, built once, graded in one pool; gradebook and merge */
#include "grade/grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scenario/lab.h"
#include "sandbox/proc.h"
#include "report/report.h"
#include "scenario/rubric.h"
#include "sandbox/sandbox.h"
#include "grade/submit.h"

#define MAX_SUBS 4096

/* Another server of a lab, graded beside the first (wc_sub_more). */
typedef struct more_run {
	int lab, k;              /* s.labs[lab].more[k] */
	char name[64];           /* the file's name without extension, in labels and capture paths */
	const char *variant;
	int first, n;            /* its jobs */
	int points, max, unbuilt;
} more_run;

typedef struct sub {
	wc_submission s;
	char graded_dir[1400];  /* the folder graded: the submission, or its build */
	char note[1200];         /* what the gradebook says besides points */
	int first_job, njobs;
	int nmain;               /* its first nmain jobs grade the labs' first programs: the points */
	more_run more[WC_SUB_LABS * WC_MANIFEST_MORE]; /* more servers of a lab, graded beside the first */
	int nmore;
	int done;                /* jobs finished */
	int points[WC_SUB_LABS], max[WC_SUB_LABS];
	int found[WC_SUB_LABS];  /* a server or a client of the lab was found */
	int counted[WC_SUB_LABS]; /* the lab counts in the maximum: chosen with --lab, else found */
	int unrun[WC_SUB_LABS][2]; /* points of its scenarios not run, server and client: no command */
	int unbuilt[WC_SUB_LABS]; /* points of its scenarios not run: the build they need failed */
	int host_not_run;        /* its scenarios host mode cannot run (two-host, client): not in the maximum */
	char *build_log;         /* the failed build's message and output, for build.log; NULL if none */
	int failed, errors;
	int published;           /* its report folder is in place, whole */
} sub;

typedef struct grading {
	const wc_grade_opts *go;
	sub *subs;
	int nsubs;
	wc_job *jobs;
	int *job_sub;            /* job -> submission */
	wc_verdict *v;
	int njobs, done, failures, subs_done;
	int write_failed;        /* a report could not be written */
	int64_t started;
	time_t started_s;
	const wc_run_opts *ro;   /* the run's options: host mode (run/run.h) leaves some scenarios out */
} grading;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The submission folders of dir, sorted; hidden ones and plain files left out. */
static int list_subs(const char *dir, char ***names, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	int n = 0;

	if (!d) {
		snprintf(err, errlen, "cannot open '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		char **nv;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (n >= MAX_SUBS || !(nv = realloc(v, sizeof(*v) * (size_t)(n + 1)))) {
			snprintf(err, errlen, "more than %d submissions, or out of memory", MAX_SUBS);
			break;
		}
		v = nv;
		if (!(v[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), by_name);
	*names = v;
	return n;
}

static int lab_wanted(const wc_grade_opts *go, const char *lab)
{
	if (go->nlabs == 0)
		return 1;
	for (int i = 0; i < go->nlabs; i++)
		if (!strcmp(go->labs[i], lab))
			return 1;
	return 0;
}

static int lab_index(const char *name)
{
	for (int i = 0; wc_lab_at(i); i++)
		if (!strcmp(wc_lab_at(i)->name, name))
			return i;
	return -1;
}

/* The submission's manifest, else the rubric, else the lab's first variant. */
static const char *variant_of(const wc_grade_opts *go, const wc_lab *lab, const wc_sub_lab *sl)
{
	const char *rv = wc_rubric_variant(go->rubric, lab->name);

	return sl->variant[0] ? sl->variant : rv ? rv : lab->variants[0].name;
}

static void mkdirs(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			mkdir(tmp, 0755);
			*p = '/';
		}
	}
	mkdir(tmp, 0755);
}

/* The submission's points and maximum: the labs that count for it (those
 * chosen with --lab, else those found), each with all its graded scenarios. */
static int sub_total(const sub *s)
{
	int total = 0;

	for (int i = 0; i < WC_SUB_LABS; i++)
		total += s->points[i];
	return total;
}

static int sub_max(const sub *s)
{
	int max = 0;

	for (int i = 0; i < WC_SUB_LABS; i++)
		if (s->counted[i])
			max += s->max[i];
	return max;
}

static void fmt_eta(int64_t ms, char *buf, size_t n)
{
	int64_t s = ms / 1000;
	snprintf(buf, n, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

/* ---- the --out folder: one run at a time, each submission's reports whole ---- */

#define OUT_LOCK ".wirecheck.lock"
#define OUT_TMP ".wc-tmp." /* + a submission's name: its report folder being written */

/*
 * Takes the lock of the --out folder (flock on OUT/.wirecheck.lock, held until
 * the descriptor is closed, or the process ends). Returns its descriptor, or
 * -1 with err: another run holds it (*busy set), or the file cannot be opened.
 */
static int out_lock(const char *out, int *busy, char *err, size_t errlen)
{
	char path[4096], pid[32] = "";
	int fd;
	ssize_t r;

	*busy = 0;
	snprintf(path, sizeof(path), "%s/%s", out, OUT_LOCK);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the lock '%s': %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		*busy = e == EWOULDBLOCK;
		r = read(fd, pid, sizeof(pid) - 1);
		pid[r > 0 ? r : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		if (*busy)
			snprintf(err, errlen,
				 "'%s' is in use by another 'wirecheck grade' (%s%s holds its lock '%s'); wait for it to "
				 "end or choose another --out", out, pid[0] ? "pid " : "a process", pid, path);
		else
			snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(e));
		close(fd);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == 0)
		r = write(fd, pid, strlen(pid));
	(void)r;
	return fd;
}

/* Removes the report folders a killed run left half written (the lock is held). */
static void out_clean_tmp(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		if (strncmp(e->d_name, OUT_TMP, strlen(OUT_TMP)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", out, e->d_name);
		wc_remove_tree(path);
	}
	closedir(d);
}

/* Appends text to OUT/PARTIAL (create: starts it anew). 0, or -1 with errno. */
static int partial_put(const char *out, const char *text, int create)
{
	char path[4096];
	int fd, rc = 0;
	size_t n = strlen(text);

	snprintf(path, sizeof(path), "%s/PARTIAL", out);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (create ? O_TRUNC : O_APPEND), 0644);
	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n)
		rc = -1;
	if (close(fd) < 0)
		rc = -1;
	return rc;
}

/*
 * Puts the finished folder tmp in the place of final: swapped in one step
 * when final exists (renameat2 RENAME_EXCHANGE), the old one then removed.
 * 0, or -1 with err.
 */
static int publish_dir(const char *tmp, const char *final, char *err, size_t errlen)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
		wc_remove_tree(tmp); /* it now holds the old reports */
		return 0;
	}
	if ((errno == ENOENT || errno == EINVAL || errno == ENOSYS) && rename(tmp, final) == 0)
		return 0;
	snprintf(err, errlen, "cannot move '%s' to '%s': %s", tmp, final, strerror(errno));
	return -1;
}

#define BUILD_TAIL_LINES 5

/* The report's ERROR line of a failed build: its command, the labs not run, the log's last lines. */
static void build_error(FILE *f, const sub *s)
{
	const char *log = s->build_log, *tail = log + strlen(log), *first_end = strchr(log, '\n');
	int lines = 0;

	fprintf(f, "ERROR    build: '%s' failed; not run:", s->s.build);
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++)
		if (s->unbuilt[i])
			fprintf(f, " %s", wc_lab_at(i)->name);
	fprintf(f, "\n  %.*s\n", first_end ? (int)(first_end - log) : (int)strlen(log), log);
	while (tail > log && (tail[-1] == '\n' || tail[-1] == ' '))
		tail--;
	const char *end = tail;
	while (tail > (first_end ? first_end + 1 : log) && lines < BUILD_TAIL_LINES)
		if (*--tail == '\n' && ++lines == BUILD_TAIL_LINES)
			tail++;
	for (const char *p = tail; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		fprintf(f, "    %.*s\n", (int)l, p);
		p += l + (nl != NULL);
	}
	fputs("  the whole log: build.log, beside this report\n", f);
}

/* build_error's text, for a report of its own (Gradescope's test output):
 * malloc'd, or NULL. */
static char *build_text(const sub *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return NULL;
	build_error(m, s);
	if (fclose(m) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* The points of the labs that count which no scenario ran for (no program
 * found, or the build failed): report.txt's NOT RUN lines and the other
 * formats' list, from one place. 'built' is the build's text, or NULL. */
static int absent_list(const sub *s, const char *built, wc_rep_absent *absent)
{
	int na = 0;

	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		if (!s->counted[i])
			continue;
		for (int r = 0; r < 2; r++)
			if (s->unrun[i][r])
				absent[na++] = (wc_rep_absent){
					wc_lab_at(i)->name, r ? "no client found" : "no server found",
					"wirecheck looks for the lab's usual file names (see the course's "
					"instructions), or the commands a wirecheck.manifest names.",
					s->unrun[i][r]};
		if (s->unbuilt[i])
			absent[na++] = (wc_rep_absent){wc_lab_at(i)->name, "the build failed", built ? built : "",
						       s->unbuilt[i]};
	}
	return na;
}

/* In report.txt, after the score: another server of a lab, its faults and
 * scenarios, and its own score, which the gradebook's points leave out. */
static void more_report(FILE *f, const grading *g, const sub *s, const more_run *m)
{
	const wc_sub_more *mo = &s->s.labs[m->lab].more[m->k];
	wc_report_in faults = {s->s.name, NULL, g->jobs + m->first, g->v + m->first, m->n, 0, 0, 0, NULL, 0, 0, NULL};

	fprintf(f, "\nanother %s server: %s, graded beside the first in the %s variant (its points are not in "
		   "the score above)\n", wc_lab_at(m->lab)->name, mo->file[0] ? mo->file : mo->server, m->variant);
	if (m->n)
		wc_report_text_faults(f, &faults);
	for (int j = m->first; j < m->first + m->n; j++)
		wc_report_text_one(f, &g->jobs[j], &g->v[j]);
	if (m->unbuilt)
		fprintf(f, "NOT RUN  %s: the build failed, %d points\n", wc_lab_at(m->lab)->name, m->unbuilt);
	fprintf(f, "score of %s: %d/%d\n", m->name, m->points, m->max);
}

/* A submission's points per lab, and its report, once its last scenario is in. */
static void finish_sub(grading *g, int si)
{
	sub *s = &g->subs[si];
	char path[4096], tmp[4096], err[8400];
	FILE *f;
	wc_tally t;
	int bad = 0;
	wc_rep_absent absent[WC_SUB_LABS * 3];
	char *built = s->build_log ? build_text(s) : NULL;
	int na = absent_list(s, built, absent);

	/* each program's faults are its own: settled per server */
	if (s->nmain)
		wc_settle_findings(g->jobs + s->first_job, g->v + s->first_job, s->nmain);
	for (int m = 0; m < s->nmore; m++) {
		more_run *mr = &s->more[m];
		if (mr->n)
			wc_settle_findings(g->jobs + mr->first, g->v + mr->first, mr->n);
		for (int j = mr->first; j < mr->first + mr->n; j++)
			mr->points += wc_rep_score(&g->jobs[j], &g->v[j]);
	}
	for (int j = s->first_job; j < s->first_job + s->nmain; j++) {
		const wc_job *job = &g->jobs[j];
		const wc_verdict *v = &g->v[j];
		int li = lab_index(job->lab->name);
		if (job->sc->level == WC_INFO || li < 0)
			continue;
		if (v->outcome == WC_PASS)
			s->points[li] += job->sc->points;
		else if (v->outcome == WC_ERROR)
			s->errors++;
		else {
			s->failed += !wc_rep_warns(job, v); /* a SHOULD's WARN costs points, fails nothing */
			s->points[li] += job->sc->points * v->credit_pct / 100; /* a rubric's partial credit */
		}
	}
	/* the reports are written into OUT/.wc-tmp.NAME, then moved into place whole */
	snprintf(tmp, sizeof(tmp), "%s/%s%s", g->go->out, OUT_TMP, s->s.name);
	wc_remove_tree(tmp);
	mkdirs(tmp);
	snprintf(path, sizeof(path), "%s/report.txt", tmp);
	f = fopen(path, "w");
	if (!f)
		bad = 1;
	if (f) {
		char what[2048];
		wc_submission_describe(&s->s, what, sizeof(what));
		fprintf(f, "wirecheck: submission '%s'%s%s%s\nfound: %s\n", s->s.name, s->s.student[0] ? " (" : "",
			s->s.student, s->s.student[0] ? ")" : "", what);
		if (s->note[0])
			fprintf(f, "note: %s\n", s->note);
		if (s->build_log)
			build_error(f, s);
		memset(&t, 0, sizeof(t));
		if (s->nmain) {
			wc_report_in faults = {s->s.name, NULL, g->jobs + s->first_job, g->v + s->first_job, s->nmain,
					       0, 0, 0, NULL, 0, 0, NULL};
			wc_report_text_faults(f, &faults);
		}
		for (int j = s->first_job; j < s->first_job + s->nmain; j++) {
			wc_report_text_one(f, &g->jobs[j], &g->v[j]);
			wc_tally_add(&t, &g->jobs[j], &g->v[j]);
		}
		/* the gradebook's maximum: a lab that counts loses the points of
		 * a program not found or not built */
		for (int i = 0; i < na; i++)
			fprintf(f, "NOT RUN  %s: %s, %d points counted in the maximum\n", absent[i].lab, absent[i].why,
				absent[i].points);
		if (s->host_not_run)
			fprintf(f, "NOT RUN  host mode: %d scenarios (%s), not counted in the maximum\n",
				s->host_not_run, wc_run_host_not_run_why());
		t.max_points = sub_max(s);
		wc_report_text_summary(f, &t, 0);
		for (int m = 0; m < s->nmore; m++)
			more_report(f, g, s, &s->more[m]);
		if (ferror(f) | fclose(f))
			bad = 1;
	}
	if (bad)
		fprintf(stderr, "wirecheck: cannot write %s: %s\n", path, strerror(errno));
	if (s->build_log) {
		snprintf(path, sizeof(path), "%s/build.log", tmp);
		if (!(f = fopen(path, "w")) || fputs(s->build_log, f) < 0 || fclose(f) != 0) {
			fprintf(stderr, "wirecheck: cannot write %s: %s\n", path, strerror(errno));
			bad = 1;
		}
	}
	/* the other formats asked for, each in its file beside report.txt */
	{
		char fmts[8][16];
		int nf = wc_report_formats(g->go->formats ? g->go->formats : "", fmts, 8);
		/* a submission with nothing graded has no job: no offset to NULL */
		wc_report_in in = {s->s.name,
				   s->s.student[0] ? s->s.student : NULL,
				   s->nmain ? g->jobs + s->first_job : NULL,
				   s->nmain ? g->v + s->first_job : NULL,
				   s->nmain,
				   s->host_not_run,
				   (long long)g->started_s,
				   wc_now_ms() - g->started,
				   absent,
				   na,
				   s->host_not_run,
				   wc_run_host_not_run_why()};
		for (int k = 0; k < nf; k++) {
			if (!strcmp(fmts[k], "text") || !wc_report_known(fmts[k]))
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmp, wc_report_file(fmts[k]));
			if (!(f = fopen(path, "w")) || wc_report_write(fmts[k], &in, f, 0) < 0 || fclose(f) != 0) {
				fprintf(stderr, "wirecheck: cannot write %s: %s\n", path, strerror(errno));
				bad = 1;
			}
		}
	}
	free(built);
	snprintf(path, sizeof(path), "%s/%s", g->go->out, s->s.name);
	if (bad) {
		g->write_failed = 1;
	} else if (publish_dir(tmp, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "wirecheck: %s\n", err);
		g->write_failed = 1;
	} else {
		char line[200];
		s->published = 1;
		snprintf(line, sizeof(line), "done: %s\n", s->s.name);
		if (partial_put(g->go->out, line, 0) < 0)
			fprintf(stderr, "wirecheck: cannot write %s/PARTIAL: %s\n", g->go->out, strerror(errno));
	}
	g->subs_done++;
	if (!g->go->progress)
		printf("graded %s: %d/%d%s%s\n", s->s.name, sub_total(s), sub_max(s), s->note[0] ? "  " : "", s->note);
	fflush(stdout);
}

static void on_done(int i, void *ctx)
{
	grading *g = ctx;
	int si = g->job_sub[i];
	char eta[32] = "-";

	g->done++;
	if (g->v[i].outcome != WC_PASS && g->jobs[i].sc->level != WC_INFO && !wc_rep_warns(&g->jobs[i], &g->v[i]))
		g->failures++;
	if (++g->subs[si].done == g->subs[si].njobs)
		finish_sub(g, si);
	if (g->go->progress) {
		int64_t el = wc_now_ms() - g->started;
		if (g->done)
			fmt_eta(el * (g->njobs - g->done) / g->done, eta, sizeof(eta));
		fprintf(stderr, "\r[%d/%d scenarios] %d/%d submissions, %d failed checks, ETA %s   ", g->done, g->njobs,
			g->subs_done, g->nsubs, g->failures, eta);
		if (g->done == g->njobs)
			fputc('\n', stderr);
	}
}

/* The CSV field, quoted when it holds a comma, a quote or a line end. */
static void csv(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s == '\r' || *s == '\n' ? ' ' : *s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

/*
 * Writes OUT/name (gradebook.csv, or gradebook.partial.csv with only the
 * submissions whose reports are in place) whole: into a temporary file, synced,
 * then renamed over the old one. 0, or -1 after a message.
 */
static int write_gradebook(const grading *g, const char *name, int only_done)
{
	char path[4096], tmp[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", g->go->out, name);
	snprintf(tmp, sizeof(tmp), "%s/%s%s", g->go->out, OUT_TMP, name);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "wirecheck: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fputs("submission,student", f);
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++)
		if (lab_wanted(g->go, wc_lab_at(i)->name))
			fprintf(f, ",%s", wc_lab_at(i)->name);
	fputs(",total,max,failed,errors,labs,notes\n", f);
	for (int k = 0; k < g->nsubs; k++) {
		const sub *s = &g->subs[k];
		char found[256] = "", notes[8192] = "", one[2048];
		if (only_done && !s->published)
			continue;
		csv(f, s->s.name, 0);
		csv(f, s->s.student, 0);
		for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
			if (!lab_wanted(g->go, wc_lab_at(i)->name))
				continue;
			fprintf(f, "%d,", s->points[i]);
			/* the labs that count, and those with files left out: what was taken and left */
			if (s->counted[i] || s->s.labs[i].left[0]) {
				wc_submission_describe_lab(&s->s, i, one, sizeof(one));
				snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes), "%s%s", notes[0] ? "; " : "",
					 one);
			}
			if (s->found[i])
				snprintf(found + strlen(found), sizeof(found) - strlen(found), "%s%s", found[0] ? " " : "",
					 wc_lab_at(i)->name);
		}
		fprintf(f, "%d,%d,%d,%d,", sub_total(s), sub_max(s), s->failed, s->errors);
		csv(f, found, 0);
		for (int m = 0; m < s->nmore; m++) {
			const more_run *mr = &s->more[m];
			const wc_sub_more *mo = &s->s.labs[mr->lab].more[mr->k];
			snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes),
				 "%s%s: %d/%d beside the first, not in the total", notes[0] ? "; " : "",
				 mo->file[0] ? mo->file : mr->name, mr->points, mr->max);
		}
		if (!notes[0])
			snprintf(notes, sizeof(notes), "nothing found");
		if (s->s.truncated)
			snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes), "; %s", WC_SUB_TRUNCATED);
		if (s->note[0])
			snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes), "; %s", s->note);
		csv(f, notes, 1);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || ferror(f)) {
		fprintf(stderr, "wirecheck: cannot write %s: %s\n", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "wirecheck: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* A new job of submission s at the end of g->jobs, its scenario's ID as label; NULL when out of memory. */
static wc_job *new_job(grading *g, int *cap, sub *s, const wc_scenario *sc, const wc_lab *lab, const char *variant)
{
	wc_job *j;

	if (g->njobs == *cap) {
		int nc = *cap ? *cap * 2 : 1024;
		wc_job *nj = realloc(g->jobs, sizeof(*nj) * (size_t)nc);
		int *ns = nj ? realloc(g->job_sub, sizeof(*ns) * (size_t)nc) : NULL;
		if (nj)
			g->jobs = nj;
		if (!ns)
			return NULL;
		g->job_sub = ns;
		*cap = nc;
	}
	j = &g->jobs[g->njobs];
	memset(j, 0, sizeof(*j));
	j->sc = sc;
	j->lab = lab;
	j->variant = variant;
	j->dir = s->graded_dir;
	j->impl = s->s.name;
	j->student = s->s.student[0] ? s->s.student : "Ali";
	j->strict = g->go->strict;
	snprintf(j->label, sizeof(j->label), "%s", sc->id);
	g->job_sub[g->njobs] = (int)(s - g->subs);
	g->njobs++;
	return j;
}

/* The jobs of the labs' more servers, after the main ones: each server's
 * scenarios in its variant, labelled ID@NAME (NAME its file's), so that its
 * captures and report lines stand beside the first server's. */
static int prepare_more(grading *g, sub *s, const wc_scenario *scs, int n, int *cap)
{
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_lab *lab = wc_lab_at(i);
		const wc_sub_lab *sl = &s->s.labs[i];
		if (!lab_wanted(g->go, lab->name))
			continue;
		for (int k = 0; k < sl->nmore; k++) {
			const wc_sub_more *mo = &sl->more[k];
			const char *base = mo->file[0] ? strrchr(mo->file, '/') : NULL;
			const char *variant = wc_lab_variant(lab, mo->variant) ? wc_lab_variant(lab, mo->variant)->name
									      : variant_of(g->go, lab, sl);
			more_run *m = &s->more[s->nmore++];
			memset(m, 0, sizeof(*m));
			m->lab = i;
			m->k = k;
			m->variant = variant;
			base = base ? base + 1 : mo->file[0] ? mo->file : NULL;
			if (base)
				snprintf(m->name, sizeof(m->name), "%.*s", (int)strcspn(base, "."), base);
			else
				snprintf(m->name, sizeof(m->name), "server%d", k + 2);
			for (int o = 0; o < s->nmore - 1; o++)
				if (!strcmp(s->more[o].name, m->name)) { /* Lab2/ and Lab3/TCPServer.py */
					size_t l = strlen(m->name);
					snprintf(m->name + (l < 56 ? l : 56), 8, "-%d", s->nmore);
					break;
				}
			m->first = g->njobs;
			for (int x = 0; x < n; x++) {
				const wc_scenario *sc = &scs[x];
				wc_job *j;
				if (strcmp(sc->lab, lab->name) || sc->role != WC_TEST_SERVER ||
				    !wc_scenario_has_variant(sc, variant) || sc->off)
					continue;
				if (g->ro->host && !wc_run_host_can(sc)) {
					s->host_not_run++;
					continue;
				}
				if (sc->level != WC_INFO)
					m->max += sc->points;
				if (s->build_log && mo->needs_build) {
					if (sc->level != WC_INFO)
						m->unbuilt += sc->points;
					continue;
				}
				if (!(j = new_job(g, cap, s, sc, lab, variant)))
					return -1;
				j->server_cmd = mo->server;
				snprintf(j->label, sizeof(j->label), "%s@%s", sc->id, m->name);
			}
			m->n = g->njobs - m->first;
		}
	}
	return 0;
}

/* Detects, builds, and lays out the jobs of one submission. */
static int prepare_sub(grading *g, const wc_run_opts *ro, sub *s, const wc_scenario *scs, int n, int *cap)
{
	const wc_grade_opts *go = g->go;

	snprintf(s->graded_dir, sizeof(s->graded_dir), "%s", s->s.dir);
	if (s->s.build[0]) {
		char staging[1400];
		size_t loglen = WC_BUILD_LOG_MAX + 2048;
		char *log = malloc(loglen);
		if (!log)
			return -1;
		snprintf(staging, sizeof(staging), "%s/.build/%s", go->out, s->s.name);
		wc_remove_tree(staging);
		mkdirs(staging);
		if (wc_run_build(ro, s->s.dir, staging, s->s.build, go->build_ms, log, loglen) == 0) {
			snprintf(s->graded_dir, sizeof(s->graded_dir), "%s", staging);
			free(log);
		} else {
			/* the log goes to build.log; the CSV and the progress line get one short note */
			s->build_log = log;
			snprintf(s->note, sizeof(s->note), "build failed, see build.log");
		}
	}
	s->first_job = g->njobs;
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_lab *lab = wc_lab_at(i);
		const wc_sub_lab *sl = &s->s.labs[i];
		const char *variant = variant_of(go, lab, sl);
		if (!lab_wanted(go, lab->name))
			continue;
		s->found[i] = sl->server[0] || sl->client[0];
		s->counted[i] = go->nlabs > 0 || s->found[i];
		for (int k = 0; k < n; k++) {
			const wc_scenario *sc = &scs[k];
			const char *cmd;
			wc_job *j;
			if (strcmp(sc->lab, lab->name) || !wc_scenario_has_variant(sc, variant) || sc->off)
				continue;
			if (g->ro->host && !wc_run_host_can(sc)) {
				s->host_not_run++;
				continue;
			}
			if (sc->level != WC_INFO)
				s->max[i] += sc->points;
			cmd = sc->role == WC_TEST_SERVER ? sl->server : sl->client;
			if (cmd[0] && s->build_log && sl->needs_build[sc->role == WC_TEST_SERVER ? 0 : 1]) {
				/* its programs were not built: not run, said once in the report */
				if (sc->level != WC_INFO)
					s->unbuilt[i] += sc->points;
				continue;
			}
			if (!cmd[0]) {
				if (sc->level != WC_INFO)
					s->unrun[i][sc->role == WC_TEST_SERVER ? 0 : 1] += sc->points;
				continue;
			}
			if (!(j = new_job(g, cap, s, sc, lab, variant)))
				return -1;
			j->server_cmd = sc->role == WC_TEST_SERVER ? sl->server : NULL;
			j->client_cmd = sc->role == WC_TEST_CLIENT ? sl->client : NULL;
		}
	}
	s->nmain = g->njobs - s->first_job;
	if (prepare_more(g, s, scs, n, cap) < 0)
		return -1;
	s->njobs = g->njobs - s->first_job;
	return 0;
}

int wc_grade(const wc_run_opts *ro_in, const wc_grade_opts *go, const wc_scenario *scs, int n)
{
	wc_run_opts ro = *ro_in;
	grading g;
	char **names = NULL, err[6000];
	int count = 0, cap = 0, rc = 0, lock = -1;

	memset(&g, 0, sizeof(g));
	g.go = go;
	g.ro = &ro;
	count = list_subs(go->subdir, &names, err, sizeof(err));
	if (count < 0) {
		fprintf(stderr, "wirecheck: %s\n", err);
		return 2;
	}
	g.subs = calloc((size_t)(count ? count : 1), sizeof(*g.subs));
	if (!g.subs) {
		fprintf(stderr, "wirecheck: out of memory\n");
		return 3;
	}
	mkdirs(go->out);
	{
		int busy;
		char when[64], text[4600];
		time_t now = time(NULL);
		if ((lock = out_lock(go->out, &busy, err, sizeof(err))) < 0) {
			fprintf(stderr, "wirecheck: %s\n", err);
			rc = busy ? 2 : 3;
			goto out;
		}
		out_clean_tmp(go->out);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
		snprintf(text, sizeof(text),
			 "wirecheck grade into '%s' has not finished: started %s, pid %ld.\n"
			 "gradebook.csv, if there is one, is from an earlier run. The submissions listed\n"
			 "below as done have their report folders from this run (gradebook.partial.csv has\n"
			 "their rows when the run was interrupted); any other report folder is from an\n"
			 "earlier run. A run that finishes replaces gradebook.csv and removes this file.\n",
			 go->out, when, (long)getpid());
		if (partial_put(go->out, text, 1) < 0) {
			fprintf(stderr, "wirecheck: cannot write %s/PARTIAL: %s\n", go->out, strerror(errno));
			rc = 3;
			goto out;
		}
	}
	snprintf(ro.captures, sizeof(ro.captures), "%s/captures", go->out);
	for (int k = 0; k < count; k++) {
		char dir[4096];
		sub *s;
		if (go->shard_n > 1 && k % go->shard_n != go->shard_i - 1)
			continue;
		s = &g.subs[g.nsubs];
		snprintf(dir, sizeof(dir), "%s/%s", go->subdir, names[k]);
		if (wc_submission_detect(dir, &s->s, err, sizeof(err)) < 0) {
			/* a bad manifest: graded as nothing found, and said */
			memset(&s->s, 0, sizeof(s->s));
			snprintf(s->s.name, sizeof(s->s.name), "%s", names[k]);
			snprintf(s->s.dir, sizeof(s->s.dir), "%s", dir);
			snprintf(s->note, sizeof(s->note), "%s", err);
		}
		g.nsubs++;
		if (prepare_sub(&g, &ro, s, scs, n, &cap) < 0) {
			fprintf(stderr, "wirecheck: out of memory\n");
			rc = 3;
			goto out;
		}
	}
	for (int k = 0; k < count; k++)
		free(names[k]);
	free(names);
	names = NULL;
	if (g.nsubs == 0) {
		fprintf(stderr, "wirecheck: no submission folder in '%s'%s\n", go->subdir,
			go->shard_n > 1 ? " for this shard" : "");
		rc = 2;
		goto out;
	}
	g.v = calloc((size_t)(g.njobs ? g.njobs : 1), sizeof(*g.v));
	if (!g.v) {
		rc = 3;
		goto out;
	}
	for (int i = 0; i < g.njobs; i++)
		wc_verdict_init(&g.v[i]);
	printf("wirecheck: grading %d submissions (%d scenarios), %d at once\n", g.nsubs, g.njobs, ro.jobs);
	fflush(stdout);
	g.started = wc_now_ms();
	g.started_s = time(NULL);
	/* submissions with nothing to run are done at once */
	for (int k = 0; k < g.nsubs; k++)
		if (g.subs[k].njobs == 0)
			finish_sub(&g, k);
	if (g.njobs && wc_run_all(&ro, g.jobs, g.njobs, g.v, on_done, &g) < 0) {
		fprintf(stderr, "\nwirecheck: interrupted; workers stopped and their folders removed\n");
		if (write_gradebook(&g, "gradebook.partial.csv", 1) == 0)
			fprintf(stderr, "wirecheck: %d of %d submissions graded: %s/gradebook.partial.csv; "
				"%s/gradebook.csv not replaced (see %s/PARTIAL)\n", g.subs_done, g.nsubs, go->out, go->out,
				go->out);
		rc = 130;
		goto out;
	}
	if (write_gradebook(&g, "gradebook.csv", 0) < 0) {
		rc = 3;
		goto out;
	}
	{
		char path[4096];
		snprintf(path, sizeof(path), "%s/gradebook.partial.csv", go->out);
		unlink(path);
		if (!g.write_failed) { /* else PARTIAL stays: some report folders are old */
			snprintf(path, sizeof(path), "%s/PARTIAL", go->out);
			unlink(path);
		}
	}
	printf("gradebook: %s/gradebook.csv\n", go->out);
	for (int k = 0; k < g.nsubs; k++)
		if (g.subs[k].errors)
			rc = 3;
	if (g.write_failed)
		rc = 3;
out:
	if (lock >= 0)
		close(lock);
	if (names) {
		for (int k = 0; k < count; k++)
			free(names[k]);
		free(names);
	}
	if (g.v)
		for (int i = 0; i < g.njobs; i++)
			wc_verdict_free(&g.v[i]);
	free(g.v);
	free(g.jobs);
	free(g.job_sub);
	for (int k = 0; k < g.nsubs; k++)
		free(g.subs[k].build_log);
	free(g.subs);
	return rc;
}

/* ---- merge ---- */

typedef struct row {
	char *line;
	char key[256];
} row;

static int by_key(const void *a, const void *b)
{
	return strcmp(((const row *)a)->key, ((const row *)b)->key);
}

/* The first CSV field of line (unquoted). */
static void first_field(const char *line, char *out, size_t n)
{
	size_t o = 0;

	if (*line == '"') {
		for (line++; *line && o + 1 < n; line++) {
			if (*line == '"') {
				if (line[1] != '"')
					break;
				line++;
			}
			out[o++] = *line;
		}
	} else {
		while (*line && *line != ',' && *line != '\n' && o + 1 < n)
			out[o++] = *line++;
	}
	out[o] = 0;
}

int wc_merge(const char *const *files, int n, FILE *out, char *err, size_t errlen)
{
	char header[4096] = "", line[16384];
	row *rows = NULL;
	int nrows = 0, rc = 0;

	for (int i = 0; i < n && rc == 0; i++) {
		FILE *f = fopen(files[i], "r");
		int first = 1;
		if (!f) {
			snprintf(err, errlen, "%s: cannot open: %s", files[i], strerror(errno));
			rc = -1;
			break;
		}
		while (rc == 0 && fgets(line, sizeof(line), f)) {
			row *nr;
			if (first) {
				first = 0;
				if (!header[0])
					snprintf(header, sizeof(header), "%s", line);
				else if (strcmp(header, line)) {
					snprintf(err, errlen, "%s: its columns differ from those of %s", files[i], files[0]);
					rc = -1;
				}
				continue;
			}
			if (!(nr = realloc(rows, sizeof(*rows) * (size_t)(nrows + 1)))) {
				rc = -1;
				snprintf(err, errlen, "out of memory");
				break;
			}
			rows = nr;
			rows[nrows].line = strdup(line);
			first_field(line, rows[nrows].key, sizeof(rows[nrows].key));
			nrows++;
		}
		fclose(f);
	}
	if (rc == 0 && !header[0]) {
		snprintf(err, errlen, "no gradebook rows to merge");
		rc = -1;
	}
	if (rc == 0) {
		qsort(rows, (size_t)nrows, sizeof(*rows), by_key);
		for (int i = 1; i < nrows; i++)
			if (!strcmp(rows[i].key, rows[i - 1].key)) {
				snprintf(err, errlen, "submission '%s' is in more than one gradebook", rows[i].key);
				rc = -1;
				break;
			}
	}
	if (rc == 0) {
		fputs(header, out);
		for (int i = 0; i < nrows; i++)
			fputs(rows[i].line, out);
	}
	for (int i = 0; i < nrows; i++)
		free(rows[i].line);
	free(rows);
	return rc;
}
