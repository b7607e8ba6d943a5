/* manifest.c - the submission manifest parser: key value lines, file:line: errors */
#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int wc_manifest_load(const char *dir, wc_manifest *m, char *err, size_t errlen)
{
	char path[4096], line[512];
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
		} else {
			snprintf(err, errlen, "%s:%d: unknown key '%s' (known: name)", path, lineno, key);
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
