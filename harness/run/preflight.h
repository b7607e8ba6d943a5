/* preflight.h - what this machine must allow before the first scenario: the reference programs, the fixtures, namespaces, the jail, the sandbox user's reach, veth, nftables, pcap */
#ifndef WC_PREFLIGHT_H
#define WC_PREFLIGHT_H

#include "scenario/lab.h"
#include "run/run.h"

#define WC_PREFLIGHT_MAX 12

enum {
	WC_NEED_VETH = 1,     /* a two-host scenario: a veth pair between namespaces */
	WC_NEED_REDIRECT = 2, /* a client scenario: nftables in the namespace */
	WC_NEED_ALL = 3
};

typedef struct wc_preflight_item {
	char name[48];      /* "reference programs", "sandbox", "nftables", ... */
	int ok;
	char detail[1400];  /* what was found; or what is wrong, the system's reason, what to do */
} wc_preflight_item;

typedef struct wc_preflight {
	wc_preflight_item item[WC_PREFLIGHT_MAX];
	int n;
	int failed;         /* items not ok */
} wc_preflight;

/*
 * Checks, as the scenarios will do it, what running scenarios of the labs
 * labs[0..nlabs) needs: the reference programs in o->refdir and the labs'
 * folders under fixtures exist; in a worker process of its own, the private
 * folder and the namespaces can be made, a program started in the jail as the
 * sandbox's user can run every reference program and read every lab's files
 * (through the same binds), and, as 'needs' says, a veth pair, the nftables
 * redirect and a capture on lo work. Fills *pf; returns pf->failed. Prints
 * nothing: the caller reports the items.
 */
int wc_preflight_run(const wc_run_opts *o, const char *fixtures, const wc_lab *const *labs, int nlabs, int needs,
		     wc_preflight *pf);
/* Waits for the check's worker, which returns its report before it closes its
 * sockets (the kernel makes that wait); call before exiting. */
void wc_preflight_reap(void);

#endif
