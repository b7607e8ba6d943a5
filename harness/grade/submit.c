/* submit.c - submission detection: the manifest's commands, else the labs' programs found in the tree */
#include "grade/submit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "grade/detect.h"
#include "scenario/lab.h"

/* The usual names of each lab's programs, as the labs' manuals ask for them; NULL: none. */
static const struct {
	const char *lab;
	const char *names[2][3]; /* server's, client's: the usual one first */
} usual[] = {
	{"udp-echo", {{"UDPServer"}, {"UDPClient"}}},
	{"tcp-echo", {{"TCPServer"}, {"TCPClient"}}},
	{"name-echo", {{"NameServer"}, {"NameClient"}}},
	{"http", {{"webserver", "HTTPServer"}, {NULL}}},
	{"dns", {{"server", "DNSServer"}, {"client", "DNSClient"}}},
};

#define NUSUAL (sizeof(usual) / sizeof(usual[0]))

static const char *const role_name[2] = {"server", "client"};

/* A file of the tree that may be one lab's server or client. */
typedef struct pair {
	int file, u, role; /* tree file, usual[] index, 0 server 1 client */
	int level;         /* enum wc_match */
	int fit;           /* wc_source_fits */
	const char *name;  /* the usual name it matched */
} pair;

typedef struct picking {
	const wc_tree *t;
	pair *p;
	int n, cap;
} picking;

static int add_pair(picking *pk, int file, int u, int role, int level, int fit, const char *name)
{
	if (pk->n == pk->cap) {
		int nc = pk->cap ? pk->cap * 2 : 64;
		pair *np = realloc(pk->p, sizeof(*np) * (size_t)nc);
		if (!np)
			return -1;
		pk->p = np;
		pk->cap = nc;
	}
	pk->p[pk->n++] = (pair){file, u, role, level, fit, name};
	return 0;
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The pairs of file k: each role its name matches, and the role its source fits when its name's does not. */
static int pairs_of(picking *pk, int k)
{
	const wc_src_file *f = &pk->t->files[k];
	char why[128];
	int contradicted = 0;

	for (size_t u = 0; u < NUSUAL; u++)
		for (int r = 0; r < 2; r++) {
			int best = 0;
			const char *name = NULL;
			for (int a = 0; a < 3 && usual[u].names[r][a]; a++) {
				int l = wc_name_match(base_of(f->path), usual[u].names[r][a]);
				if (l && (!best || l < best)) {
					best = l;
					name = usual[u].names[r][a];
				}
			}
			if (!best)
				continue;
			int fit = wc_source_fits(f->src, usual[u].lab, r == 0, why, sizeof(why));
			contradicted |= fit < 0;
			if (add_pair(pk, k, (int)u, r, best, fit, name) < 0)
				return -1;
		}
	if (!contradicted)
		return 0;
	/* named like one program, doing another: a candidate for that one (a guess) */
	for (size_t u = 0; u < NUSUAL; u++)
		for (int r = 0; r < 2; r++)
			if (usual[u].names[r][0] && wc_source_fits(f->src, usual[u].lab, r == 0, why, sizeof(why)) > 0 &&
			    add_pair(pk, k, (int)u, r, WC_MATCH_CONTENT, 1, usual[u].names[r][0]) < 0)
				return -1;
	return 0;
}

static const wc_tree *sort_tree; /* qsort has no context argument */

static int lang_rank(char lang)
{
	return lang == 'p' ? 0 : lang == 'j' ? 1 : 2;
}

/* Best first: not contradicted, the name's level, what the source confirms, the least deep, Python first, by path. */
static int by_rank(const void *va, const void *vb)
{
	const pair *a = va, *b = vb;
	const wc_src_file *fa = &sort_tree->files[a->file], *fb = &sort_tree->files[b->file];
	int c;

	if ((a->fit < 0) != (b->fit < 0))
		return a->fit < 0 ? 1 : -1;
	if (a->level != b->level)
		return a->level - b->level;
	if (a->fit != b->fit)
		return b->fit - a->fit;
	if (fa->depth != fb->depth)
		return fa->depth - fb->depth;
	if (lang_rank(fa->lang) != lang_rank(fb->lang))
		return lang_rank(fa->lang) - lang_rank(fb->lang);
	if ((c = strcmp(fa->path, fb->path)) != 0)
		return c;
	return a->u != b->u ? a->u - b->u : a->role - b->role;
}

static int lab_slot(const char *lab)
{
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++)
		if (!strcmp(wc_lab_at(i)->name, lab))
			return i;
	return -1;
}

