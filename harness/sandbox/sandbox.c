/* sandbox.c - namespaces, uid maps, the unprivileged identity and the private copy of a submission */
#include "sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/netns.h"
#include "sandbox/subid.h"

#define COPY_MAX_BYTES (256LL << 20)
#define WORK_MAX_MIB 512 /* the program's copy, on a tmpfs of this size: what it may write there */
#define COPY_MAX_ENTRIES 20000
#define COPY_MAX_DEPTH 64 /* each level holds two paths on the stack */
#define RUN_UID_BASE 100000 /* programs under test run as uids from here when root */
#define RUN_UIDS 100000     /* uids of one run: RUN_UID_BASE + (run % 1000) * RUN_UIDS + seq (rootless with
				     * subordinate ids: that number modulo their count) */

static int numbered;
static unsigned number_run, number_seq;

void wc_sandbox_number(unsigned run, unsigned seq)
{
	numbered = 1;
	number_run = run;
	number_seq = seq;
}

static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "open %s: %s", path, strerror(errno));
		return -1;
	}
	n = write(fd, text, strlen(text));
	if (n != (ssize_t)strlen(text)) {
		snprintf(err, errlen, "write %s: %s", path, n < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* This sandbox's index among n ids: the run's and its own numbers (the
 * worker's pid when not numbered), so that no two sandboxes of a run share
 * one while the run has fewer than n */
static unsigned long sandbox_index(unsigned long n)
{
	unsigned long long k = numbered ? (unsigned long long)(number_run % 1000) * RUN_UIDS + number_seq
					 : (unsigned long long)getpid();
	return (unsigned long)(k % n);
}

/* This process made a user namespace of its own (rootless): a second
 * sandbox of the same worker (a retry, the hex run) makes only a new network
 * namespace in it. A nested one could not be mapped by newuidmap: its setuid
 * bit means nothing where root is not mapped. */
static int userns_made;

static int enter_namespaces(wc_sandbox *sb, char *err, size_t errlen)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];
	wc_subids ids;

	sb->rootless = geteuid() != 0;
	if (!sb->rootless) {
		if (unshare(CLONE_NEWNET) < 0) {
			snprintf(err, errlen, "cannot make a network namespace (unshare CLONE_NEWNET): %s", strerror(errno));
			return -1;
		}
		/* a run's 100000 uids, one per sandbox; concurrent runs apart unless
		 * their pids agree modulo 1000 */
		sb->run_uid = numbered ? RUN_UID_BASE + (uid_t)(number_run % 1000) * RUN_UIDS + (uid_t)(number_seq % RUN_UIDS)
				       : RUN_UID_BASE + (uid_t)(getpid() % 50000);
		sb->run_gid = (gid_t)sb->run_uid;
		sb->drop_priv = 1;
		return 0;
	}
	/*
	 * Rootless (issue 18, never the grading user): with subordinate ids
	 * the namespace maps the user's own uid and gid (the harness works on
	 * the user's files as the user: the copy, the captures) and the
	 * user's range of /etc/subuid and /etc/subgid, inside as outside; the
	 * programs run as one id of the range, this sandbox's. Without, only
	 * the user's own ids, and the programs run as the user (the run said
	 * so once, up front).
	 */
	sb->subids = wc_subids_usable(&ids, NULL, 0, NULL, 0);
	if (userns_made) {
		if (unshare(CLONE_NEWNET) < 0) {
			snprintf(err, errlen, "cannot make a network namespace (unshare CLONE_NEWNET): %s", strerror(errno));
			return -1;
		}
	} else if (sb->subids) {
		if (wc_subids_unshare(&ids, CLONE_NEWUSER | CLONE_NEWNET, err, errlen) < 0)
			return -1;
	} else {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
			snprintf(err, errlen, "cannot make a user and a network namespace (unshare): %s (rootless mode "
				 "needs user namespaces: sysctl kernel.unprivileged_userns_clone=1 or "
				 "user.max_user_namespaces > 0; the kernel refuses them in a chroot: run as root there)",
				 strerror(errno));
			return -1;
		}
		/* The same ids inside: programs keep no capability after execve. */
		if (write_file("/proc/self/setgroups", "deny", err, errlen) < 0)
			return -1;
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)uid, (unsigned)uid);
		if (write_file("/proc/self/uid_map", map, err, errlen) < 0)
			return -1;
		snprintf(map, sizeof(map), "%u %u 1", (unsigned)gid, (unsigned)gid);
		if (write_file("/proc/self/gid_map", map, err, errlen) < 0)
			return -1;
	}
	userns_made = 1;
	if (sb->subids) {
		unsigned long k = sandbox_index(ids.count);
		sb->run_uid = (uid_t)(ids.uid_start + k);
		sb->run_gid = (gid_t)(ids.gid_start + k);
		sb->drop_priv = 1;
	} else {
		sb->run_uid = uid;
		sb->run_gid = gid;
		sb->drop_priv = 0;
	}
	return 0;
}

