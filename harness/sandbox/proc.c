/* proc.c - program runner: PID-namespace init, process group, limits, bounded output, TERM then KILL */
#include "sandbox/proc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

extern char **environ;

int64_t wc_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fork() without glibc's atfork handlers: the harness has a capture thread, and
 * only async-signal-safe calls run in the child until execve. */
static pid_t raw_fork(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/*
 * The status pipe carries records, one write each (atomic: below PIPE_BUF):
 * init's REC_STATUS with the program's wait status when it ends, and before
 * it, from init or the program's process before execve, REC_START_FAILED when
 * a step of the start failed: a failure of the sandbox, which the harness
 * reports as its own (an ERROR), never as the program's.
 */
enum { REC_STATUS = 1, REC_START_FAILED = 2 };

typedef struct status_rec {
	int kind;
	int value;      /* REC_STATUS: the wait status; REC_START_FAILED: errno */
	char what[1024]; /* REC_START_FAILED: the step, "cannot run '/x/prog' as uid 100042" */
} status_rec;

static int status_fd_child = -1; /* in init and the program's process: the pipe's write end */

/* Appends s to the string in d (size n), truncating: async-signal-safe. */
static void cat(char *d, size_t n, const char *s)
{
	size_t l = strlen(d);
	while (*s && l + 1 < n)
		d[l++] = *s++;
	d[l] = 0;
}

static void cat_num(char *d, size_t n, unsigned v)
{
	char b[12];
	int i = sizeof(b) - 1;
	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	cat(d, n, b + i);
}

/* In init or the program's process: tells the harness which step failed and
 * why (errno, turned into words by the harness), then exits 127. */
static void child_fail(const char *what)
{
	status_rec rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = REC_START_FAILED;
	rec.value = errno;
	cat(rec.what, sizeof(rec.what), what);
	if (status_fd_child >= 0) {
		ssize_t r = write(status_fd_child, &rec, sizeof(rec));
		(void)r;
	}
	_exit(127);
}

/* child_fail("cannot WHAT 'SUBJECT'[ as uid UID]") */
static void child_fail_on(const char *what, const char *subject, int uid)
{
	char m[1024] = "";
	int e = errno;

	cat(m, sizeof(m), what);
	cat(m, sizeof(m), " '");
	cat(m, sizeof(m), subject);
	cat(m, sizeof(m), "'");
	if (uid >= 0) {
		cat(m, sizeof(m), " as uid ");
		cat_num(m, sizeof(m), (unsigned)uid);
	}
	errno = e;
	child_fail(m);
}

struct prepared {
	char *const *argv;
	char *const *envp;
	const wc_proc_spec *spec;
	int in_r, out_w, err_w, status_w;
	int close_fds[8];
	int nclose;
	char cmd_word[256]; /* a shell command's first word, checked before the shell runs */
	const char *path;   /* the program's PATH (wc_proc_path), where that word is looked for */
	int cg_fd[WC_CGROUP_DIRS]; /* the cgroup.procs of its cgroup, written by init */
	int ncg;
};

static void set_limit(int res, rlim_t v)
{
	struct rlimit rl = {v, v};
	if (setrlimit(res, &rl) < 0)
		child_fail("cannot set a resource limit (setrlimit)");
}

/* The first word of a shell command: a command in PATH must be installed, a
 * path outside the program's folder must be reachable by the program's user;
 * else the cause is this machine, not the program (the shell would end 127). A
 * path in the program's folder is the program's own business. */
static void check_command(const struct prepared *pp, int uid)
{
	const char *w = pp->cmd_word, *cwd = pp->spec->cwd;
	size_t cl = cwd ? strlen(cwd) : 0;

	if (!w[0])
		return;
	if (strchr(w, '/')) {
		if (w[0] == '/' && !(cl && !strncmp(w, cwd, cl) && w[cl] == '/') && access(w, X_OK) < 0)
			child_fail_on("cannot run", w, uid);
		return;
	}
	{
		const char *d = pp->path;
		int e = ENOENT;
		char m[1024];

		while (*d) {
			char f[600] = "";
			size_t n = strcspn(d, ":");
			if (n < 300) {
				memcpy(f, d, n);
				f[n] = 0;
				cat(f, sizeof(f), "/");
				cat(f, sizeof(f), w);
				if (access(f, X_OK) == 0)
					return;
				/* a folder of the caller's PATH this user cannot search
				 * (root's /root/.pyenv/shims) holds nothing for it */
				if (errno != ENOENT && errno != EACCES && errno != ENOTDIR)
					e = errno;
			}
			d += n;
			if (*d == ':')
				d++;
		}
		m[0] = 0;
		cat(m, sizeof(m), "cannot find the command '");
		cat(m, sizeof(m), w);
		cat(m, sizeof(m), "' in PATH ");
		cat(m, sizeof(m), pp->path);
		cat(m, sizeof(m), " (is it installed?)");
		errno = e;
		child_fail(m);
	}
}

static void exec_program(const struct prepared *pp)
{
	const wc_proc_spec *s = pp->spec;
	int uid = s->drop_priv ? (int)s->uid : -1;

	setpgid(0, 0);
	if (dup2(pp->in_r, 0) < 0 || dup2(pp->out_w, 1) < 0 || dup2(pp->err_w, 2) < 0)
		child_fail("cannot set up the program's standard input and output");
	for (int i = 0; i < pp->nclose; i++)
		close(pp->close_fds[i]);
	/* status_w stays open until execve (close-on-exec): child_fail writes there */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	/* before the identity changes: the folder's own path may lie below one
	 * the program's user cannot enter (TMPDIR in a 0700 home) */
	if (s->cwd && chdir(s->cwd) < 0)
		child_fail_on("cannot enter the program's folder", s->cwd, -1);
	if (s->limits.cpu_s)
		set_limit(RLIMIT_CPU, (rlim_t)s->limits.cpu_s);
	if (s->limits.data_bytes)
		set_limit(RLIMIT_DATA, (rlim_t)s->limits.data_bytes);
	if (s->limits.nofile)
		set_limit(RLIMIT_NOFILE, (rlim_t)s->limits.nofile);
	if (s->limits.fsize)
		set_limit(RLIMIT_FSIZE, (rlim_t)s->limits.fsize);
	set_limit(RLIMIT_CORE, 0);
	if (s->drop_priv) {
		/* raw system calls: glibc's setuid() would signal the threads it
		 * believes this process has (the harness's), which are not here */
		if (syscall(SYS_setgroups, 0, NULL) < 0)
			child_fail("cannot drop the supplementary groups (setgroups)");
		if (syscall(SYS_setgid, s->gid) < 0)
			child_fail("cannot take the program's group id (setgid)");
		if (s->limits.nproc)
			set_limit(RLIMIT_NPROC, (rlim_t)s->limits.nproc);
		if (syscall(SYS_setuid, s->uid) < 0)
			child_fail("cannot take the program's user id (setuid)");
	} else if (s->limits.nproc) {
		set_limit(RLIMIT_NPROC, (rlim_t)s->limits.nproc);
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	check_command(pp, uid);
	execve(pp->argv[0], pp->argv, pp->envp);
	child_fail_on("cannot run", pp->argv[0], uid);
}

/* ---- the filesystem jail: async-signal-safe only (the harness has threads) ---- */

/* a record of getdents64, read with the raw system call (no opendir: malloc) */
struct linux_dirent64_ {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define LOCKED_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_NODIRATIME | MS_RELATIME)

/* mountinfo escapes blanks and backslashes as \ooo: undone in place */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/');
}

/* mkdir -p, for the private folder's path inside the fresh /tmp */
static void make_path(const char *path)
{
	char p[4096];
	size_t n = strlen(path);

	if (n >= sizeof(p))
		return;
	memcpy(p, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] == '/' || p[i] == 0) {
			char c = p[i];
			p[i] = 0;
			mkdir(p, 0755);
			p[i] = c;
		}
	}
}