/* The folder part of path ("" at the top) into out. */
static void folder_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	snprintf(out, n, "%.*s", slash ? (int)(slash - path) : 0, path);
}

/* The command running file f from the submission's top: "cd 'Lab 2' && python3 webserver.py". */
static void command_for(const wc_src_file *f, char *cmd, size_t n)
{
	char folder[512], qf[600], base[256], q[300];
	size_t bl;

	folder_of(f->path, folder, sizeof(folder));
	snprintf(base, sizeof(base), "%s", base_of(f->path));
	bl = strlen(base);
	if (f->lang == 'j')
		base[bl - 5] = 0;
	else if (f->lang == 'c')
		base[bl - 2] = 0;
	wc_sh_quote(base, q, sizeof(q));
	wc_sh_quote(folder, qf, sizeof(qf));
	snprintf(cmd, n, "%s%s%s%s%s", folder[0] ? "cd " : "", folder[0] ? qf : "", folder[0] ? " && " : "",
		 f->lang == 'p' ? "python3 " : f->lang == 'j' ? "java " : "./", q);
}

/* Appends step to the build, run in folder (a subshell when nested), unless it is there already. */
static void add_step(char *build, size_t n, const char *folder, const char *step)
{
	char text[1400], qf[600];
	size_t o = strlen(build);

	wc_sh_quote(folder, qf, sizeof(qf));
	if (folder[0])
		snprintf(text, sizeof(text), "(cd %s && %s)", qf, step);
	else
		snprintf(text, sizeof(text), "%s", step);
	for (const char *p = build; (p = strstr(p, text)) != NULL; p++)
		if ((p == build || p[-1] == ' ') && (p[strlen(text)] == 0 || p[strlen(text)] == ' '))
			return;
	snprintf(build + o, n - o, "%s%s", o ? " && " : "", text);
}

/* A Makefile (any case) in folder of the submission dir. */
static int has_makefile(const char *dir, const char *folder)
{
	char path[4200];
	DIR *d;
	struct dirent *e;
	int hit = 0;

	snprintf(path, sizeof(path), "%s%s%s", dir, folder[0] ? "/" : "", folder);
	if (!(d = opendir(path)))
		return 0;
	while (!hit && (e = readdir(d)) != NULL)
		hit = !strcasecmp(e->d_name, "makefile") || !strcmp(e->d_name, "GNUmakefile");
	closedir(d);
	return hit;
}

/* The build step of a Java or C file taken. */
static void build_for(const char *dir, const wc_src_file *f, char *build, size_t n)
{
	char folder[512], base[256], qb[300], qfile[300], step[700];

	folder_of(f->path, folder, sizeof(folder));
	if (f->lang == 'j') {
		add_step(build, n, folder, "javac *.java");
	} else if (f->lang == 'c') {
		if (has_makefile(dir, folder)) {
			add_step(build, n, folder, "make");
			return;
		}
		snprintf(base, sizeof(base), "%.*s", (int)strlen(base_of(f->path)) - 2, base_of(f->path));
		wc_sh_quote(base, qb, sizeof(qb));
		wc_sh_quote(base_of(f->path), qfile, sizeof(qfile));
		snprintf(step, sizeof(step), "cc -O2 -o %s %s", qb, qfile);
		add_step(build, n, folder, step);
	}
}

/* Appends "sep text" to buf. */
static void append(char *buf, size_t n, const char *sep, const char *text)
{
	size_t o = strlen(buf);
	if (o < n)
		snprintf(buf + o, n - o, "%s%s", o ? sep : "", text);
}

/* Takes pair p for its lab: the command, the file, and whether it is a guess. */
static void take(wc_submission *s, const wc_tree *t, const pair *p)
{
	const wc_src_file *f = &t->files[p->file];
	wc_sub_lab *sl = &s->labs[lab_slot(usual[p->u].lab)];
	char why[128];

	command_for(f, p->role ? sl->client : sl->server, WC_CMD_MAX);
	snprintf(sl->file[p->role], sizeof(sl->file[0]), "%s", f->path);
	if (p->level == WC_MATCH_NEAR)
		snprintf(sl->guess[p->role], sizeof(sl->guess[0]), "near miss of %s", p->name);
	else if (p->level == WC_MATCH_CONTENT) {
		wc_source_describe(f->src, why, sizeof(why));
		snprintf(sl->guess[p->role], sizeof(sl->guess[0]), "its source is %s", why);
	}
	sl->needs_build[p->role] = f->lang != 'p';
}

