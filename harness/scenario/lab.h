/* lab.h - the labs wirecheck knows: protocol, reference programs, variants */
#ifndef WC_LAB_H
#define WC_LAB_H

#include <stddef.h>

#define WC_LAB_VARIANTS 6

typedef struct wc_variant {
	const char *name;
	const char *about;
	const char *server_args; /* extra arguments of the reference server; {lab} is the lab's fixtures folder */
	const char *client_args; /* extra arguments of the reference client */
} wc_variant;

typedef struct wc_lab {
	const char *name;
	const char *title;
	int proto;               /* IPPROTO_UDP or IPPROTO_TCP: what the server binds */
	const char *ref_server;  /* reference programs, in the reference folder */
	const char *ref_client;
	wc_variant variants[WC_LAB_VARIANTS];
	int nvariants;           /* variants[0] is the default */
	int needs_name;          /* the server appends the student's name (--name NAME for the reference) */
	const char *docroot;     /* a folder beside the lab's scenarios copied into the program's folder
				    (the web server's files), NULL if none */
} wc_lab;

/* The docroot's files carry this modification time in the program's folder,
 * so Last-Modified has one right value: Tue, 02 Jan 2024 03:04:05 GMT. */
#define WC_DOCROOT_MTIME 1704164645
/* A file beside the program's folder, never to be served: its name and content. */
#define WC_CANARY_NAME "secret.html"
#define WC_CANARY_TEXT "wirecheck canary: this file lies outside the server's folder\n"


const wc_lab *wc_lab_find(const char *name);
const wc_lab *wc_lab_at(int i); /* NULL past the end */
const wc_variant *wc_lab_variant(const wc_lab *lab, const char *name);

#endif
