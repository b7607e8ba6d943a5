/* cgroup.h - a cgroup of its own for each program under test: memory and processes limited for all its processes together */
#ifndef WC_CGROUP_H
#define WC_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

/*
 * The rlimits of proc.c hold one process each: six children of 900 MiB, or
 * one MAP_SHARED mapping RLIMIT_DATA does not count, went far past them
 * (issue 18). A cgroup holds the program and everything it starts: its memory
 * together (swap included), its number of tasks, and its share of the CPU
 * beside the harness. As root, where a memory controller is mounted (cgroup
 * v1, or v2 with memory enabled), each program gets one, named after the
 * worker's pid and a counter, under 'wirecheck' at the hierarchy's root:
 * v1 /sys/fs/cgroup/memory/wirecheck/812-1 (and the same name under pids and
 * cpu), v2 /sys/fs/cgroup/wirecheck/812-1.
 */

#define WC_CGROUP_DIRS 3        /* v1: memory, pids, cpu; v2: one folder */

typedef struct wc_cgroup {
	int active;             /* made, not yet removed */
	int v2;
	int n;                  /* folders in dir */
	char dir[WC_CGROUP_DIRS][320]; /* the memory controller's first */
	long long mem_bytes;    /* its memory limit */
} wc_cgroup;

/*
 * Can scenario cgroups be had here? Probed once per process (a worker
 * inherits its parent's answer): root, not WIRECHECK_NO_CGROUP, a memory
 * controller, and a cgroup that can be made, limited and removed. 1, or 0
 * with the reason in why (may be NULL): "not root: rootless mode",
 * "no memory controller is mounted", "cannot make '...': Read-only file system".
 */
int wc_cgroup_usable(char *why, size_t n);
/* "cgroup v1" or "cgroup v2", once wc_cgroup_usable said 1 */
const char *wc_cgroup_kind(void);

/* Makes the cgroup of a program: memory (and memory with swap) limited to
 * mem_bytes, at most pids tasks (0: no limit). 0, or -1 with the reason in err (nothing left made). */
int wc_cgroup_make(wc_cgroup *cg, long long mem_bytes, int pids, char *err, size_t errlen);
/* Opens the cgroup.procs of each folder (O_CLOEXEC) into fds: a process that
 * writes "0" to each moves itself in, whatever PID namespace it is in. The
 * number opened, or -1 with errno. */
int wc_cgroup_open_procs(const wc_cgroup *cg, int fds[WC_CGROUP_DIRS]);
/* How many processes the memory limit's OOM killer killed; -1 when the kernel
 * does not count them but the limit was reached (v1 before 4.13: failcnt). */
int wc_cgroup_oom_kills(const wc_cgroup *cg);
/* Removes the cgroup: what is left in it is killed first. Idempotent. */
void wc_cgroup_remove(wc_cgroup *cg);
/* Removes the cgroups of worker pid (a worker killed before it removed its own). */
void wc_cgroup_remove_worker(pid_t pid);
/* Removes the cgroups of workers for which gone(pid) is true (a harness
 * killed with SIGKILL cannot remove its own). Returns how many. */
int wc_cgroup_clean_stale(int (*gone)(pid_t));

/* ---- the pieces, for the unit tests ---- */

/* From mountinfo's text: the mount points of the v1 hierarchies that hold the
 * memory, pids and cpu controllers (into mem, pids, cpu; "" if none), and of
 * the cgroup2 hierarchy (into v2, "" if none); each of size n. */
void wc_cgroup_mounts(const char *mountinfo, char *mem, char *pids, char *cpu, char *v2, size_t n);
/* The number after "key " on a line of text ("oom_kill 3"), or -1. */
long long wc_cgroup_field(const char *text, const char *key);
/* "1 GiB", "512 MiB", "1536 KiB", "100 bytes" */
void wc_cgroup_bytes_str(long long bytes, char *buf, size_t n);

#endif
