/* manifest.c - the submission manifest parser: key value lines, file:line: errors */
#include "scenario/manifest.h"

#include "scenario/lab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const wc_manifest_lab *wc_manifest_lab_find(const wc_manifest *m, const char *lab)
{
	for (int i = 0; i < m->nlabs; i++)
		if (!strcmp(m->labs[i].lab, lab))
			return &m->labs[i];
	return NULL;
}

void wc_manifest_cmd_folder(const char *cmd, char *folder, size_t n, const char **rest)
{
	const char *amp;
	size_t l;

	folder[0] = 0;
	*rest = cmd;
	if (strncmp(cmd, "cd ", 3) || !(amp = strstr(cmd, " && ")))
		return;
	snprintf(folder, n, "%.*s", (int)(amp - cmd - 3), cmd + 3);
	l = strlen(folder);
	if (l > 1 && folder[0] == '\'' && folder[l - 1] == '\'' && !memchr(folder + 1, '\'', l - 2)) {
		memmove(folder, folder + 1, l - 2);
		folder[l - 2] = 0;
	}
	*rest = amp + 4;
}

/* LAB.server CMD, LAB.client CMD, LAB.variant NAME. 0, or -1 with err. */
static int lab_key(wc_manifest *m, const char *key, const char *value, const char *path, int lineno, char *err,
		   size_t errlen)
{
	const char *dot = strchr(key, '.'), *what;
	char lab[32];
	const wc_lab *l;
	wc_manifest_lab *e;
	char *field;
	size_t cap;

	if (!dot || (size_t)(dot - key) >= sizeof(lab)) {
		snprintf(err, errlen, "%s:%d: unknown key '%s' (known: name, build, LAB.server, LAB.client, "
				      "LAB.variant)", path, lineno, key);
		return -1;
	}
	snprintf(lab, sizeof(lab), "%.*s", (int)(dot - key), key);
	what = dot + 1;
	if (!(l = wc_lab_find(lab))) {
		snprintf(err, errlen, "%s:%d: unknown lab '%s' in '%s'", path, lineno, lab, key);
		return -1;
	}
	e = (wc_manifest_lab *)wc_manifest_lab_find(m, lab);
	if (!e) {
		if (m->nlabs >= WC_MANIFEST_LABS) {
			snprintf(err, errlen, "%s:%d: too many labs", path, lineno);
			return -1;
		}
		e = &m->labs[m->nlabs++];
		snprintf(e->lab, sizeof(e->lab), "%s", lab);
	}
	if (!strcmp(what, "server") || !strcmp(what, "client") || !strcmp(what, "variant")) {
		const char *have = what[0] == 's' ? e->server : what[0] == 'c' ? e->client : e->variant;
		if (have[0]) {
			snprintf(err, errlen, "%s:%d: a second '%s' (another server of the lab goes as "
					      "'%s.server.VARIANT CMD')", path, lineno, key, lab);
			return -1;
		}
	}
	if (!strncmp(what, "server.", 7)) {
		if (!wc_lab_variant(l, what + 7)) {
			snprintf(err, errlen, "%s:%d: lab '%s' has no variant '%s' (in '%s')", path, lineno, lab,
				 what + 7, key);
			return -1;
		}
		if (e->nmore >= WC_MANIFEST_MORE) {
			snprintf(err, errlen, "%s:%d: more than %d servers beside the first for '%s'", path, lineno,
				 WC_MANIFEST_MORE, lab);
			return -1;
		}
		snprintf(e->more_variant[e->nmore], sizeof(e->more_variant[0]), "%s", what + 7);
		field = e->more[e->nmore++];
		cap = sizeof(e->more[0]);
	} else if (!strcmp(what, "server")) {
		field = e->server;
		cap = sizeof(e->server);
	} else if (!strcmp(what, "client")) {
		field = e->client;
		cap = sizeof(e->client);
	} else if (!strcmp(what, "variant")) {
		if (!wc_lab_variant(l, value)) {
			snprintf(err, errlen, "%s:%d: lab '%s' has no variant '%s'", path, lineno, lab, value);
			return -1;
		}
		field = e->variant;
		cap = sizeof(e->variant);
	} else {
		snprintf(err, errlen, "%s:%d: unknown key '%s' (a lab takes .server, .client, .variant, .server.VARIANT)", path, lineno,
			 key);
		return -1;
	}
	if (!*value || strlen(value) >= cap) {
		snprintf(err, errlen, "%s:%d: '%s' takes 1 to %zu characters", path, lineno, key, cap - 1);
		return -1;
	}
	snprintf(field, cap, "%s", value);
	return 0;
}

int wc_manifest_load(const char *dir, wc_manifest *m, char *err, size_t errlen)
{
	char path[4096], line[1024];
	int lineno = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/%s", dir, WC_MANIFEST_FILE);
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	m->found = 1;
	while (fgets(line, sizeof(line), f)) {
		char *key, *value, *end;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			goto fail;
		}
		line[strcspn(line, "\r\n")] = 0;
		key = line + strspn(line, " \t");
		if (!*key || *key == '#')
			continue;
		value = key + strcspn(key, " \t");
		if (*value)
			*value++ = 0;
		value += strspn(value, " \t");
		end = value + strlen(value);
		while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if (!strcmp(key, "name")) {
			if (!*value || strlen(value) >= sizeof(m->name)) {
				snprintf(err, errlen, "%s:%d: 'name' takes 1 to %zu characters", path, lineno,
					 sizeof(m->name) - 1);
				goto fail;
			}
			snprintf(m->name, sizeof(m->name), "%s", value);
		} else if (!strcmp(key, "build")) {
			if (!*value || strlen(value) >= sizeof(m->build)) {
				snprintf(err, errlen, "%s:%d: 'build' takes a command of 1 to %zu characters", path,
					 lineno, sizeof(m->build) - 1);
				goto fail;
			}
			snprintf(m->build, sizeof(m->build), "%s", value);
		} else if (lab_key(m, key, value, path, lineno, err, errlen) < 0) {
			goto fail;
		}
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	memset(m, 0, sizeof(*m));
	return -1;
}