/* Do two paths name files of the same name, case, '-' and '_' aside? */
static int same_name(const char *a, const char *b)
{
	char na[256], nb[256];

	wc_name_normalise(base_of(a), na, sizeof(na));
	wc_name_normalise(base_of(b), nb, sizeof(nb));
	return !strcmp(na, nb);
}

/* Takes pair p as another server of its lab, graded in the concurrent variant
 * when its source runs a thread or a process per client and the lab has one. */
static void take_more(wc_submission *s, const wc_tree *t, const pair *p)
{
	const wc_src_file *f = &t->files[p->file];
	const wc_lab *lab = wc_lab_find(usual[p->u].lab);
	wc_sub_lab *sl = &s->labs[lab_slot(usual[p->u].lab)];
	wc_sub_more *m = &sl->more[sl->nmore++];

	command_for(f, m->server, sizeof(m->server));
	snprintf(m->file, sizeof(m->file), "%s", f->path);
	m->needs_build = f->lang != 'p';
	if ((f->src & WC_SRC_CONCURRENT) && lab && wc_lab_variant(lab, "concurrent"))
		snprintf(m->variant, sizeof(m->variant), "concurrent");
}

/* Why file k, not taken, was left out; said on the lab of its best pair. */
static void left_out(wc_submission *s, const wc_tree *t, const pair *p)
{
	const wc_src_file *f = &t->files[p->file];
	wc_sub_lab *sl = &s->labs[lab_slot(usual[p->u].lab)];
	char why[160], text[900];

	if (p->fit < 0) {
		wc_source_describe(f->src, why, sizeof(why));
		snprintf(text, sizeof(text), "left out %s (%s, not the %s %s)", f->path, why, usual[p->u].lab,
			 role_name[p->role]);
	} else {
		snprintf(text, sizeof(text), "left out %s (a second %s %s, took %s)", f->path, usual[p->u].lab,
			 role_name[p->role], sl->file[p->role]);
	}
	append(sl->left, sizeof(sl->left), ", ", text);
}

/* The labs the manifest does not name, from the tree; their build into build. -1 out of memory. */
static int from_tree(wc_submission *s, char *build, size_t bn)
{
	wc_tree t;
	picking pk = {&t, NULL, 0, 0};
	char *taken = NULL, *said = NULL, *looked = NULL;
	int rc = -1, took[WC_SUB_LABS][2], more[WC_SUB_LABS][WC_MANIFEST_MORE];

	if (wc_tree_scan(s->dir, &t) < 0)
		goto out;
	s->truncated = t.truncated;
	memset(took, -1, sizeof(took));
	for (int k = 0; k < t.n; k++)
		if (pairs_of(&pk, k) < 0)
			goto out;
	sort_tree = &t;
	if (pk.n)
		qsort(pk.p, (size_t)pk.n, sizeof(*pk.p), by_rank);
	taken = calloc((size_t)t.n + 1, 1);
	said = calloc((size_t)t.n + 1, 1);
	looked = calloc((size_t)t.n + 1, 1);
	if (!taken || !said || !looked)
		goto out;
	for (int i = 0; i < pk.n; i++) {
		const pair *p = &pk.p[i];
		wc_sub_lab *sl = &s->labs[lab_slot(usual[p->u].lab)];
		if (p->fit < 0 || taken[p->file] || sl->manifest)
			continue;
		if (!sl->file[p->role][0]) {
			take(s, &t, p);
			taken[p->file] = 1;
			took[sl - s->labs][p->role] = p->file;
		}
	}
	/* more servers of a lab, named as its server (TCPServer.py and
	 * TCPServerThreaded.py): each graded beside the first; the file's best
	 * pair decides, and a guess (a near miss, a source alone) is not taken */
	for (int i = 0; i < pk.n; i++) {
		const pair *p = &pk.p[i];
		wc_sub_lab *sl = &s->labs[lab_slot(usual[p->u].lab)];
		if (taken[p->file] || looked[p->file])
			continue;
		looked[p->file] = 1;
		if (p->role != 0 || p->fit < 0 || sl->manifest || !sl->file[0][0] || sl->nmore >= WC_MANIFEST_MORE ||
		    p->level > WC_MATCH_PREFIX || same_name(t.files[p->file].path, sl->file[0]))
			continue; /* a copy of the first under the same name (old/UDPServer.py): an older attempt */
		more[sl - s->labs][sl->nmore] = p->file;
		take_more(s, &t, p);
		taken[p->file] = 1;
	}
	/* the builds, lab by lab, server first: the same order for the same files */
	for (int i = 0; i < WC_SUB_LABS; i++) {
		for (int r = 0; r < 2; r++)
			if (took[i][r] >= 0)
				build_for(s->dir, &t.files[took[i][r]], build, bn);
		for (int k = 0; k < s->labs[i].nmore && !s->labs[i].manifest; k++)
			build_for(s->dir, &t.files[more[i][k]], build, bn);
	}
	for (int i = 0; i < pk.n; i++) {
		const pair *p = &pk.p[i];
		if (taken[p->file] || said[p->file] || s->labs[lab_slot(usual[p->u].lab)].manifest)
			continue;
		said[p->file] = 1;
		left_out(s, &t, p);
	}
	rc = 0;
out:
	free(taken);
	free(said);
	free(looked);
	free(pk.p);
	wc_tree_free(&t);
	return rc;
}

