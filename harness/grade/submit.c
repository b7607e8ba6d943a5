/* submit.c - submission detection: the manifest's commands, else the labs' usual file names */
#include "grade/submit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "scenario/lab.h"

/* The usual base names of each lab's programs, as the labs' manuals ask for them. */
static const struct {
	const char *lab, *server, *client;
} usual[] = {
	{"udp-echo", "udpserver", "udpclient"},
	{"tcp-echo", "tcpserver", "tcpclient"},
	{"name-echo", "nameserver", "nameclient"},
	{"http", "webserver", NULL},
	{"dns", "server", "client"},
};

typedef struct found {
	int java, c, make;
} found;

/* A file in dir named base.ext, any case: its real name into out. */
static int find_file(const char *dir, const char *base, const char *ext, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t bl = strlen(base), el = strlen(ext);
	int hit = 0;

	if (!d)
		return 0;
	while (!hit && (e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l == bl + 1 + el && !strncasecmp(e->d_name, base, bl) && e->d_name[bl] == '.' &&
		    !strcasecmp(e->d_name + bl + 1, ext)) {
			snprintf(out, n, "%s", e->d_name);
			hit = 1;
		}
	}
	closedir(d);
	return hit;
}

/* The command for a program named base (python, Java or C); "" if none. */
static void command_for(const char *dir, const char *base, found *f, char *cmd, size_t n, char *file, size_t fn)
{
	char name[256];

	cmd[0] = file[0] = 0;
	if (find_file(dir, base, "py", name, sizeof(name))) {
		snprintf(cmd, n, "python3 %s", name);
	} else if (find_file(dir, base, "java", name, sizeof(name))) {
		snprintf(cmd, n, "java %.*s", (int)(strlen(name) - 5), name);
		f->java = 1;
	} else if (find_file(dir, base, "c", name, sizeof(name))) {
		snprintf(cmd, n, "./%.*s", (int)(strlen(name) - 2), name);
		f->c = 1;
	} else {
		return;
	}
	snprintf(file, fn, "%s", name);
}

static void c_build(const char *dir, found *f, char *build, size_t n)
{
	char path[1200], unused[256];
	struct stat st;
	size_t o = strlen(build);

	snprintf(path, sizeof(path), "%s/Makefile", dir);
	f->make = stat(path, &st) == 0 || find_file(dir, "makefile", "", unused, sizeof(unused));
	if (f->make) {
		snprintf(build + o, n - o, "%smake", o ? " && " : "");
		return;
	}
	/* no Makefile: each C program alone */
	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++) {
		const char *names[2] = {usual[i].server, usual[i].client};
		for (int k = 0; k < 2; k++) {
			char file[256];
			if (names[k] && find_file(dir, names[k], "c", file, sizeof(file))) {
				o = strlen(build);
				snprintf(build + o, n - o, "%scc -O2 -o %.*s %s", o ? " && " : "", (int)(strlen(file) - 2),
					 file, file);
			}
		}
	}
}

int wc_submission_detect(const char *dir, wc_submission *s, char *err, size_t errlen)
{
	wc_manifest m;
	found f = {0, 0, 0};
	const char *slash;
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a folder", dir);
		return -1;
	}
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	{
		char tmp[1024];
		size_t l;
		snprintf(tmp, sizeof(tmp), "%s", dir);
		while ((l = strlen(tmp)) > 1 && tmp[l - 1] == '/')
			tmp[l - 1] = 0;
		slash = strrchr(tmp, '/');
		snprintf(s->name, sizeof(s->name), "%s", slash && slash[1] ? slash + 1 : tmp);
	}
	if (wc_manifest_load(dir, &m, err, errlen) < 0)
		return -1;
	snprintf(s->student, sizeof(s->student), "%s", m.name);
	snprintf(s->build, sizeof(s->build), "%s", m.build);
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_lab *lab = wc_lab_at(i);
		const wc_manifest_lab *ml = wc_manifest_lab_find(&m, lab->name);
		wc_sub_lab *sl = &s->labs[i];

		if (ml && (ml->server[0] || ml->client[0])) {
			snprintf(sl->server, sizeof(sl->server), "%s", ml->server);
			snprintf(sl->client, sizeof(sl->client), "%s", ml->client);
			snprintf(sl->how, sizeof(sl->how), "%s", WC_MANIFEST_FILE);
		} else {
			for (size_t u = 0; u < sizeof(usual) / sizeof(usual[0]); u++) {
				char sf[256] = "", cf[256] = "";
				if (strcmp(usual[u].lab, lab->name))
					continue;
				command_for(dir, usual[u].server, &f, sl->server, sizeof(sl->server), sf, sizeof(sf));
				if (usual[u].client)
					command_for(dir, usual[u].client, &f, sl->client, sizeof(sl->client), cf, sizeof(cf));
				if (sf[0] || cf[0])
					snprintf(sl->how, sizeof(sl->how), "%s%s%s", sf, sf[0] && cf[0] ? " and " : "", cf);
			}
		}
		if (ml && ml->variant[0])
			snprintf(sl->variant, sizeof(sl->variant), "%s", ml->variant);
	}
	/* what to build, unless the manifest says */
	if (!m.build[0]) {
		if (f.java)
			snprintf(s->build, sizeof(s->build), "javac *.java");
		if (f.c)
			c_build(dir, &f, s->build, sizeof(s->build));
	}
	return 0;
}

void wc_submission_describe(const wc_submission *s, char *buf, size_t n)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; wc_lab_at(i) && i < WC_SUB_LABS; i++) {
		const wc_sub_lab *sl = &s->labs[i];
		if (o >= n)
			break;
		if (!sl->server[0] && !sl->client[0])
			o += (size_t)snprintf(buf + o, n - o, "%s%s: nothing found", o ? "; " : "", wc_lab_at(i)->name);
		else
			o += (size_t)snprintf(buf + o, n - o, "%s%s: %s", o ? "; " : "", wc_lab_at(i)->name, sl->how);
	}
	if (s->build[0] && o < n)
		snprintf(buf + o, n - o, "; built with '%s'", s->build);
}
