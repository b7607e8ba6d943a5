/* host.c - host mode: the namespace probe, a private folder without mounts, the program's sockets among the machine's, its port free again */
#include "sandbox/host.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/proc.h"

/* Programs under test run as uids from here in host mode, as root: this plus
 * the worker's pid (up to 2^22), so that two workers alive at once, of this
 * run or another's, never share one (pid % 50000 did, where pid_max is 2^22),
 * and above the uids of namespace mode (sandbox.c: up to about 10^8), which
 * kill(-1) as a host mode uid would reach too. */
#define HOST_UID_BASE 1000000000u

int wc_host_probe(char *why, size_t n)
{
	int root = geteuid() == 0, st;
	const char *what = root ? "unshare CLONE_NEWNET" : "unshare CLONE_NEWUSER|CLONE_NEWNET";
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(why, n, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		_exit(unshare(root ? CLONE_NEWNET : CLONE_NEWUSER | CLONE_NEWNET) < 0 ? (errno & 0xff) : 0);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, n, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		snprintf(why, n, "%s: %s", what, strerror(WEXITSTATUS(st)));
	else
		snprintf(why, n, "%s: the trying process was killed by signal %d (a seccomp filter?)", what,
			 WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return -1;
}

/* The uid programs of the worker whose pid is worker run as (as root). */
static uid_t worker_uid(pid_t worker)
{
	return HOST_UID_BASE + (uid_t)worker;
}

void wc_host_kill_worker_uid(pid_t worker)
{
	uid_t uid = worker_uid(worker);
	pid_t k;

	if (geteuid() != 0)
		return;
	k = fork();
	if (k == 0) {
		/* as that uid, kill(-1) reaches that uid's processes alone */
		if (setgid((gid_t)uid) == 0 && setuid(uid) == 0)
			kill(-1, SIGKILL);
		_exit(0);
	}
	if (k > 0)
		while (waitpid(k, NULL, 0) < 0 && errno == EINTR)
			;
}

int wc_host_sandbox_enter(wc_sandbox *sb, const char *src_dir, const char *refdir, const char *labdir, char *err,
			  size_t errlen)
{
	char p[700];

	err[0] = 0;
	if (wc_sandbox_private_dir(sb, err, errlen) < 0)
		return -1;
	sb->rootless = geteuid() != 0;
	if (sb->rootless) {
		sb->run_uid = getuid();
		sb->run_gid = getgid();
	} else {
		/* one scenario at a time in host mode: a uid of this worker */
		sb->run_uid = worker_uid(getpid());
		sb->run_gid = (gid_t)sb->run_uid;
		sb->drop_priv = 1;
	}
	snprintf(sb->work, sizeof(sb->work), "%s/work", sb->tmp);
	if (mkdir(sb->work, 0755) < 0) {
		snprintf(err, errlen, "cannot make the private folder '%s': %s", sb->work, strerror(errno));
		return -1;
	}
	if (sb->drop_priv && (chmod(sb->tmp, 0711) < 0 || chown(sb->work, sb->run_uid, sb->run_gid) < 0)) {
		snprintf(err, errlen, "chown %s to uid %u: %s", sb->work, (unsigned)sb->run_uid, strerror(errno));
		return -1;
	}
	if (src_dir && wc_sandbox_add(sb, src_dir, NULL, 0, err, errlen) < 0)
		return -1;
	/* no bind mount here: the reference programs and the lab's files are copied */
	snprintf(p, sizeof(p), "%s/%s", sb->tmp, WC_SANDBOX_REF);
	if (mkdir(p, 0755) < 0 || (refdir && refdir[0] && wc_copy_tree(refdir, p, err, errlen) < 0)) {
		if (!err[0])
			snprintf(err, errlen, "cannot make the private folder '%s': %s", p, strerror(errno));
		return -1;
	}
	snprintf(p, sizeof(p), "%s/%s", sb->tmp, WC_SANDBOX_LAB);
	if (mkdir(p, 0755) < 0 || (labdir && wc_copy_tree(labdir, p, err, errlen) < 0)) {
		if (!err[0])
			snprintf(err, errlen, "cannot make the private folder '%s': %s", p, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- processes and their sockets, from /proc ---- */

static int is_pid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* The parent of pid and its name (comm), from /proc/pid/stat; -1 if gone. */
static pid_t parent_of(pid_t pid, char *comm, size_t n)
{
	char path[64], buf[1024], *open_, *close_;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	open_ = strchr(buf, '(');
	close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_[1] != ' ' || !close_[2] || !close_[3])
		return -1;
	if (comm)
		snprintf(comm, n, "%.*s", (int)(close_ - open_ - 1), open_ + 1);
	return (pid_t)strtol(close_ + 4, NULL, 10); /* ") S PPID" */
}

/* Does process pid hold the socket of this inode open? */
static int holds_socket(pid_t pid, unsigned long inode)
{
	char path[64], want[48];
	DIR *d;
	struct dirent *e;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	d = opendir(path);
	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		char link[300], target[64];
		ssize_t r;
		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
		r = readlink(link, target, sizeof(target) - 1);
		if (r > 0) {
			target[r] = 0;
			found = !strcmp(target, want);
		}
	}
	closedir(d);
	return found;
}

/* Is pid init or one of its descendants? */
static int descends(pid_t pid, pid_t init)
{
	for (int depth = 0; pid > 1 && depth < 64; depth++) {
		if (pid == init)
			return 1;
		pid = parent_of(pid, NULL, 0);
	}
	return 0;
}

int wc_host_socket_ours(const wc_bound *b, pid_t init, int uid_only, uid_t uid)
{
	DIR *d;
	struct dirent *e;
	int ours = 0;

	if (uid_only)
		return b->uid == (unsigned)uid;
	if (init <= 0)
		return 0;
	d = opendir("/proc");
	if (!d)
		return 0;
	while (!ours && (e = readdir(d)) != NULL) {
		pid_t pid;
		if (!is_pid(e->d_name))
			continue;
		pid = (pid_t)atoi(e->d_name);
		ours = descends(pid, init) && holds_socket(pid, b->inode);
	}
	closedir(d);
	return ours;
}

int wc_host_keep_ours(wc_bound *out, int n, pid_t init, int uid_only, uid_t uid)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if (wc_host_socket_ours(&out[i], init, uid_only, uid))
			out[k++] = out[i];
	return k;
}

void wc_host_port_holder(int proto, uint16_t port, char *out, size_t n)
{
	wc_bound b[64];
	int nb = wc_discover(proto, 0, b, 64);
	DIR *d;
	struct dirent *e;

	out[0] = 0;
	for (int i = 0; i < nb; i++) {
		if (b[i].port != port)
			continue;
		/* another process's descriptors are read only with its capabilities
		 * or more (CAP_SYS_PTRACE otherwise): say so when none is named */
		snprintf(out, n, "a socket of uid %u (its process could not be named: its descriptors cannot be read "
			 "from here)", b[i].uid);
		d = opendir("/proc");
		if (!d)
			return;
		while ((e = readdir(d)) != NULL) {
			char comm[64];
			pid_t pid;
			if (!is_pid(e->d_name))
				continue;
			pid = (pid_t)atoi(e->d_name);
			if (holds_socket(pid, b[i].inode) && parent_of(pid, comm, sizeof(comm)) >= 0) {
				snprintf(out, n, "pid %d (%s), uid %u", (int)pid, comm, b[i].uid);
				break;
			}
		}
		closedir(d);
		return;
	}
}

int wc_host_wait_port_free(int proto, uint16_t port, int ms, char *err, size_t errlen)
{
	int64_t until = wc_now_ms() + ms;

	for (;;) {
		wc_bound b[64];
		int n = wc_discover(proto, 0, b, 64), held = 0;
		for (int i = 0; i < n; i++)
			held |= b[i].port == port;
		if (!held)
			return 0;
		if (wc_now_ms() >= until) {
			char who[160];
			wc_host_port_holder(proto, port, who, sizeof(who));
			snprintf(err, errlen, "the server's port %u is still held %d ms after the scenario, by %s: "
				 "the next scenario could not bind it (host mode shares this machine's ports)",
				 (unsigned)port, ms, who[0] ? who : "a socket");
			return -1;
		}
		/* the program's end closes its sockets: looked at again shortly */
		poll(NULL, 0, 2);
	}
}
