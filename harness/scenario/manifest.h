/* manifest.h - a submission's wirecheck.manifest: what the student says about the submission */
#ifndef WC_MANIFEST_H
#define WC_MANIFEST_H

#include <stddef.h>

#define WC_MANIFEST_FILE "wirecheck.manifest"

#define WC_MANIFEST_LABS 8
#define WC_CMD_MAX 512
#define WC_MANIFEST_MORE 3 /* servers of one lab beyond the first */

/* What the manifest says about one lab. */
typedef struct wc_manifest_lab {
	char lab[32];
	char server[WC_CMD_MAX];  /* shell command of the server, "" if not given */
	char client[WC_CMD_MAX];
	char variant[32];         /* the lab variant to grade, "" for the lab's default */
	/* more servers of the lab, each graded in its variant beside the first
	 * ('LAB.server.VARIANT CMD'): an iterative and a threaded one, say */
	char more[WC_MANIFEST_MORE][WC_CMD_MAX];
	char more_variant[WC_MANIFEST_MORE][32];
	int nmore;
} wc_manifest_lab;

typedef struct wc_manifest {
	char name[65];      /* the student's name, appended by name-echo */
	char build[WC_CMD_MAX]; /* run once in the submission before grading, "" if none */
	wc_manifest_lab labs[WC_MANIFEST_LABS];
	int nlabs;
	int found;          /* the file exists */
} wc_manifest;

/*
 * Reads DIR/wirecheck.manifest: lines of 'key value', '#' comments, blank lines.
 * Keys: 'name NAME', 'build CMD', and per lab 'LAB.server CMD', 'LAB.client CMD',
 * 'LAB.variant NAME' (LAB one of wirecheck's labs), and 'LAB.server.VARIANT CMD'
 * for another server of the lab, graded in that variant beside the first. A missing file is no error
 * (*m stays empty) and returns 0; a bad one returns -1 with "file:line: message"
 * in err.
 */
int wc_manifest_load(const char *dir, wc_manifest *m, char *err, size_t errlen);
/*
 * The folder a command starts in: DIR of "cd DIR && REST" (DIR as written, or
 * 'quoted' with no quote inside), "" when it does not start so; *rest points
 * at REST (the whole command when there is no folder).
 */
void wc_manifest_cmd_folder(const char *cmd, char *folder, size_t n, const char **rest);
/* The manifest's entry for lab, or NULL. */
const wc_manifest_lab *wc_manifest_lab_find(const wc_manifest *m, const char *lab);

#endif
