/* host.h - host mode (issue 19): scenarios run in the network namespace wirecheck finds itself in, where no namespace can be made (a grader's Docker container) */
#ifndef WC_HOST_H
#define WC_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox/discover.h"
#include "sandbox/sandbox.h"

/* The isolation a run asks for (--isolation). */
enum wc_isolation { WC_ISO_AUTO, WC_ISO_NAMESPACES, WC_ISO_HOST };

/*
 * Can this process make the namespaces a scenario needs? A forked child tries
 * unshare(CLONE_NEWNET) (as root) or unshare(CLONE_NEWUSER | CLONE_NEWNET)
 * (rootless), as wc_sandbox_enter will. 0 when it can; -1 with the reason in
 * why: "unshare CLONE_NEWNET: Operation not permitted".
 */
int wc_host_probe(char *why, size_t n);

/* What host mode loses, in words, for the line that says it falls back. */
#define WC_HOST_LOSES                                                                                             \
	"scenarios one at a time on this machine's loopback, the program in a private folder of its own (no "      \
	"PID, mount or network namespace: it sees the machine's files and processes), a client under test "       \
	"redirected by an LD_PRELOAD shim (a static binary's targets not recorded), two-host scenarios not run"

/*
 * The private folder of a scenario in host mode: an ordinary folder under
 * TMPDIR (0711, the copy inside owned by the program's identity), with the
 * submission src_dir (NULL: none), and copies of the reference programs
 * (refdir) and of the lab's folder (labdir, NULL: none) at WC_SANDBOX_REF and
 * WC_SANDBOX_LAB beside the copy, where a jail would have bound them. As root
 * the programs run as an unprivileged uid of this worker; else as the caller.
 * Nothing is entered. 0, or -1 with err. wc_sandbox_leave removes it.
 */
int wc_host_sandbox_enter(wc_sandbox *sb, const char *src_dir, const char *refdir, const char *labdir, char *err,
			  size_t errlen);

/* After the worker whose pid is worker has ended, however it ended (killed at
 * its deadline: its init's PDEATHSIG leaves the program's orphans alive, no
 * PID namespace ends them): as root, kills every process of the uid its
 * sandbox gave programs. Nothing when not root. */
void wc_host_kill_worker_uid(pid_t worker);

/*
 * Is the socket b one of the program's, whose first process is pid init? In
 * host mode the tables hold every socket of the machine's namespace. By the
 * program's own uid when it has one (uid_only); else by inode, among the
 * sockets open in init and its descendants (/proc/PID/fd).
 */
int wc_host_socket_ours(const wc_bound *b, pid_t init, int uid_only, uid_t uid);
/* Keeps in out[0..n) the sockets wc_host_socket_ours accepts; returns how many. */
int wc_host_keep_ours(wc_bound *out, int n, pid_t init, int uid_only, uid_t uid);

/*
 * After a scenario: waits, looking at the socket tables, until no socket of
 * proto is bound to port any more (the program's end closes them), at most
 * until ms have passed. 0 when free; -1 with what holds it in err.
 */
int wc_host_wait_port_free(int proto, uint16_t port, int ms, char *err, size_t errlen);

/* Who holds port (proto): "pid 123 (python3), uid 0" of the first process
 * whose descriptors hold the socket, or "a socket of uid U (its process could not
 * be named: ...)" when no process readable here holds it. Empty when no bound
 * socket is there. */
void wc_host_port_holder(int proto, uint16_t port, char *out, size_t n);

#endif
