/* proc.h - a program under test: started in its own PID namespace and process group, limited, stopped for sure */
#ifndef WC_PROC_H
#define WC_PROC_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "cursor.h"
#include "sandbox/cgroup.h"

typedef struct wc_limits {
	int cpu_s;          /* RLIMIT_CPU, seconds */
	long long data_bytes; /* RLIMIT_DATA: writable private memory (heap, anonymous maps),
			     not the address space a JVM reserves */
	int nproc;          /* RLIMIT_NPROC */
	int nofile;         /* RLIMIT_NOFILE */
	long long fsize;    /* RLIMIT_FSIZE */
	long long mem_bytes; /* with a cgroup (wc_proc_spec.cgroup): the memory of all the
			     program's processes together, swap and shared mappings
			     included; its pids limit is nproc */
} wc_limits;

typedef struct wc_proc_spec {
	const char *shell_cmd;   /* run as /bin/sh -c CMD, or */
	char *const *argv;       /* argv[0] a path, NULL-terminated */
	const char *cwd;
	int drop_priv;           /* setgroups/setgid/setuid to uid, gid */
	uid_t uid;
	gid_t gid;
	int want_stdin;          /* a pipe to standard input; else /dev/null */
	const char *tz;          /* TZ of the program */
	wc_limits limits;
	size_t out_max;          /* bytes of stdout and of stderr kept */
	int new_netns;           /* the program gets a network namespace of its own */
	int host;                /* host mode (issue 19): no PID or IPC namespace can be made;
				    init is a child subreaper instead, and kills every process
				    the program left (daemons included) when it ends or is stopped */
	int uid_shared;          /* host mode: another program runs as uid too (a client scenario's
				    reference server): what this one left is killed by descent only,
				    not by uid (the harness kills the uid's processes once both
				    are stopped) */
	int sync_fd;             /* if >= 0: init waits for a byte on it before starting the program */
	int sync_other;          /* if >= 0: the other end of that pipe, closed in the child */
	const char *jail;        /* if set: the program gets a mount namespace where every
				    filesystem is read-only, /tmp and /dev/shm are fresh and
				    empty, and this folder is there, read-only */
	const char *writable[4]; /* with a jail: the folders left writable (the program's
				    copy, coverage data), NULL-ended */
	const char *bind_from[4]; /* with a jail: folders the program reads (the reference
				    programs, the lab's files), NULL-ended; each appears read-only
				    at bind_to[i], an existing empty folder in the jail folder, so
				    it is reached however its own path is protected (a 0700 home) */
	const char *bind_to[4];
	int unbuffered;          /* a program under test: its C stdio writes at once (libstdbuf,
				    _STDBUF_O=0), as Python's does (PYTHONUNBUFFERED), so that a
				    prompt printed without fflush() reaches the harness */
	const char *preload;     /* host mode's client (issue 19): a shared library put in
				    LD_PRELOAD too (after libstdbuf), NULL: none */
	const char *env[2];      /* "NAME=value" entries added to the fixed environment, NULL: none */
	int sanitizer_env;       /* pass the harness's ASAN_, UBSAN_ and LSAN_OPTIONS on (our
				    own programs, in a sanitizer build: their reports go
				    where the harness's do); else the environment is fixed,
				    but for PATH (wc_proc_path) */
	int cgroup;              /* a program under test: it and all it starts run in a
				    cgroup of their own (sandbox/cgroup.h) where this machine
				    has one to give, limited by limits.mem_bytes, limits.nproc
				    for all its processes; else the rlimits alone */
} wc_proc_spec;

