/* submit.h - a submission folder: the commands of each lab, from its manifest or its file names */
#ifndef WC_SUBMIT_H
#define WC_SUBMIT_H

#include <stddef.h>

#include "scenario/manifest.h"

#define WC_SUB_LABS 8

typedef struct wc_sub_lab {
	char server[WC_CMD_MAX]; /* shell command of the server, "" if none found */
	char client[WC_CMD_MAX];
	char variant[32];        /* "" for the lab's default */
	char how[256];           /* where the commands came from: "manifest", "UDPServer.py" */
} wc_sub_lab;

typedef struct wc_submission {
	char dir[1024];
	char name[128];          /* the folder's name */
	char student[65];        /* the manifest's name, "" if none */
	char build[WC_CMD_MAX * 2]; /* run once before grading ("javac *.java && make"), "" if none */
	wc_sub_lab labs[WC_SUB_LABS]; /* by wc_lab_at index */
} wc_submission;

/*
 * Finds what to run for each lab in folder dir: the manifest's commands first
 * (wirecheck.manifest), then the common file names, any case:
 *   udp-echo  UDPServer / UDPClient      tcp-echo  TCPServer / TCPClient
 *   name-echo NameServer / NameClient    http      webserver (server only)
 *   dns       server / client
 * each as NAME.py (python3 NAME.py), NAME.java (javac once, java NAME) or
 * NAME.c (make when there is a Makefile, else cc once; ./NAME). 0, or -1 with
 * err (a bad manifest, an unreadable folder).
 */
int wc_submission_detect(const char *dir, wc_submission *s, char *err, size_t errlen);
/* One line saying what was found for every lab, for reports. */
void wc_submission_describe(const wc_submission *s, char *buf, size_t n);

#endif
