/* submit.h - a submission folder: the commands of each lab, from its manifest or its files found by name and source */
#ifndef WC_SUBMIT_H
#define WC_SUBMIT_H

#include <stddef.h>
#include <stdio.h>

#include "scenario/manifest.h"

#define WC_SUB_LABS 8
/* what the notes say of a search that stopped at its limits */
#define WC_SUB_TRUNCATED "search stopped at its limits (6 folders deep, 4000 entries)"

/* Another server of a lab (an iterative, a threaded, a forked one), graded in
 * its variant beside the first and reported beside it; the lab's points are
 * the first one's. */
typedef struct wc_sub_more {
	char server[WC_CMD_MAX];
	char file[512];          /* the file taken, "" from the manifest */
	char variant[32];        /* "" the lab's */
	int needs_build;
} wc_sub_more;

typedef struct wc_sub_lab {
	char server[WC_CMD_MAX]; /* shell command of the server, "" if none found */
	char client[WC_CMD_MAX];
	char variant[32];        /* "" for the lab's default */
	char how[640];           /* where the commands came from: "wirecheck.manifest", "Lab2/UDPServer.py and ..." */
	char file[2][512];       /* the server's and the client's file taken, "" none or from the manifest */
	char guess[2][256];      /* why the file taken is a guess ("near miss of UDPClient"), "" when it is none */
	char left[1024];         /* the files left out and why: "left out X (a second udp-echo server), ..." */
	int manifest;            /* the commands are the manifest's */
	int needs_build[2];      /* its server, its client is built (Java, C): not run when the build fails */
	wc_sub_more more[WC_MANIFEST_MORE]; /* more servers of the lab */
	int nmore;
} wc_sub_lab;

typedef struct wc_submission {
	char dir[1024];
	char name[128];          /* the folder's name */
	char student[65];        /* the manifest's name, "" if none */
	char build[WC_CMD_MAX * 2]; /* run once before grading ("javac *.java && make"), "" if none */
	wc_sub_lab labs[WC_SUB_LABS]; /* by wc_lab_at index */
	int build_manifest;      /* the build is the manifest's 'build' line */
	int truncated;           /* the search stopped at its depth or entry cap */
} wc_submission;

/*
 * Finds what to run for each lab in folder dir: the manifest's commands first
 * (wirecheck.manifest), then the files of its whole tree (grade/detect.h) whose
 * names match the common ones regardless of case, '-', '_' and spaces:
 *   udp-echo  UDPServer / UDPClient      tcp-echo  TCPServer / TCPClient
 *   name-echo NameServer / NameClient    http      webserver (server only)
 *   dns       server / client (DNSServer / DNSClient)
 * or nearly (one letter off: a guess), each confirmed by what its source does
 * (UDP or TCP, server or client, HTTP or DNS): one that does something else is
 * left out, and said. Each runs in its own folder: NAME.py (python3 NAME.py),
 * NAME.java (javac once in its folder, java NAME) or NAME.c (make when its
 * folder has a Makefile, else cc once; ./NAME); "cd FOLDER && " when nested.
 * A manifest with no 'build' line keeps the build the files need. 0, or -1
 * with err (a bad manifest, not a folder).
 */
int wc_submission_detect(const char *dir, wc_submission *s, char *err, size_t errlen);
/* One line saying what was found for every lab (files taken, guesses, files left out), for reports. */
void wc_submission_describe(const wc_submission *s, char *buf, size_t n);
/* The same for lab index i alone: "udp-echo: Lab2/UDPServer.py and ...". */
void wc_submission_describe_lab(const wc_submission *s, int i, char *buf, size_t n);
/* The plan as manifest lines one can save as wirecheck.manifest; '#' lines for guesses and files left out. */
void wc_submission_plan(const wc_submission *s, FILE *f);

#endif
