/* manifest.h - a submission's wirecheck.manifest: what the student says about the submission */
#ifndef WC_MANIFEST_H
#define WC_MANIFEST_H

#include <stddef.h>

#define WC_MANIFEST_FILE "wirecheck.manifest"

typedef struct wc_manifest {
	char name[65];      /* the student's name, appended by name-echo */
} wc_manifest;

/*
 * Reads DIR/wirecheck.manifest: lines of 'key value', '#' comments, blank lines.
 * Keys: 'name'. A missing file is no error (*m stays empty) and returns 0; a
 * bad one returns -1 with "file:line: message" in err.
 */
int wc_manifest_load(const char *dir, wc_manifest *m, char *err, size_t errlen);

#endif