typedef struct copier {
	long long bytes;
	int entries;
	int depth;           /* folders below the copy's top */
	dev_t skip_dev;      /* the folder the copy goes into (or the private area holding it), */
	ino_t skip_ino;      /* left out where the source holds it: TMPDIR inside --dir */
	int skip;
	uid_t uid;
	gid_t gid;
	int chown;
	int overwrite;       /* replace what the submission has under the same name */
	time_t mtime;        /* files get this modification time, 0: the copy's own */
	char *err;
	size_t errlen;
} copier;

static int copy_file(copier *cp, const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), out;
	ssize_t n;

	if (in < 0) {
		snprintf(cp->err, cp->errlen, "cannot read '%s': %s", from, strerror(errno));
		return -1;
	}
	if (cp->overwrite)
		wc_remove_tree(to);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode & 0777) | 0600);
	if (out < 0) {
		snprintf(cp->err, cp->errlen, "cannot create '%s': %s", to, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		cp->bytes += n;
		if (cp->bytes > COPY_MAX_BYTES) {
			snprintf(cp->err, cp->errlen, "the submission folder is larger than %lld MiB", COPY_MAX_BYTES >> 20);
			n = -1;
			errno = EFBIG;
			break;
		}
		if (write(out, buf, (size_t)n) != n) {
			snprintf(cp->err, cp->errlen, "cannot write '%s': %s", to, strerror(errno));
			n = -1;
			break;
		}
	}
	if (n < 0 && !cp->err[0])
		snprintf(cp->err, cp->errlen, "cannot read '%s': %s", from, strerror(errno));
	if (n == 0 && cp->mtime) {
		struct timespec t[2] = {{cp->mtime, 0}, {cp->mtime, 0}};
		if (futimens(out, t) < 0) {
			snprintf(cp->err, cp->errlen, "cannot set the time of '%s': %s", to, strerror(errno));
			n = -1;
		}
	}
	close(in);
	close(out);
	if (n == 0 && cp->chown && chown(to, cp->uid, cp->gid) < 0) {
		snprintf(cp->err, cp->errlen, "chown '%s': %s", to, strerror(errno));
		return -1;
	}
	return n < 0 ? -1 : 0;
}

/* A copier whose errors go to err, and which leaves out the folder 'inside'
 * (the copy's own destination, or the private area holding it) wherever the
 * source holds it: with TMPDIR inside the submission's folder, the copy had
 * copied itself into itself until the path ran out (the worker killed by
 * SIGSEGV, its stack spent on the recursion). */
static void copier_init(copier *cp, const char *inside, char *err, size_t errlen)
{
	struct stat st;

	memset(cp, 0, sizeof(*cp));
	cp->err = err;
	cp->errlen = errlen;
	err[0] = 0;
	if (inside && stat(inside, &st) == 0) {
		cp->skip = 1;
		cp->skip_dev = st.st_dev;
		cp->skip_ino = st.st_ino;
	}
}