/* Binds the folder open as fd onto path (a new, writable mount). */
static void bind_fd(int fd, const char *path)
{
	char src[64] = "/proc/self/fd/";
	char d[12];
	int i = sizeof(d);
	unsigned u = (unsigned)fd;

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	memcpy(src + strlen(src), d + i, sizeof(d) - (size_t)i);
	src[14 + sizeof(d) - (size_t)i] = 0;
	make_path(path);
	if (mount(src, path, NULL, MS_BIND, NULL) < 0)
		child_fail_on("cannot bind a folder at", path, -1);
}

static char mountinfo[1 << 16];

/* Reads /proc/self/mountinfo into 'mountinfo'; 0 or -1 with errno. */
static int read_mountinfo(void)
{
	ssize_t len = 0, r;
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((r = read(fd, mountinfo + len, sizeof(mountinfo) - 1 - (size_t)len)) > 0)
		len += r;
	close(fd);
	mountinfo[len] = 0;
	return r < 0 ? -1 : 0;
}

/* The mount point of the mountinfo line at *line (unescaped, in place), or
 * NULL; *line moves to the next line. */
static char *next_mount_point(char **line)
{
	char *nl = strchr(*line, '\n'), *f = *line, *mp = NULL;

	if (nl)
		*nl = 0;
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... */
	for (int k = 0; k < 4 && f; k++) {
		f = strchr(f, ' ');
		if (f)
			f++;
	}
	if (f) {
		char *end = strchr(f, ' ');
		if (end)
			*end = 0;
		mp = f;
		unescape(mp);
	}
	*line = nl ? nl + 1 : *line + strlen(*line);
	return mp;
}

/*
 * The root is not a mount point: a chroot (a builder's). Mounts made below it
 * would propagate to the mount it lies in, which may be shared with the host,
 * and that mount can be neither made private nor remounted read-only from here
 * (EINVAL: not the root of a mount). So: every mount point there is becomes
 * private; the whole tree is bound onto one of them (a private mount: nothing
 * propagates), that copy made private, and this process chroots into it, where
 * the root is a mount point of this namespace alone.
 */
