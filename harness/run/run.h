/* run.h - running scenarios: one per worker process in fresh namespaces, -j N at once */
#ifndef WC_RUN_H
#define WC_RUN_H

#include "judge/verdict.h"
#include "scenario/lab.h"
#include "sandbox/proc.h"
#include "sandbox/sandbox.h"
#include "scenario/scenario.h"

typedef struct wc_job {
	const wc_scenario *sc;
	const wc_lab *lab;
	const char *variant;     /* variant name the scenario runs under */
	const char *server_cmd;  /* shell command of a server under test; NULL: the reference */
	const char *client_cmd;  /* shell command of a client under test; NULL: the reference */
	const char *dir;         /* submission folder copied for the program; NULL: an empty one */
	const char *impl;        /* implementation name, for capture paths */
	const char *student;     /* the name name-echo appends ($name in payloads) */
	char label[160];         /* the scenario's name in reports and capture paths: ID, or ID@VARIANT */
	int strict;              /* --strict: a SHOULD that fails fails the run, as a MUST does */
	int hex;                 /* send each UDP message spelled as ASCII hex text (wc_record.hex) */
} wc_job;

typedef struct wc_run_opts {
	char refdir[1024];       /* folder of the reference programs */
	char captures[1024];     /* base folder of the pcap files */
	int jobs;                /* workers at once */
	int ready_ms;            /* how long a server may take to bind */
	int grace_ms;            /* between SIGTERM and SIGKILL */
	wc_limits limits;
	size_t out_max;          /* stdout/stderr bytes kept per program */
	int host;                /* host mode (issue 19, sandbox/host.h): no namespace is made;
				    the scenarios run one at a time in this network namespace,
				    two-host scenarios are not run; a client under test is
				    redirected by an LD_PRELOAD shim (lib/preload/redirect.c) */
	int reconstruct;         /* host mode where no capture can be opened (no CAP_NET_RAW): each
				    scenario's pcap is made of what the harness's own sockets
				    did (sandbox/transcript.h), a client one's of what the
				    reference server's did (lib/srvtx.h) */
	char writable[1024];     /* a folder programs may write besides their own
				    (WIRECHECK_WRITABLE: make coverage's .gcda files), "" none */
} wc_run_opts;

void wc_run_opts_default(wc_run_opts *o);
/* Can host mode (wc_run_opts.host) run this scenario? Not a two-host one (no
 * veth pair without namespaces). Without a capture too: a client one is
 * judged from the reference server's transcript. */
int wc_run_host_can(const wc_scenario *sc);
/* Why host mode leaves out the scenarios it cannot run, in words */
const char *wc_run_host_not_run_why(void);

/* Where a program finds the reference programs and its lab's folder, relative
 * to its own folder: its jail binds them there read-only, from wherever they
 * are (a checkout in a 0700 home included). */
#define WC_RUN_REF_AT "../" WC_SANDBOX_REF
#define WC_RUN_LAB_AT "../" WC_SANDBOX_LAB

/* The paths a spec of wc_run_spec points into; lives as long as the spec. */
typedef struct wc_run_binds {
	char ref_at[700], lab_at[700];
} wc_run_binds;

/* Fills *s to run a program in sandbox sb as every program under test runs:
 * its folder, identity, limits, jail; o's reference programs and labdir (NULL:
 * none) bound at WC_RUN_REF_AT and WC_RUN_LAB_AT. trusted: one of our reference
 * programs (no memory limit: a sanitizer build's shadow memory). The caller
 * sets the command. */
void wc_run_spec(const wc_run_opts *o, const wc_sandbox *sb, int trusted, const char *labdir, wc_run_binds *b,
		 wc_proc_spec *s);
/* Runs one job in the calling process, which it moves into new namespaces:
 * call it in a process of its own. Fills *v (wc_verdict_init'ed). */
void wc_run_one(const wc_run_opts *o, const wc_job *job, wc_verdict *v);
/*
 * Builds a submission: copies src privately, runs the shell command cmd there
 * as a program under test is run (fresh namespaces, an unprivileged user,
 * limits), for at most timeout_ms; when it succeeds, copies the result into the
 * existing folder dst. 0 on success; -1 with what went wrong in why: a first
 * line naming the command and how it ended, then its error output (the last
 * WC_BUILD_LOG_MAX bytes), as much as whylen holds.
 */
#define WC_BUILD_LOG_MAX 65536
int wc_run_build(const wc_run_opts *o, const char *src, const char *dst, const char *cmd, int timeout_ms, char *why,
		 size_t whylen);
/* Removes the private folders of workers that are gone (a harness killed with
 * SIGKILL cannot remove its own). Returns how many. */
int wc_run_clean_stale(void);
/* Runs the jobs in forked workers, o->jobs at a time; v[i] gets job i's verdict.
 * on_done(i) is called as each finishes. Returns 0, or -1 if interrupted (SIGINT,
 * SIGTERM): workers are killed and their folders removed. */
int wc_run_all(const wc_run_opts *o, const wc_job *jobs, int n, wc_verdict *v,
	       void (*on_done)(int i, void *ctx), void *ctx);

/* SIGINT and SIGTERM set a flag from now on (wc_run_all also does, for its
 * run): a caller that prepares a run (the preflight) can stop on them too. */
void wc_run_catch_interrupts(void);
/* True once SIGINT or SIGTERM came (wc_run_all then returns -1). */
int wc_run_interrupted(void);

#endif