static int copy_tree(copier *cp, const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		snprintf(cp->err, cp->errlen, "cannot open folder '%s': %s", from, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char src[4096], dst[4096];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++cp->entries > COPY_MAX_ENTRIES) {
			snprintf(cp->err, cp->errlen, "the submission folder has more than %d entries", COPY_MAX_ENTRIES);
			rc = -1;
			break;
		}
		if (snprintf(src, sizeof(src), "%s/%s", from, e->d_name) >= (int)sizeof(src) ||
		    snprintf(dst, sizeof(dst), "%s/%s", to, e->d_name) >= (int)sizeof(dst)) {
			snprintf(cp->err, cp->errlen, "path too long under '%s'", from);
			rc = -1;
			break;
		}
		if (lstat(src, &st) < 0) {
			snprintf(cp->err, cp->errlen, "cannot stat '%s': %s", src, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			struct stat there;
			if (cp->skip && st.st_dev == cp->skip_dev && st.st_ino == cp->skip_ino)
				continue;
			if (cp->depth >= COPY_MAX_DEPTH) {
				snprintf(cp->err, cp->errlen, "the submission folder nests folders more than %d deep, at '%s'",
					 COPY_MAX_DEPTH, src);
				rc = -1;
				break;
			}
			if (cp->overwrite && lstat(dst, &there) == 0 && !S_ISDIR(there.st_mode))
				wc_remove_tree(dst);
			if ((mkdir(dst, 0755) < 0 && !(cp->overwrite && errno == EEXIST)) ||
			    (cp->chown && chown(dst, cp->uid, cp->gid) < 0)) {
				snprintf(cp->err, cp->errlen, "cannot make '%s': %s", dst, strerror(errno));
				rc = -1;
			} else {
				cp->depth++;
				rc = copy_tree(cp, src, dst);
				cp->depth--;
			}
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(cp, src, dst, st.st_mode);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t n = readlink(src, target, sizeof(target) - 1);
			if (n >= 0) {
				target[n] = 0;
				if (cp->overwrite)
					wc_remove_tree(dst);
				if (symlink(target, dst) < 0 || (cp->chown && lchown(dst, cp->uid, cp->gid) < 0)) {
					snprintf(cp->err, cp->errlen, "cannot link '%s': %s", dst, strerror(errno));
					rc = -1;
				}
			}
		} /* sockets, fifos, devices: left out */
	}
	closedir(d);
	return rc;
}

/*
 * The copy on a tmpfs of WORK_MAX_MIB, in a mount namespace of this worker's
 * own (issue 18: 2-3 GiB written per scenario, up to 1.6 GiB left on the disk
 * after a SIGKILL): writes beyond it fail with ENOSPC, and the tmpfs goes with
 * the worker however it ends. Where the mounts cannot be made private (a
 * chroot whose / is no mount point: a mount there could reach the host's
 * mount table), the copy stays on the disk, without this quota.
 */
static void work_on_tmpfs(wc_sandbox *sb)
{
	char opts[96];

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return;
	snprintf(opts, sizeof(opts), "size=%dm,mode=0755", WORK_MAX_MIB);
	if (mount("tmpfs", sb->work, "tmpfs", MS_NOSUID | MS_NODEV, opts) == 0)
		sb->work_tmpfs = 1;
}

int wc_sandbox_private_dir(wc_sandbox *sb, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR");

	memset(sb, 0, sizeof(*sb));
	snprintf(sb->tmp, sizeof(sb->tmp), "%s/wirecheck-%d-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp",
		 (int)getpid());
	if (!mkdtemp(sb->tmp)) {
		snprintf(err, errlen, "cannot make a private folder '%s': %s (TMPDIR names where they go, "
			 "default /tmp: it must exist and be writable)", sb->tmp, strerror(errno));
		sb->tmp[0] = 0;
		return -1;
	}
	return 0;
}