static void reroot(void)
{
	char *line = mountinfo, cwd[PATH_MAX];
	int e = EINVAL;

	/* the copy holds the same paths: come back to this folder there, so that
	 * relative paths (wirecheck run from a checkout: 'fixtures') still hold */
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "/");
	if (read_mountinfo() < 0)
		child_fail("cannot read /proc/self/mountinfo");
	for (char *mp; *line;)
		if ((mp = next_mount_point(&line)) != NULL && strcmp(mp, "/"))
			mount(NULL, mp, NULL, MS_REC | MS_PRIVATE, NULL);
	if (read_mountinfo() < 0)
		child_fail("cannot read /proc/self/mountinfo");
	line = mountinfo;
	for (char *mp; *line;) {
		struct stat st;
		if ((mp = next_mount_point(&line)) == NULL || !strcmp(mp, "/") || stat(mp, &st) < 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (mount(NULL, mp, NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("/", mp, NULL, MS_BIND | MS_REC, NULL) < 0) {
			e = errno;
			continue;
		}
		if (mount(NULL, mp, NULL, MS_REC | MS_PRIVATE, NULL) < 0 || chdir(mp) < 0 || chroot(".") < 0 ||
		    chdir(cwd) < 0)
			child_fail("cannot make the mounts private (the root is not a mount point, a chroot): "
				   "cannot move into a private copy of the root");
		return;
	}
	errno = e;
	child_fail("cannot make the mounts private: the root is not a mount point (a chroot) and no mount "
		   "point in it can hold a private copy; bind-mount the chroot's folder onto itself before "
		   "entering it (mount --bind DIR DIR)");
}

/* Opens path as O_PATH for a later bind; child_fail when it cannot. */
static int open_dir(const char *what, const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		child_fail_on(what, path, -1);
	return fd;
}

/*
 * In the namespace's init, before the program starts: a mount namespace of its
 * own in which every mount is read-only (their nosuid/nodev/noexec kept, as a
 * user namespace demands), /proc, /sys and /dev left as they are, a fresh tmpfs
 * on /tmp and /dev/shm, the jail folder bound back read-only at its path, the
 * folders the program reads bound read-only into it, and the 'writable' folders
 * writable at theirs. A program can then write only its own copy, and what it
 * leaves in /tmp dies with it. Init runs as root (or root of its user
 * namespace): it opens every folder before the program's user could be refused.
 */
/*
 * /proc and /sys as the program's namespaces see them (issue 18: 'ps' inside
 * listed the host's processes with their command lines, /sys/class/net the
 * host's interfaces): a proc of this PID namespace (its init is the caller),
 * a sysfs of this network namespace, both read-only but for proc's own files.
 * Where the kernel refuses a fresh sysfs (a user namespace that does not own
 * the network namespace), an empty read-only tmpfs hides the host's; a proc
 * that cannot be mounted is a failure of the sandbox, said as such.
 */
static void own_proc_sys(void)
{
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_fail("cannot mount the program's own /proc");
	if (mount("sysfs", "/sys", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
	    mount("tmpfs", "/sys", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=555") < 0)
		child_fail("cannot hide the host's /sys (neither sysfs nor tmpfs could be mounted on it)");
}

/* Top-level folders a program keeps (read-only): the system's. Every other one
 * (/home, /root, /var, /srv, /opt, /mnt, /media, /run, a grader's /work or
 * /check ...) is hidden under an empty tmpfs: other classes' folders, a TA's
 * files, the grader's source tree and its fixtures (issue 18). */
static int system_top(const char *name)
{
	static const char *const keep[] = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32",
					   "etc", "dev", "proc", "sys", "tmp", NULL};
	for (int i = 0; keep[i]; i++)
		if (!strcmp(name, keep[i]))
			return 1;
	return 0;
}

#define MAX_EXPOSE 16
typedef struct exposed {
	char path[MAX_EXPOSE][512];
	int fd[MAX_EXPOSE];
	int n;
} exposed;

/* The folders of the program's PATH that lie in a folder to be hidden (a
 * grading user's ~/.local/bin, /root/.pyenv/shims, /opt/java/bin), opened
 * before they are hidden: each entry, or its parent when the entry is a
 * 'bin', 'sbin' or 'shims' folder (a tool's tree: pyenv's versions beside its
 * shims), so that the interpreters it names still run. */
static void expose_path_dirs(const char *path, exposed *x)
{
	char one[512];

	x->n = 0;
	while (path && *path && x->n < MAX_EXPOSE) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char top[256], *last;
		const char *slash;
		int fd, dup = 0;

		if (n > 1 && n < sizeof(one) && path[0] == '/') {
			memcpy(one, path, n);
			one[n] = 0;
			slash = strchr(one + 1, '/');
			snprintf(top, sizeof(top), "%.*s", slash ? (int)(slash - one - 1) : (int)strlen(one + 1), one + 1);
			last = strrchr(one, '/');
			if (slash && !system_top(top) && last > slash &&
			    (!strcmp(last, "/bin") || !strcmp(last, "/sbin") || !strcmp(last, "/shims")))
				*last = 0;
			for (int i = 0; i < x->n; i++)
				dup |= !strcmp(x->path[i], one);
			if (slash && !system_top(top) && !dup && (fd = open(one, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0) {
				snprintf(x->path[x->n], sizeof(x->path[x->n]), "%s", one);
				x->fd[x->n++] = fd;
			}
		}
		path = end ? end + 1 : NULL;
	}
}

/* Hides every top-level folder but the system's under a tmpfs, and binds the
 * exposed PATH folders back (read-only). The hiding tmpfs stay writable until
 * seal_tops, so that the folders bound after can have their mount points. */
typedef struct hidden {
	char at[64][256];
	int n;
} hidden;

static void hide_tops(exposed *x, hidden *h)
{
	DIR *d = opendir("/");
	struct dirent *e;

	if (!d)
		child_fail("cannot list /");
	h->n = 0;
	while ((e = readdir(d)) != NULL && h->n < 64) {
		char at[300];
		struct stat st;
		if (e->d_name[0] == '.' || system_top(e->d_name))
			continue;
		snprintf(at, sizeof(at), "/%s", e->d_name);
		if (lstat(at, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755") < 0)
			child_fail_on("cannot hide a folder of the host", at, -1);
		snprintf(h->at[h->n++], sizeof(h->at[0]), "%s", at);
	}
	closedir(d);
	for (int i = 0; i < x->n; i++) {
		bind_fd(x->fd[i], x->path[i]);
		if (mount(NULL, x->path[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
			child_fail_on("cannot make read-only a folder of the program's PATH", x->path[i], -1);
		close(x->fd[i]);
	}
}

/* The hiding tmpfs read-only, once every folder is bound. */
static void seal_tops(const hidden *h)
{
	for (int i = 0; i < h->n; i++)
		mount(NULL, h->at[i], NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

/*
 * The program's /etc (issue 18): a fresh tmpfs, read-only once built, that
 * holds its own passwd and group (root, nobody and its own user, not the
 * host's accounts: a server had echoed /etc/passwd into results.json), and
 * of the host's /etc what programs read (etc_kept), if every user may read
 * it: a file copied (mime.types, ld.so.cache, services), a folder bound
 * read-only whole (alternatives, ssl, java-17-openjdk); and each symbolic link
 * made again as it is (localtime, os-release). Never there, not even as a
 * link (etc_denied): the accounts, with their backups and lock files, what
 * identifies or opens the host (its host keys, sudoers, machine-id,
 * hostname). Files of
 * its own, not bound over the host's: a bind over a file holds that file,
 * and adduser, which renames a new /etc/passwd into place, would leave the
 * program seeing the host's. Where a root has no /etc (a bare chroot) there
 * is nothing to hide or keep.
 */
static int etc_denied(const char *name)
{
	static const char *const accounts[] = {"passwd", "group", "shadow", "gshadow", "subuid", "subgid", NULL};
	static const char *const host[] = {"sudoers", "sudoers.d", "ssh", "machine-id", "hostname", ".pwd.lock",
					   "security", "credstore", "credstore.encrypted", NULL};

	/* with what shadow's tools and adduser leave beside them: passwd-,
	 * passwd+, passwd.lock, passwd.OLD */
	for (int i = 0; accounts[i]; i++)
		if (!strncmp(name, accounts[i], strlen(accounts[i])))
			return 1;
	for (int i = 0; host[i]; i++)
		if (!strcmp(name, host[i]))
			return 1;
	return 0;
}

/* 1 if NAME is one of NAMES or starts with one of PREFIXES (NULL-ended) */
static int name_listed(const char *name, const char *const *names, const char *const *prefixes)
{
	for (int i = 0; names && names[i]; i++)
		if (!strcmp(name, names[i]))
			return 1;
	for (int i = 0; prefixes && prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/*
 * What of the host's /etc a program may need: an allow-list, every other
 * entry is left out, even one every user may read (issue 18: a folder bound
 * because it was world-readable brought along whatever a grader put in it, a
 * world-readable token in /etc/GRADER/, a service's configuration with its
 * password; a file a grader left readable in /etc itself came along too).
 * Folders, bound whole: what the languages graded and the peers the README
 * names read: alternatives (cc, java, python3 by name), ssl and
 * ca-certificates (the certificate store, Java's cacerts), java-* (the JDK's
 * jvm.cfg and java.security: the JVM does not start without them), python3
 * and python3.* (sitecustomize), perl (Net::Config), ld.so.conf.d (the
 * loader's list), nginx and nsd (run by name as peers: nginx's mime.types).
 * Files, copied: what the C library reads to resolve names, services and
 * protocols (nsswitch.conf, hosts, resolv.conf, gai.conf, ...), the loader's
 * cache, the zone and locale names, what a web server's content types come
 * from (mime.types: Python's mimetypes, Go; mailcap, libmagic's magic), and
 * what a shell reads when it starts (profile, bash.bashrc, environment).
 */
static int etc_kept(const char *name, int folder)
{
	static const char *const folders[] = {"alternatives", "ssl", "ca-certificates", "python3", "perl",
					      "ld.so.conf.d", "nginx", "nsd", NULL};
	static const char *const folder_prefixes[] = {"java-", "python3.", NULL};
	static const char *const files[] = {
		"nsswitch.conf", "hosts", "host.conf", "resolv.conf", "gai.conf", "services", "protocols",
		"networks", "rpc", "ethertypes", "netconfig", "ld.so.cache", "ld.so.conf", "timezone",
		"locale.alias", "locale.conf", "mime.types", "mailcap", "mailcap.order", "magic", "magic.mime",
		"environment", "profile", "bash.bashrc", "inputrc", "shells", "debian_version", "lsb-release",
		NULL};

	return folder ? name_listed(name, folders, folder_prefixes) : name_listed(name, files, NULL);
}

/* Writes the program's own /etc file at 'at', root's and readable by all. */
static void put_file(const char *at, const char *text)
{
	ssize_t n = (ssize_t)strlen(text);
	int fd = open(at, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0 || fchmod(fd, 0644) < 0 || write(fd, text, (size_t)n) != n || close(fd) < 0)
		child_fail_on("cannot write the program's own", at, -1);
}

/* A file of the host's /etc up to this size is copied (a copy costs what a
 * bind does, and adds no mount to make and tear down), up to this much in
 * all; a larger one is bound. */
#define ETC_COPY_MAX (1 << 20)
#define ETC_COPIES_MAX (4 << 20)

/* The host's /etc/NAME (/etc open as etc) into the program's: a file copied
 * (or bound), a folder bound read-only (the mount it
 * comes from is, by now), a link made again; *copied counts the bytes copied
 * so far. */
static void keep_etc_entry(int etc, const char *name, long long *copied)
{
	char at[300] = "/etc/", src[64] = "/proc/self/fd/", link[4096];
	struct stat st;
	int fd;
	ssize_t n;

	cat(at, sizeof(at), name);
	if (fstatat(etc, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return; /* gone since it was listed */
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(etc, name, link, sizeof(link) - 1)) < 0)
			return;
		link[n] = 0;
		if (symlink(link, at) < 0)
			child_fail_on("cannot make the program's link", at, -1);
		return;
	}
	if (!(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) || !(st.st_mode & S_IROTH) ||
	    (S_ISDIR(st.st_mode) && !(st.st_mode & S_IXOTH)) || !etc_kept(name, S_ISDIR(st.st_mode)))
		return;
	/* the entry itself, not what a link put there since would name */
	fd = openat(etc, name, (S_ISREG(st.st_mode) ? O_RDONLY : O_PATH) | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		child_fail_on("cannot open the host's", at, -1);
	if (S_ISREG(st.st_mode) && st.st_size <= ETC_COPY_MAX && *copied + st.st_size <= ETC_COPIES_MAX) {
		int out = open(at, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (out < 0 || fchmod(out, st.st_mode & 0755) < 0)
			child_fail_on("cannot make the program's", at, -1);
		n = 0;
		/* its size when looked at: a file growing meanwhile ends there */
		for (off_t left = st.st_size; left > 0 && (n = sendfile(out, fd, NULL, (size_t)left)) > 0; left -= n)
			*copied += n;
		if (n < 0 || close(out) < 0)
			child_fail_on("cannot copy into the program's /etc the host's", at, -1);
		close(fd);
		return;
	}
	if (S_ISDIR(st.st_mode) ? mkdir(at, 0755) < 0 : mknod(at, S_IFREG | 0644, 0) < 0)
		child_fail_on("cannot make a mount point in the program's /etc for", at, -1);
	cat_num(src, sizeof(src), (unsigned)fd);
	/* recursive: a mount below it (a container's /etc/hosts) comes along, and
	 * a user namespace refuses to bind a folder without the mounts it holds */
	if (mount(src, at, NULL, MS_BIND | MS_REC, NULL) < 0)
		child_fail_on("cannot bind into the program's /etc the host's", at, -1);
	close(fd);
}

static void own_etc(const wc_proc_spec *s)
{
	char pw[512], gr[256], buf[8192];
	unsigned uid = s->drop_priv ? (unsigned)s->uid : (unsigned)getuid();
	unsigned gid = s->drop_priv ? (unsigned)s->gid : (unsigned)getgid();
	int etc = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long long copied = 0;
	long r;

	if (etc < 0 && errno == ENOENT)
		return;
	if (etc < 0)
		child_fail("cannot open the host's /etc");
	if (mount("tmpfs", "/etc", "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,nr_inodes=4096,mode=755") < 0)
		child_fail("cannot mount the program's own /etc (tmpfs)");
	while ((r = syscall(SYS_getdents64, etc, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64_ *e = (struct linux_dirent64_ *)(buf + off);
			off += e->d_reclen;
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !etc_denied(e->d_name))
				keep_etc_entry(etc, e->d_name, &copied);
		}
	}
	if (r < 0)
		child_fail("cannot list the host's /etc");
	close(etc);
	snprintf(pw, sizeof(pw),
		 "root:x:0:0:root:/root:/usr/sbin/nologin\n"
		 "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
		 "student:x:%u:%u:student:/tmp:/bin/sh\n", uid, gid);
	snprintf(gr, sizeof(gr), "root:x:0:\nnogroup:x:65534:\nstudent:x:%u:\n", gid);
	put_file("/etc/passwd", pw);
	put_file("/etc/group", gr);
	if (mount(NULL, "/etc", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		child_fail("cannot make the program's own /etc read-only");
}

static void jail_fs(const wc_proc_spec *s, const char *path)
{
	int keep[5], nkeep = 0, seen[4], nseen = 0;
	const char *paths[5];
	char *line;
	exposed x;
	hidden h;

	if (unshare(CLONE_NEWNS) < 0)
		child_fail("cannot make a mount namespace (unshare CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		if (errno != EINVAL)
			child_fail("cannot make the mounts private");
		reroot();
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			child_fail("cannot make the mounts private");
	}
	paths[nkeep] = s->jail;
	keep[nkeep++] = open_dir("cannot open the private folder", s->jail);
	for (int i = 0; i < 4 && s->writable[i]; i++) {
		paths[nkeep] = s->writable[i];
		keep[nkeep++] = open_dir("cannot open a writable folder", s->writable[i]);
	}
	for (int i = 0; i < 4 && s->bind_from[i]; i++)
		seen[nseen++] = open_dir("cannot open a folder the program reads", s->bind_from[i]);
	expose_path_dirs(path, &x);
	if (read_mountinfo() < 0)
		child_fail("cannot read /proc/self/mountinfo");
	for (line = mountinfo; *line;) {
		char *mp = next_mount_point(&line);
		struct statfs st;
		if (!mp || under(mp, "/proc") || under(mp, "/sys") || under(mp, "/dev"))
			continue;
		if (statfs(mp, &st) < 0)
			continue; /* overmounted: not reachable */
		if (mount(NULL, mp, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | ((unsigned long)st.f_flags & LOCKED_FLAGS),
			  NULL) < 0)
			child_fail_on("cannot make a mount read-only", mp, -1);
	}
	if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=1777") < 0 ||
	    mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "size=64m,mode=1777") < 0)
		child_fail("cannot mount a private /tmp and /dev/shm (tmpfs)");
	own_proc_sys();
	hide_tops(&x, &h);
	own_etc(s);
	/* the jail read-only (its files may be read: the canary beside the copy),
	 * the folders the program reads into it, then the writable folders inside
	 * or beside it */
	bind_fd(keep[0], paths[0]);
	if (mount(NULL, paths[0], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		child_fail("cannot make the private folder's parent read-only");
	for (int i = 0; i < nseen; i++) {
		bind_fd(seen[i], s->bind_to[i]);
		if (mount(NULL, s->bind_to[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
			child_fail_on("cannot make read-only the folder the program reads at", s->bind_to[i], -1);
		close(seen[i]);
	}
	for (int i = 0; i < nkeep; i++) {
		struct statfs st;
		if (i) {
			/* a bind mount takes the read-only flag of the mount it comes from: cleared here */
			bind_fd(keep[i], paths[i]);
			if (statfs(paths[i], &st) < 0 ||
			    mount(NULL, paths[i], NULL, MS_REMOUNT | MS_BIND | ((unsigned long)st.f_flags & LOCKED_FLAGS),
				  NULL) < 0)
				child_fail_on("cannot make the program's folder writable", paths[i], -1);
		}
		close(keep[i]);
	}
	seal_tops(&h);
}

/* ---- host mode: no PID namespace ends the program's daemons; init does ---- */

/* SIGKILL to every process whose parent is this one, read from /proc with
 * raw system calls (async-signal-safe); returns how many were signalled. */
static int kill_own_children(void)
{
	char buf[8192];
	pid_t self = (pid_t)syscall(SYS_getpid);
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n = 0;
	long r;

	if (fd < 0)
		return 0;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < r;) {
			struct linux_dirent64_ *e = (struct linux_dirent64_ *)(buf + off);
			char path[64] = "/proc/", st[512];
			pid_t pid = 0;
			const char *c;
			int sfd;
			ssize_t got;

			off += e->d_reclen;
			for (c = e->d_name; *c >= '0' && *c <= '9'; c++)
				pid = pid * 10 + (*c - '0');
			if (*c || pid <= 0 || pid == self)
				continue;
			cat(path, sizeof(path), e->d_name);
			cat(path, sizeof(path), "/stat");
			sfd = open(path, O_RDONLY | O_CLOEXEC);
			if (sfd < 0)
				continue;
			got = read(sfd, st, sizeof(st) - 1);
			close(sfd);
			if (got <= 0)
				continue;
			st[got] = 0;
			{
				/* "PID (COMM) S PPID": after the last ')' */
				char *q = NULL;
				pid_t ppid = 0;
				for (char *x = st; *x; x++)
					if (*x == ')')
						q = x;
				if (!q || !q[1] || !q[2] || !q[3])
					continue;
				for (q += 4; *q >= '0' && *q <= '9'; q++)
					ppid = ppid * 10 + (*q - '0');
				if (ppid == self && kill(pid, SIGKILL) == 0)
					n++;
			}
		}
	}
	close(fd);
	return n;
}

void wc_proc_kill_children(void)
{
	int st;

	for (;;) {
		kill_own_children();
		if (waitpid(-1, &st, 0) < 0 && errno == ECHILD)
			return;
	}
}

/* Host mode, in init: every process of the program's uid (a child that takes
 * that uid and signals all it may: only that uid's processes), unless another
 * program runs as that uid (uid_shared: a client's exit had killed the
 * reference server before it read the client's last line, under load), then
 * every descendant, which as orphans become init's children (a child
 * subreaper). */
static void host_kill_rest(const wc_proc_spec *s)
{
	if (s->drop_priv && s->uid != 0 && !s->uid_shared) {
		pid_t k = raw_fork(0);
		if (k == 0) {
			if (syscall(SYS_setgid, s->gid) == 0 && syscall(SYS_setuid, s->uid) == 0)
				kill(-1, SIGKILL);
			_exit(0);
		}
	}
	kill_own_children();
}

static volatile sig_atomic_t init_term;

static volatile sig_atomic_t init_kill;

static void init_on_term(int sig)
{
	if (sig == SIGUSR1)
		init_kill = 1; /* host mode: the harness's stop, in place of a SIGKILL to the namespace */
	else
		init_term = 1;
}

/* pid 1 of the namespace: runs the program, reaps, reports its status, ends. */
static void run_init(const struct prepared *pp)
{
	struct sigaction sa;
	pid_t prog;
	int st;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = init_on_term;
	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: waitpid returns EINTR */
	if (pp->spec->host) {
		sigaction(SIGUSR1, &sa, NULL);
		/* orphans of the program become init's children, never pid 1's */
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			child_fail("cannot become a child subreaper (PR_SET_CHILD_SUBREAPER)");
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	status_fd_child = pp->status_w;
	/* Into the program's cgroup before anything runs: all it starts is born
	 * there. Init writes "0", itself, to descriptors the harness opened: a
	 * pid of this namespace would mean another process to the kernel, and
	 * the harness writing init's host pid after the clone would race with
	 * the fork of the program below (a child born before it would stay out). */
	for (int i = 0; i < pp->ncg; i++) {
		if (write(pp->cg_fd[i], "0", 1) != 1)
			child_fail("cannot enter the program's cgroup (cgroup.procs)");
		close(pp->cg_fd[i]);
	}
	/* A session of its own: the scheduler's autogroup then weighs everything
	 * the program starts as one task beside the harness, not each process as
	 * one (a fork bomb held at 256 spinning processes had left a worker
	 * beside it ~0.4% of a CPU); and the program has no controlling terminal.
	 * (In a cgroup of its own, the cgroup's CPU share does that instead:
	 * autogroups hold only tasks of the root cgroup.) */
	if (setsid() < 0)
		child_fail("setsid");
	if (pp->spec->jail)
		jail_fs(pp->spec, pp->path);
	if (pp->spec->sync_other >= 0)
		close(pp->spec->sync_other);
	if (pp->spec->sync_fd >= 0) {
		char go = 0;
		ssize_t r;
		/* the harness wires the namespace up first; no byte: it gave up */
		do
			r = read(pp->spec->sync_fd, &go, 1);
		while (r < 0 && errno == EINTR);
		if (r != 1 || go != 'g')
			_exit(127);
		close(pp->spec->sync_fd);
	}
	prog = raw_fork(0);
	if (prog < 0)
		child_fail("cannot fork the program's process");
	if (prog == 0)
		exec_program(pp);
	close(pp->in_r);
	close(pp->out_w);
	close(pp->err_w);
	for (;;) {
		pid_t w = waitpid(-1, &st, 0);
		if (w == prog) {
			status_rec rec;
			ssize_t r;
			memset(&rec, 0, sizeof(rec));
			rec.kind = REC_STATUS;
			rec.value = st;
			if (pp->spec->host) {
				/* no namespace ends with init: what the program left is
				 * killed before its status goes out */
				host_kill_rest(pp->spec);
				wc_proc_kill_children();
			}
			r = write(pp->status_w, &rec, sizeof(rec));
			(void)r;
			_exit(0);
		}
		if (w < 0 && errno == EINTR && init_kill) {
			init_kill = 0;
			kill(-prog, SIGKILL);
			host_kill_rest(pp->spec);
		} else if (w < 0 && errno == EINTR && init_term) {
			init_term = 0;
			kill(-prog, SIGTERM);
		} else if (w < 0 && errno == ECHILD) {
			_exit(0);
		}
	}
}

static int make_pipe(int fds[2], char *err, size_t errlen)
{
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The first word of a simple command, when it is a plain word (no quotes,
 * no expansions): the command the shell will look for. "" otherwise. */
static void command_word(const char *cmd, char *out, size_t n)
{
	size_t w;

	out[0] = 0;
	cmd += strspn(cmd, " \t");
	if (!strncmp(cmd, "exec ", 5))
		cmd += 5 + strspn(cmd + 5, " \t");
	w = strcspn(cmd, " \t\n");
	if (w == 0 || w >= n || strspn(cmd, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/+-") < w ||
	    strpbrk(cmd, ";&|()`$<>\\'\"") || memchr(cmd, '=', w))
		return;
	memcpy(out, cmd, w);
	out[w] = 0;
}

/* A simple command runs as 'exec CMD', so the program itself is the process
 * whose exit status or signal the harness sees, not a shell around it. A list,
 * pipeline or leading assignment runs as written. */
static int shell_command(const char *cmd, char *out, size_t n)
{
	const char *first_end = cmd + strcspn(cmd, " \t");
	int simple = !strpbrk(cmd, ";&|()\n`") && !memchr(cmd, '=', (size_t)(first_end - cmd)) &&
		     strncmp(cmd, "exec ", 5) && strncmp(cmd, "cd ", 3);
	int w = snprintf(out, n, "%s%s", simple ? "exec " : "", cmd);

	return w < 0 || (size_t)w >= n ? -1 : 0;
}

/* Appends ":dir" (or "dir" first) to out when dir is not in it yet; -1 when it does not fit. */
static int path_add(char *out, size_t n, const char *dir, size_t dl)
{
	size_t ol = strlen(out);

	for (const char *p = out; *p;) {
		size_t l = strcspn(p, ":");
		if (l == dl && !strncmp(p, dir, dl))
			return 0;
		p += l + (p[l] == ':');
	}
	if (ol + (ol ? 1 : 0) + dl + 1 > n)
		return -1;
	snprintf(out + ol, n - ol, "%s%.*s", ol ? ":" : "", (int)dl, dir);
	return 0;
}

int wc_proc_path(const char *caller, char *out, size_t n)
{
	const char *p = caller && *caller ? caller : WC_PROC_PATH;
	int rc = 0;

	if (n < 6)
		return -1;
	snprintf(out, n, "PATH=");
	out += 5;
	n -= 5;
	while (*p) {
		size_t l = strcspn(p, ":");
		/* a relative entry (".", or empty) would be looked up in the
		 * submission's copy: left out */
		if (p[0] == '/')
			rc |= path_add(out, n, p, l);
		p += l + (p[l] == ':');
	}
	rc |= path_add(out, n, "/usr/sbin", 9);
	rc |= path_add(out, n, "/sbin", 5);
	return rc ? -1 : 0;
}

#define WC_LIBSTDBUF "/usr/libexec/coreutils/libstdbuf.so" /* Debian's coreutils */

int wc_proc_start(const wc_proc_spec *spec, wc_proc *p, char *err, size_t errlen)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1}, stp[2] = {-1, -1};
	char shell[4200];
	char *sh_argv[] = {"/bin/sh", "-c", shell, NULL};
	char tz[96], home[600], san[3][1024], path[8192], preload[1200];
	char *envp[16] = {path, "LANG=C.UTF-8", "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", tz, home, NULL};
	int k = 6;
	struct prepared pp;
	pid_t pid;

	memset(p, 0, sizeof(*p));
	memset(&pp, 0, sizeof(pp));
	p->init = -1;
	if (spec->shell_cmd && shell_command(spec->shell_cmd, shell, sizeof(shell)) < 0) {
		snprintf(err, errlen, "command too long (%zu characters)", strlen(spec->shell_cmd));
		return -1;
	}
	p->pidfd = p->status_fd = p->stdin_fd = p->out_fd = p->err_fd = -1;
	if (wc_proc_path(getenv("PATH"), path, sizeof(path)) < 0) {
		snprintf(err, errlen, "PATH too long for the program (more than %zu characters)", sizeof(path) - 6);
		return -1;
	}
	wc_buf_init(&p->out, spec->out_max);
	wc_buf_init(&p->err, spec->out_max);
	snprintf(tz, sizeof(tz), "TZ=%s", spec->tz ? spec->tz : "NPT-5:45");
	snprintf(home, sizeof(home), "HOME=%s", spec->cwd ? spec->cwd : "/");
	if (spec->sanitizer_env) {
		/* LeakSanitizer cannot stop the threads of a program that runs
		 * in the sandbox (its ptrace of them is refused there): it would
		 * only warn of false leaks, so it is off in the program */
		static const char *const names[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};
		static const char *const more[] = {":detect_leaks=0", "", ""};
		for (int i = 0; i < 3; i++) {
			const char *v = getenv(names[i]);
			int w = v ? snprintf(san[i], sizeof(san[i]), "%s=%s%s", names[i], v, more[i]) : -1;
			if (w > 0 && (size_t)w < sizeof(san[i]))
				envp[k++] = san[i];
		}
	}
	if (spec->unbuffered && access(WC_LIBSTDBUF, R_OK) == 0) {
		/* coreutils' stdbuf -o0, for a dynamically linked program: what a
		 * terminal would show at once, a pipe shows at once too */
		envp[k++] = "LD_PRELOAD=" WC_LIBSTDBUF;
		envp[k++] = "_STDBUF_O=0";
	}
	if (spec->preload) {
		/* after libstdbuf when it is there: one LD_PRELOAD, both libraries */
		int after = k >= 2 && !strncmp(envp[k - 2], "LD_PRELOAD=", 11);
		int w = snprintf(preload, sizeof(preload), "%s%s%s", after ? envp[k - 2] : "LD_PRELOAD=", after ? ":" : "",
				 spec->preload);
		if (w < 0 || (size_t)w >= sizeof(preload)) {
			snprintf(err, errlen, "the preloaded library's path is too long: %s", spec->preload);
			goto fail;
		}
		if (after)
			envp[k - 2] = preload;
		else
			envp[k++] = preload;
	}
	for (int i = 0; i < 2; i++)
		if (spec->env[i])
			envp[k++] = (char *)spec->env[i];

	if (spec->want_stdin) {
		if (make_pipe(in, err, errlen) < 0)
			goto fail;
	} else if ((in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "open /dev/null: %s", strerror(errno));
		goto fail;
	}
	if (make_pipe(out, err, errlen) < 0 || make_pipe(errp, err, errlen) < 0 ||
	    make_pipe(stp, err, errlen) < 0)
		goto fail;

	memset(&pp, 0, sizeof(pp));
	pp.argv = spec->shell_cmd ? sh_argv : spec->argv;
	pp.envp = envp;
	pp.spec = spec;
	pp.path = path + 5; /* after "PATH=" */
	pp.in_r = in[0];
	pp.out_w = out[1];
	pp.err_w = errp[1];
	pp.status_w = stp[1];
	if (spec->shell_cmd)
		command_word(spec->shell_cmd, pp.cmd_word, sizeof(pp.cmd_word));
	pp.close_fds[pp.nclose++] = stp[0];
	pp.close_fds[pp.nclose++] = out[0];
	pp.close_fds[pp.nclose++] = errp[0];
	if (in[1] >= 0)
		pp.close_fds[pp.nclose++] = in[1];
	if (spec->cgroup && spec->limits.mem_bytes > 0 && wc_cgroup_usable(NULL, 0)) {
		/* where there is none to be had, the rlimits hold alone (the run
		 * said so once, up front) */
		if (wc_cgroup_make(&p->cg, spec->limits.mem_bytes, spec->limits.nproc, err, errlen) < 0)
			goto fail;
		if ((pp.ncg = wc_cgroup_open_procs(&p->cg, pp.cg_fd)) < 0) {
			snprintf(err, errlen, "cannot open the cgroup.procs of the program's cgroup '%s': %s", p->cg.dir[0],
				 strerror(errno));
			pp.ncg = 0;
			goto fail;
		}
	}

	/* an IPC namespace of its own: SysV shared memory, semaphores and message
	 * queues (and POSIX queues) made by one submission are not there for the
	 * next, and end with the program (issue 18) */
	pid = raw_fork(spec->host ? 0 : CLONE_NEWPID | CLONE_NEWIPC | (spec->new_netns ? CLONE_NEWNET : 0));
	if (pid < 0) {
		snprintf(err, errlen, "clone CLONE_NEWPID|CLONE_NEWIPC%s: %s", spec->new_netns ? "|CLONE_NEWNET" : "",
			 strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		close(stp[0]);
		close(out[0]);
		close(errp[0]);
		if (in[1] >= 0)
			close(in[1]);
		run_init(&pp);
	}
	p->init = pid;
	p->host = spec->host;
	for (int i = 0; i < pp.ncg; i++)
		close(pp.cg_fd[i]);
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	close(stp[1]);
	p->stdin_fd = in[1];
	p->out_fd = out[0];
	p->err_fd = errp[0];
	p->status_fd = stp[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	if (p->stdin_fd >= 0)
		fcntl(p->stdin_fd, F_SETFL, O_NONBLOCK);
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (p->pidfd < 0) {
		snprintf(err, errlen, "pidfd_open: %s", strerror(errno));
		wc_proc_stop(p, 0);
		return -1;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (stp[i] >= 0)
			close(stp[i]);
	}
	for (int i = 0; i < pp.ncg; i++)
		close(pp.cg_fd[i]);
	wc_cgroup_remove(&p->cg);
	return -1;
}

int wc_proc_pollfds(const wc_proc *p, struct pollfd *pfd, int max)
{
	int n = 0;
	int fds[] = {p->out_fd, p->err_fd, p->status_fd, p->pidfd};

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]) && n < max; i++) {
		if (fds[i] < 0)
			continue;
		pfd[n].fd = fds[i];
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

/* Reads what is there; closes the descriptor at end of file. */
static void drain(int *fd, wc_buf *b)
{
	char chunk[16384];

	while (*fd >= 0) {
		ssize_t r = read(*fd, chunk, sizeof(chunk));
		if (r > 0) {
			wc_buf_put(b, chunk, (size_t)r);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			return;
		close(*fd);
		*fd = -1;
	}
}

static void reap_init(wc_proc *p, int block)
{
	int st;

	if (p->init <= 0)
		return;
	if (waitpid(p->init, &st, block ? 0 : WNOHANG) == p->init) {
		p->init = -1;
		if (p->pidfd >= 0) {
			close(p->pidfd);
			p->pidfd = -1;
		}
	}
}

/* Takes the records of the status pipe: a failed start (the reason the
 * harness reports), then the program's wait status. */
static void read_status(wc_proc *p)
{
	status_rec rec;

	while (p->status_fd >= 0) {
		ssize_t r = read(p->status_fd, &rec, sizeof(rec));
		if (r < 0 && errno == EINTR)
			return;
		if (r == (ssize_t)sizeof(rec) && rec.kind == REC_START_FAILED) {
			rec.what[sizeof(rec.what) - 1] = 0;
			if (!p->start_err[0])
				snprintf(p->start_err, sizeof(p->start_err), "%s: %s", rec.what, strerror(rec.value));
			continue; /* init's status follows, or the end of the pipe */
		}
		if (r == (ssize_t)sizeof(rec) && rec.kind == REC_STATUS && !p->exited) {
			p->exited = 1;
			p->status = rec.value;
			p->exit_ms = wc_now_ms();
		}
		close(p->status_fd);
		p->status_fd = -1;
	}
}

void wc_proc_service(wc_proc *p, const struct pollfd *pfd, int n)
{
	for (int i = 0; i < n; i++) {
		if (!pfd[i].revents)
			continue;
		if (pfd[i].fd == p->out_fd)
			drain(&p->out_fd, &p->out);
		else if (pfd[i].fd == p->err_fd)
			drain(&p->err_fd, &p->err);
		else if (pfd[i].fd == p->status_fd)
			read_status(p);
		else if (pfd[i].fd == p->pidfd) {
			read_status(p);
			if (!p->exited) {
				/* init died without a word: killed from outside */
				p->exited = 1;
				p->status = SIGKILL;
				p->exit_ms = wc_now_ms();
			}
			reap_init(p, 1);
		}
	}
}

void wc_proc_wait(wc_proc *p, int ms)
{
	struct pollfd pfd[4];
	int n = wc_proc_pollfds(p, pfd, 4);

	if (n == 0)
		return;
	if (poll(pfd, (nfds_t)n, ms < 0 ? 0 : ms) > 0)
		wc_proc_service(p, pfd, n);
}

int wc_proc_write_stdin(wc_proc *p, const void *buf, size_t n)
{
	const char *c = buf;
	int64_t until = wc_now_ms() + 2000;

	while (n > 0 && p->stdin_fd >= 0) {
		ssize_t w = write(p->stdin_fd, c, n);
		if (w > 0) {
			c += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EAGAIN && wc_now_ms() < until) {
			struct pollfd pfd = {p->stdin_fd, POLLOUT, 0};
			poll(&pfd, 1, 50);
			wc_proc_wait(p, -1);
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else {
			return -1;
		}
	}
	return n == 0 ? 0 : -1;
}

void wc_proc_close_stdin(wc_proc *p)
{
	if (p->stdin_fd >= 0) {
		close(p->stdin_fd);
		p->stdin_fd = -1;
	}
}

void wc_proc_stop(wc_proc *p, int grace_ms)
{
	int64_t until;

	/* stdin stays open until the program is gone: an end of input now would
	 * make a client act (send an empty line) after the scenario is over */
	if (p->init > 0 && !p->exited) {
		p->term_sent = 1;
		kill(p->init, SIGTERM); /* init forwards it to the program's group */
		until = wc_now_ms() + grace_ms;
		while (!p->exited && p->init > 0 && wc_now_ms() < until)
			wc_proc_wait(p, (int)(until - wc_now_ms()));
	}
	if (p->init > 0 && p->host) {
		/* no namespace to end: init kills the program and what it left,
		 * then reports; SIGKILL only if init itself does not end */
		if (!p->exited)
			p->killed = 1;
		kill(p->init, SIGUSR1);
		until = wc_now_ms() + 10000;
		while (p->init > 0 && wc_now_ms() < until) {
			struct pollfd pf = {p->pidfd, POLLIN, 0};
			if (p->pidfd < 0 || poll(&pf, 1, (int)(until - wc_now_ms())) > 0)
				break;
		}
	}
	if (p->init > 0) {
		if (!p->exited)
			p->killed = 1;
		kill(p->init, SIGKILL); /* the whole namespace goes with it */
		reap_init(p, 1);
	}
	read_status(p);
	if (!p->exited) {
		p->exited = 1;
		p->status = SIGKILL;
		p->exit_ms = wc_now_ms();
	}
	wc_proc_close_stdin(p);
	/* The namespace is empty now; take the output still in the pipes. (In
	 * host mode init killed and reaped everything before it ended: what was
	 * written is there, and the end of file follows it. Unless init itself
	 * was killed: then what it left may hold the pipes, and is not waited
	 * for: the reads stay non-blocking.) */
	if (p->out_fd >= 0 && !p->host)
		fcntl(p->out_fd, F_SETFL, 0);
	if (p->err_fd >= 0 && !p->host)
		fcntl(p->err_fd, F_SETFL, 0);
	drain(&p->out_fd, &p->out);
	drain(&p->err_fd, &p->err);
	if (p->cg.active) {
		/* Its namespace is gone with init: what the memory limit did, then
		 * the cgroup. The OOM killer takes a child as readily as the
		 * program (the largest), so only a SIGKILL the harness did not
		 * send is taken for the program's own end by it. */
		p->mem_limit = p->cg.mem_bytes;
		p->oom_kills = wc_cgroup_oom_kills(&p->cg);
		p->oom_killed = p->oom_kills != 0 && !p->killed && WIFSIGNALED(p->status) &&
				WTERMSIG(p->status) == SIGKILL;
		wc_cgroup_remove(&p->cg);
	}
}

void wc_proc_free(wc_proc *p)
{
	wc_proc_stop(p, 0);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
	wc_buf_free(&p->out);
	wc_buf_free(&p->err);
}

int wc_proc_ended_by_itself(const wc_proc *p)
{
	if (!p->exited || p->killed)
		return 0;
	if (!p->term_sent)
		return 1;
	/* SIGTERM arrived while it was ending by itself, or it ignored it and died otherwise */
	if (WIFEXITED(p->status)) /* 143: a shell or JVM reporting that SIGTERM */
		return WEXITSTATUS(p->status) != 0 && WEXITSTATUS(p->status) != 128 + SIGTERM;
	return WIFSIGNALED(p->status) && WTERMSIG(p->status) != SIGTERM && WTERMSIG(p->status) != SIGKILL;
}

void wc_proc_describe(const wc_proc *p, char *buf, size_t n)
{
	if (!p->exited)
		snprintf(buf, n, "is still running");
	else if (p->killed)
		snprintf(buf, n, "was still running and was killed by the harness");
	else if (WIFEXITED(p->status))
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status) && WTERMSIG(p->status) == SIGTERM && p->term_sent)
		snprintf(buf, n, "ended on the harness's SIGTERM");
	else if (WIFSIGNALED(p->status)) {
		char mem[160] = "";
		if (p->oom_killed)
			wc_proc_mem_words(p, mem, sizeof(mem));
		snprintf(buf, n, "was killed by signal %d (%s)%s%s", WTERMSIG(p->status), strsignal(WTERMSIG(p->status)),
			 mem[0] ? ": " : "", mem);
	} else {
		snprintf(buf, n, "ended (wait status 0x%x)", p->status);
	}
}

void wc_proc_mem_words(const wc_proc *p, char *buf, size_t n)
{
	char size[32];

	wc_cgroup_bytes_str(p->mem_limit, size, sizeof(size));
	snprintf(buf, n, "the scenario's memory limit (%s for all its processes together) was reached", size);
}