typedef struct wc_proc {
	pid_t init;              /* pid 1 of the program's PID namespace, as seen here */
	int pidfd;               /* of init; readable once it has exited */
	int status_fd;           /* init writes the program's wait status here */
	int stdin_fd, out_fd, err_fd;
	wc_buf out, err;         /* bounded copies of stdout and stderr */
	int exited;              /* the program has ended */
	int status;              /* its wait status, valid when exited */
	int64_t exit_ms;         /* wc_now_ms() when it was seen to end */
	int killed;              /* the harness had to kill it */
	int term_sent;           /* it was running when the harness sent SIGTERM */
	int host;                /* started in host mode (wc_proc_spec.host) */
	wc_cgroup cg;            /* its cgroup, while it is there (spec.cgroup) */
	int oom_kills;           /* processes of it the cgroup's memory limit killed (OOM),
				    read when it is stopped; -1: some, the kernel does not count */
	int oom_killed;          /* the program itself died of that limit (SIGKILL, oom_kills) */
	long long mem_limit;     /* the cgroup's memory limit, for the words; 0: no cgroup */
	char start_err[1200];    /* "" or why the program could not be started, a failure of
				    the harness's environment, not of the program: "cannot run
				    '/x/udp-echo-server' as uid 100042: Permission denied" */
} wc_proc;

int64_t wc_now_ms(void);

/*
 * The PATH entry ("PATH=...") of a program's environment, in out: the absolute
 * folders of caller (the harness's own PATH; NULL or empty: /usr/local/bin:/usr/bin:/bin),
 * each once, in order, then /usr/sbin and /sbin when missing, so that peers such
 * as nginx and nsd run by name. Relative entries are left out. Returns 0, or -1
 * when it does not fit in n (out then holds what fitted).
 */
int wc_proc_path(const char *caller, char *out, size_t n);

/*
 * Starts the program: a new PID namespace whose init (a small reaper) runs it in
 * its own process group; when the program ends, init ends and the kernel kills
 * every process left in the namespace (daemons included). Returns 0, or -1 with
 * the reason in err; *p is valid for wc_proc_free either way. When a step of
 * the start fails once the namespace exists (the jail's mounts, the identity,
 * execve, a shell command's first word that is not installed or not reachable),
 * the program ends with status 127 and p->start_err says why, once its status
 * is in: the machine's failure, to be reported as the harness's.
 */
int wc_proc_start(const wc_proc_spec *spec, wc_proc *p, char *err, size_t errlen);
/* Adds the program's descriptors to pfd (at most max); returns how many. */
int wc_proc_pollfds(const wc_proc *p, struct pollfd *pfd, int max);
/* Reads output and exit status for the descriptors poll() marked. */
void wc_proc_service(wc_proc *p, const struct pollfd *pfd, int n);
/* Waits up to ms for output or the end of the program (ms < 0: no wait). */
void wc_proc_wait(wc_proc *p, int ms);
/* Writes to standard input; -1 if it is closed or the pipe broke. */
int wc_proc_write_stdin(wc_proc *p, const void *buf, size_t n);
void wc_proc_close_stdin(wc_proc *p);
/* Ends the program: SIGTERM to its group, up to grace_ms, then SIGKILL to the
 * namespace. Collects the rest of its output. Idempotent. */
void wc_proc_stop(wc_proc *p, int grace_ms);
void wc_proc_free(wc_proc *p);
/* Kills (SIGKILL) and reaps every child of the calling process, and those that
 * become its children as their parents die (a child subreaper's orphans),
 * until it has none. Async-signal-safe. */
void wc_proc_kill_children(void);
/* True when the program ended by itself, not through the harness's stop:
 * it was gone before SIGTERM, or what ended it was not that SIGTERM (an exit
 * status other than 0, another signal). */
int wc_proc_ended_by_itself(const wc_proc *p);
/* The PATH programs run with when the caller has none (wc_proc_path adds the sbin folders). */
#define WC_PROC_PATH "/usr/local/bin:/usr/bin:/bin"
/* After "the server ": "exited with status 1", "was killed by signal 11 (Segmentation fault)",
 * "was killed by signal 9 (Killed): the scenario's memory limit (1 GiB for all its
 * processes together) was reached", ... */
void wc_proc_describe(const wc_proc *p, char *buf, size_t n);
/* "the scenario's memory limit (1 GiB for all its processes together) was reached" */
void wc_proc_mem_words(const wc_proc *p, char *buf, size_t n);

#endif