int wc_sandbox_enter(wc_sandbox *sb, const char *src_dir, char *err, size_t errlen)
{
	copier cp;

	/* The folder first, while this process still has its own identity. */
	if (wc_sandbox_private_dir(sb, err, errlen) < 0)
		return -1;
	if (enter_namespaces(sb, err, errlen) < 0)
		return -1;
	if (wc_link_up("lo", err, errlen) < 0)
		return -1;
	if (wc_sysctl_write("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0", err, errlen) < 0)
		return -1;
	snprintf(sb->work, sizeof(sb->work), "%s/work", sb->tmp);
	if (mkdir(sb->work, 0755) < 0) {
		snprintf(err, errlen, "cannot make the private folder '%s': %s", sb->work, strerror(errno));
		return -1;
	}
	work_on_tmpfs(sb);
	{
		static const char *const points[] = {WC_SANDBOX_REF, WC_SANDBOX_LAB};
		for (int i = 0; i < 2; i++) {
			char p[700];
			snprintf(p, sizeof(p), "%s/%s", sb->tmp, points[i]);
			if (mkdir(p, 0755) < 0) {
				snprintf(err, errlen, "cannot make the private folder '%s': %s", p, strerror(errno));
				return -1;
			}
		}
	}
	copier_init(&cp, sb->tmp, err, errlen);
	cp.uid = sb->run_uid;
	cp.gid = sb->run_gid;
	cp.chown = sb->drop_priv;
	if (cp.chown && (chmod(sb->tmp, 0711) < 0 || chown(sb->work, cp.uid, cp.gid) < 0)) {
		snprintf(err, errlen, "chown %s: %s", sb->work, strerror(errno));
		return -1;
	}
	if (src_dir && copy_tree(&cp, src_dir, sb->work) < 0)
		return -1;
	return 0;
}

/* The folder sub of the copy into out: each part a real folder of it (no link, no '..'). 0, or -1 with err. */
static int copy_subdir(const wc_sandbox *sb, const char *sub, char *out, size_t n, char *err, size_t errlen)
{
	size_t o;

	snprintf(out, n, "%s", sb->work);
	for (const char *p = sub; *p;) {
		size_t l = strcspn(p, "/");
		struct stat st;
		o = strlen(out);
		if ((l == 2 && !strncmp(p, "..", 2)) || o + 1 + l >= n) {
			snprintf(err, errlen, "the folder '%s' is not inside the submission", sub);
			return -1;
		}
		if (l && !(l == 1 && *p == '.')) {
			snprintf(out + o, n - o, "/%.*s", (int)l, p);
			if (lstat(out, &st) < 0 || !S_ISDIR(st.st_mode)) {
				snprintf(err, errlen, "the folder '%s' is not a folder of the submission", sub);
				return -1;
			}
		}
		p += l + (p[l] == '/');
	}
	return 0;
}

int wc_sandbox_add(wc_sandbox *sb, const char *from, const char *sub, time_t mtime, char *err, size_t errlen)
{
	copier cp;
	char to[1200];

	copier_init(&cp, sb->tmp, err, errlen);
	cp.uid = sb->run_uid;
	cp.gid = sb->run_gid;
	cp.chown = sb->drop_priv;
	cp.overwrite = 1;
	cp.mtime = mtime;
	if (copy_subdir(sb, sub ? sub : "", to, sizeof(to), err, errlen) < 0)
		return -1;
	return copy_tree(&cp, from, to);
}

int wc_copy_tree(const char *from, const char *to, char *err, size_t errlen)
{
	copier cp;

	copier_init(&cp, to, err, errlen);
	return copy_tree(&cp, from, to);
}

int wc_sandbox_canary(wc_sandbox *sb, const char *name, const char *text, char *err, size_t errlen)
{
	char path[1024];
	int fd;
	size_t n = strlen(text);

	snprintf(path, sizeof(path), "%s/%s", sb->tmp, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int wc_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	chmod(path, 0700);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char sub[4096];
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name) >= (int)sizeof(sub)) {
			rc = -1;
			continue;
		}
		if (wc_remove_tree(sub) < 0)
			rc = -1;
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

void wc_sandbox_leave(wc_sandbox *sb)
{
	if (sb->work_tmpfs)
		umount2(sb->work, MNT_DETACH);
	sb->work_tmpfs = 0;
	if (sb->tmp[0])
		wc_remove_tree(sb->tmp);
	sb->tmp[0] = 0;
}
