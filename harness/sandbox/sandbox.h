/* sandbox.h - the isolation of one scenario run: namespaces, an unprivileged identity, a private folder */
#ifndef WC_SANDBOX_H
#define WC_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

typedef struct wc_sandbox {
	int rootless;        /* entered through a user namespace (not run as root) */
	int subids;          /* rootless, with the user's subordinate ids mapped: the programs
				run as one of them (else, rootless, as the user) */
	int work_tmpfs;      /* the copy is on a tmpfs of a bounded size, in this worker's mount namespace */
	uid_t run_uid;       /* identity of programs under test */
	gid_t run_gid;
	int drop_priv;       /* programs must setuid to run_uid */
	char tmp[512];       /* private temporary folder, removed by wc_sandbox_leave */
	char work[600];      /* tmp/work: the private copy of the submission */
} wc_sandbox;

/* Empty folders in the private folder, beside the copy: where a program's jail
 * binds the reference programs and the lab's files (read-only). */
#define WC_SANDBOX_REF "ref"
#define WC_SANDBOX_LAB "lab"

/*
 * Moves the calling process into a fresh network namespace (and, when not root,
 * a user namespace, so no sudo is needed: it maps the user's own ids, and the
 * user's subordinate ids where wc_subids_usable says there are, the programs'
 * identity then; a second sandbox of the process makes only a new network
 * namespace in the same user namespace), brings lo
 * up and lets unprivileged programs bind ports below 1024. Then makes the private
 * folder (with the empty folders WC_SANDBOX_REF and WC_SANDBOX_LAB beside the
 * copy) and copies src_dir (may be NULL: an empty folder) into it, owned by the
 * identity programs will run as. 0, or -1 with the reason in err.
 */
int wc_sandbox_enter(wc_sandbox *sb, const char *src_dir, char *err, size_t errlen);
/* The first step of every sandbox, host mode's too: sb cleared, and its private
 * folder made, $TMPDIR/wirecheck-PID-XXXXXX (sb->tmp). 0, or -1 with the reason. */
int wc_sandbox_private_dir(wc_sandbox *sb, char *err, size_t errlen);
/*
 * Numbers the sandboxes a run makes from now on in this process (a worker
 * calls it with the run's pid and its own sequence number before it enters):
 * as root their programs run as a uid of that run and number, one no other
 * program of the run had (issue 18: uids came from the worker's pid, and pids
 * wrap at pid_max, 32768 here, within one class); rootless with subordinate
 * ids, as the id of that number modulo their count (65536 for a usual range):
 * none repeats while a run has fewer sandboxes. Without it the worker's pid
 * is used.
 */
void wc_sandbox_number(unsigned run, unsigned seq);
/* Copies the tree 'from' into the private copy (into its folder sub when sub is
 * neither NULL nor "": a real folder of the copy, no link, no '..'), over what
 * is there under the same names, every file with modification time mtime (0:
 * the copy's own). 0, or -1. */
int wc_sandbox_add(wc_sandbox *sb, const char *from, const char *sub, time_t mtime, char *err, size_t errlen);
/* Writes a world-readable file 'name' holding 'text' beside the private copy
 * (in its parent folder): a file the program must never hand out. 0, or -1. */
int wc_sandbox_canary(wc_sandbox *sb, const char *name, const char *text, char *err, size_t errlen);
/* Copies the tree 'from' into the existing folder 'to' (regular files, folders,
 * links; at most the size a submission may have). 0, or -1 with err. */
int wc_copy_tree(const char *from, const char *to, char *err, size_t errlen);
/* Removes the private folder. */
void wc_sandbox_leave(wc_sandbox *sb);
/* rm -rf path; 0 or -1. Makes unreadable folders readable first. */
int wc_remove_tree(const char *path);

#endif