/* The manifest's labs: its commands, and the builds they need when it names none. */
static void from_manifest(wc_submission *s, const wc_manifest *m, char *build, size_t bn)
{
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_manifest_lab *ml = wc_manifest_lab_find(m, wc_lab_at(i)->name);
		wc_sub_lab *sl = &s->labs[i];
		if (!ml || (!ml->server[0] && !ml->client[0]))
			continue;
		snprintf(sl->server, sizeof(sl->server), "%s", ml->server);
		snprintf(sl->client, sizeof(sl->client), "%s", ml->client);
		snprintf(sl->how, sizeof(sl->how), "%s", WC_MANIFEST_FILE);
		sl->manifest = 1;
		for (int k = 0; k < ml->nmore; k++) {
			const char *rest;
			char folder[512];
			wc_sub_more *mo = &sl->more[sl->nmore++];
			snprintf(mo->server, sizeof(mo->server), "%s", ml->more[k]);
			snprintf(mo->variant, sizeof(mo->variant), "%s", ml->more_variant[k]);
			wc_manifest_cmd_folder(mo->server, folder, sizeof(folder), &rest);
			mo->needs_build = strncmp(rest, "python", 6) != 0;
			if (!m->build[0] && !strncmp(rest, "java ", 5))
				add_step(build, bn, folder, "javac *.java");
		}
		for (int r = 0; r < 2; r++) {
			const char *cmd = r ? ml->client : ml->server, *rest;
			char folder[512];
			if (!cmd[0])
				continue;
			wc_manifest_cmd_folder(cmd, folder, sizeof(folder), &rest);
			sl->needs_build[r] = strncmp(rest, "python", 6) != 0;
			/* Java named with no build line: javac still runs */
			if (!m->build[0] && !strncmp(rest, "java ", 5))
				add_step(build, bn, folder, "javac *.java");
		}
	}
}

/* The folder's own name, trailing slashes dropped. */
static void name_of(const char *dir, char *out, size_t n)
{
	char tmp[1024];
	const char *slash;
	size_t l;

	snprintf(tmp, sizeof(tmp), "%s", dir);
	while ((l = strlen(tmp)) > 1 && tmp[l - 1] == '/')
		tmp[l - 1] = 0;
	slash = strrchr(tmp, '/');
	snprintf(out, n, "%s", slash && slash[1] ? slash + 1 : tmp);
}

int wc_submission_detect(const char *dir, wc_submission *s, char *err, size_t errlen)
{
	wc_manifest m;
	struct stat st;
	char build[sizeof(s->build)] = "";

	memset(s, 0, sizeof(*s));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder", dir);
		return -1;
	}
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	name_of(dir, s->name, sizeof(s->name));
	if (wc_manifest_load(dir, &m, err, errlen) < 0)
		return -1;
	snprintf(s->student, sizeof(s->student), "%s", m.name);
	from_manifest(s, &m, build, sizeof(build));
	if (from_tree(s, build, sizeof(build)) < 0) {
		snprintf(err, errlen, "%s: out of memory while searching it", dir);
		return -1;
	}
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_manifest_lab *ml = wc_manifest_lab_find(&m, wc_lab_at(i)->name);
		wc_sub_lab *sl = &s->labs[i];
		if (!sl->manifest && (sl->file[0][0] || sl->file[1][0]))
			for (int r = 0; r < 2; r++) {
				char one[900];
				if (!sl->file[r][0])
					continue;
				if (sl->guess[r][0])
					snprintf(one, sizeof(one), "guessed from %s (%s)", sl->file[r], sl->guess[r]);
				else
					snprintf(one, sizeof(one), "%s", sl->file[r]);
				append(sl->how, sizeof(sl->how), " and ", one);
			}

		if (ml && ml->variant[0])
			snprintf(sl->variant, sizeof(sl->variant), "%s", ml->variant);
	}
	s->build_manifest = m.build[0] != 0;
	snprintf(s->build, sizeof(s->build), "%s", m.build[0] ? m.build : build);
	return 0;
}

void wc_submission_describe_lab(const wc_submission *s, int i, char *buf, size_t n)
{
	const wc_sub_lab *sl = &s->labs[i];
	const char *lab = wc_lab_at(i)->name;

	if (!sl->server[0] && !sl->client[0])
		snprintf(buf, n, "%s: nothing found%s%s", lab, sl->left[0] ? ", " : "", sl->left);
	else
		snprintf(buf, n, "%s: %s%s%s", lab, sl->how, sl->left[0] ? ", " : "", sl->left);
	for (int k = 0; k < sl->nmore; k++) {
		char one[900];
		snprintf(one, sizeof(one), "also %s, graded beside it (%s variant)",
			 sl->more[k].file[0] ? sl->more[k].file : sl->more[k].server,
			 sl->more[k].variant[0] ? sl->more[k].variant : "the lab's");
		append(buf, n, ", ", one);
	}
}

void wc_submission_describe(const wc_submission *s, char *buf, size_t n)
{
	char one[2048];

	buf[0] = 0;
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		wc_submission_describe_lab(s, i, one, sizeof(one));
		append(buf, n, "; ", one);
	}
	if (s->build[0]) {
		snprintf(one, sizeof(one), "built with '%s'", s->build);
		append(buf, n, "; ", one);
	}
	if (s->truncated)
		append(buf, n, "; ", WC_SUB_TRUNCATED);
}

/* '#' lines: "# LAB.ROLE: guessed from ...", "# LAB: left out ...", one file a line. */
static void plan_notes(const wc_sub_lab *sl, const char *lab, FILE *f)
{
	const char *p = sl->left;

	for (int r = 0; r < 2; r++)
		if (sl->guess[r][0])
			fprintf(f, "# %s.%s: guessed from %s (%s)\n", lab, role_name[r], sl->file[r], sl->guess[r]);
	while (*p) {
		const char *next = strstr(p + 1, ", left out ");
		size_t len = next ? (size_t)(next - p) : strlen(p);
		fprintf(f, "# %s: %.*s\n", lab, (int)len, p);
		p = next ? next + 2 : p + len;
	}
}

void wc_submission_plan(const wc_submission *s, FILE *f)
{
	fprintf(f, "# wirecheck detect: the plan for '%s' (nothing run; save as %s and edit)\n", s->name,
		WC_MANIFEST_FILE);
	fputs("# programs found by name in the whole tree, confirmed by reading their source (not by running "
	      "them)\n", f);
	if (s->student[0])
		fprintf(f, "name %s\n", s->student);
	if (s->build[0])
		fprintf(f, "build %s\n", s->build);
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_sub_lab *sl = &s->labs[i];
		const char *lab = wc_lab_at(i)->name;
		if (sl->manifest)
			fprintf(f, "# %s: from %s\n", lab, WC_MANIFEST_FILE);
		if (!sl->server[0] && !sl->client[0])
			fprintf(f, "# %s: nothing found\n", lab);
		if (sl->server[0])
			fprintf(f, "%s.server %s\n", lab, sl->server);
		if (sl->client[0])
			fprintf(f, "%s.client %s\n", lab, sl->client);
		if (sl->variant[0])
			fprintf(f, "%s.variant %s\n", lab, sl->variant);
		for (int k = 0; k < sl->nmore; k++)
			fprintf(f, "%s.server.%s %s\n", lab,
				sl->more[k].variant[0] ? sl->more[k].variant
				: sl->variant[0] ? sl->variant : wc_lab_at(i)->variants[0].name,
				sl->more[k].server);
		plan_notes(sl, lab, f);
	}
	if (s->truncated)
		fprintf(f, "# %s: some files were not looked at\n", WC_SUB_TRUNCATED);
}
