/* cgroup.c - a cgroup per program under test (v1 or v2): made, limited, joined, read for OOM kills, removed */
#include "sandbox/cgroup.h"

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
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { C_MEM = 1, C_PIDS = 2 };

/* What the probe found; a forked worker inherits it. */
static struct {
	int probed, ok, v2;
	char why[400];
	int nbase;
	char base[WC_CGROUP_DIRS][256]; /* the 'wirecheck' folders, the memory controller's first */
	int has[WC_CGROUP_DIRS];        /* C_ bits: the controllers of each one's hierarchy */
} cgs;

static unsigned counter; /* names a worker's cgroups: PID-1, PID-2, ... */

/* ---- the pieces ---- */

long long wc_cgroup_field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *l = text;

	while (l && *l) {
		const char *nl = strchr(l, '\n');
		if (!strncmp(l, key, kl) && l[kl] == ' ')
			return strtoll(l + kl + 1, NULL, 10);
		l = nl ? nl + 1 : NULL;
	}
	return -1;
}

void wc_cgroup_bytes_str(long long bytes, char *buf, size_t n)
{
	if (bytes > 0 && bytes % (1LL << 30) == 0)
		snprintf(buf, n, "%lld GiB", bytes >> 30);
	else if (bytes > 0 && bytes % (1LL << 20) == 0)
		snprintf(buf, n, "%lld MiB", bytes >> 20);
	else if (bytes > 0 && bytes % 1024 == 0)
		snprintf(buf, n, "%lld KiB", bytes >> 10);
	else
		snprintf(buf, n, "%lld bytes", bytes);
}

/* Is word one of the comma-separated items of list (l bytes)? */
static int in_list(const char *list, size_t l, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; p < list + l;) {
		size_t il = strcspn(p, ",");
		if (il > (size_t)(list + l - p))
			il = (size_t)(list + l - p);
		if (il == wl && !strncmp(p, word, wl))
			return 1;
		p += il + 1;
	}
	return 0;
}

void wc_cgroup_mounts(const char *mi, char *mem, char *pids, char *cpu, char *v2, size_t n)
{
	mem[0] = pids[0] = cpu[0] = v2[0] = 0;
	for (const char *l = mi; l && *l;) {
		const char *nl = strchr(l, '\n'), *end = nl ? nl : l + strlen(l), *mp = l, *sep, *fs, *opts;
		size_t mpl, fsl, ol;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
		for (int k = 0; k < 4 && mp && mp < end; k++) {
			mp = memchr(mp, ' ', (size_t)(end - mp));
			if (mp)
				mp++;
		}
		sep = mp ? strstr(mp, " - ") : NULL;
		if (!mp || !sep || sep >= end)
			goto next;
		mpl = strcspn(mp, " ");
		fs = sep + 3;
		fsl = strcspn(fs, " ");
		opts = fs + fsl + 1;
		opts = opts < end ? strchr(opts, ' ') : NULL; /* past the source */
		if (!opts || opts >= end || memchr(mp, '\\', mpl) || mpl >= n)
			goto next; /* a mount point with escaped blanks is none of the usual ones */
		opts++;
		ol = (size_t)(end - opts);
		if (fsl == 7 && !strncmp(fs, "cgroup2", 7) && !v2[0]) {
			memcpy(v2, mp, mpl), v2[mpl] = 0;
		} else if (fsl == 6 && !strncmp(fs, "cgroup", 6)) {
			if (!mem[0] && in_list(opts, ol, "memory"))
				memcpy(mem, mp, mpl), mem[mpl] = 0;
			if (!pids[0] && in_list(opts, ol, "pids"))
				memcpy(pids, mp, mpl), pids[mpl] = 0;
			if (!cpu[0] && in_list(opts, ol, "cpu"))
				memcpy(cpu, mp, mpl), cpu[mpl] = 0;
		}
next:
		l = nl ? nl + 1 : NULL;
	}
}

/* Is word one of the blank-separated words of text (a cgroup.controllers)? */
static int has_word(const char *text, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = text; (p = strstr(p, word)) != NULL; p += wl)
		if ((p == text || p[-1] == ' ') && (p[wl] == 0 || p[wl] == ' ' || p[wl] == '\n'))
			return 1;
	return 0;
}

/* ---- files of a cgroup ---- */

/* Writes val into dir/file; 0, or -1 with errno. */
static int put(const char *dir, const char *file, const char *val)
{
	char path[400];
	int fd, e;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	w = write(fd, val, strlen(val));
	e = errno;
	close(fd);
	errno = e;
	return w == (ssize_t)strlen(val) ? 0 : -1;
}

static int put_num(const char *dir, const char *file, long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	return put(dir, file, s);
}

/* Reads dir/file into buf (NUL-ended); its length, or -1. */
static ssize_t get(const char *dir, const char *file, char *buf, size_t n)
{
	char path[400];
	ssize_t r, len = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while (len + 1 < (ssize_t)n && (r = read(fd, buf + len, n - 1 - (size_t)len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	return len;
}

static int has_file(const char *dir, const char *file)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* SIGKILL to every process still in the cgroup (v2: at once, by cgroup.kill where there is one). */
static void kill_members(const char *dir)
{
	char pids[8192];

	if (cgs.v2 && put(dir, "cgroup.kill", "1") == 0)
		return;
	if (get(dir, "cgroup.procs", pids, sizeof(pids)) <= 0)
		return;
	for (char *p = pids, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 1)
			kill((pid_t)pid, SIGKILL);
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until every process listed in the cgroup has exited, or until
 * deadline (CLOCK_MONOTONIC ms): a pidfd of each becomes readable when the
 * whole process is gone, which is after it left its cgroup (the kernel's exit
 * detaches the cgroup before it notifies the pidfd). Returns how many it
 * waited on; 0 when none is listed (or pidfds are not to be had). */
static int wait_members(const char *dir, long long deadline)
{
	char pids[8192];
	int waited = 0;

	if (get(dir, "cgroup.procs", pids, sizeof(pids)) <= 0)
		return 0;
	for (char *p = pids, *end; *p; p = end) {
		long pid = strtol(p, &end, 10);
		struct pollfd pfd;
		long long left = deadline - now_ms();
		if (end == p)
			break;
		if (pid <= 1 || left <= 0)
			continue;
		if ((pfd.fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0)) < 0)
			continue; /* gone already (ESRCH), or no pidfds */
		pfd.events = POLLIN;
		poll(&pfd, 1, (int)left);
		close(pfd.fd);
		waited++;
	}
	return waited;
}

/* rmdir, killing what is left and trying again for up to a second: the
 * processes of a PID namespace that was just killed are gone once its init is
 * reaped, but a worker's program killed with the worker may still be ending.
 * Each retry follows the exit of the processes the cgroup still lists (a
 * pidfd each), not a pause. 0, or -1 (the folder stays; wc_cgroup_clean_stale
 * takes it later). */
static int remove_dir(const char *dir)
{
	long long deadline = now_ms() + 1000;

	for (;;) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || now_ms() >= deadline)
			return -1;
		kill_members(dir);
		/* none listed but still busy: the last one is between leaving
		 * the list and leaving the cgroup; let it run */
		if (!wait_members(dir, deadline))
			sched_yield();
	}
}

/* ---- the probe ---- */

static char *read_mountinfo(void)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((r = read(fd, buf + len, cap - 1 - len)) > 0) {
		len += (size_t)r;
		if (len + 1 == cap) {
			char *more = realloc(buf, cap * 2);
			if (!more)
				break;
			buf = more;
			cap *= 2;
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

static int make_named(wc_cgroup *cg, const char *name, long long mem_bytes, int pids, char *err, size_t errlen);

static void add_base(const char *mp, int has)
{
	for (int i = 0; i < cgs.nbase; i++)
		if (!strncmp(cgs.base[i], mp, strlen(mp)) && !strcmp(cgs.base[i] + strlen(mp), "/wirecheck"))
			return; /* two controllers of one hierarchy */
	snprintf(cgs.base[cgs.nbase], sizeof(cgs.base[0]), "%s/wirecheck", mp);
	cgs.has[cgs.nbase++] = has;
}

static int probe(void)
{
	const char *off = getenv("WIRECHECK_NO_CGROUP");
	char mem[200], pids[200], cpu[200], v2[200], ctl[512], err[400];
	char *mi;
	wc_cgroup trial;

	if (off && *off && strcmp(off, "0")) {
		snprintf(cgs.why, sizeof(cgs.why), "WIRECHECK_NO_CGROUP is set");
		return 0;
	}
	if (geteuid() != 0) {
		snprintf(cgs.why, sizeof(cgs.why), "not root: rootless mode");
		return 0;
	}
	if (!(mi = read_mountinfo())) {
		snprintf(cgs.why, sizeof(cgs.why), "cannot read /proc/self/mountinfo: %s", strerror(errno));
		return 0;
	}
	wc_cgroup_mounts(mi, mem, pids, cpu, v2, sizeof(mem));
	free(mi);
	/* No CPU controller: a task in a CPU cgroup leaves its autogroup, and all
	 * the programs under 'wirecheck' weighed as one entity beside the
	 * harness and everything else on the machine: at -j 8 beside four CPU
	 * hogs every program of tests/it-load.sh starved before its bind ("kept
	 * a CPU busy without binding", a verdict by the load). The program's
	 * session (setsid) keeps its processes one autogroup, which is the fair
	 * share wanted (README, The same verdict every time). */
	(void)cpu;
	if (mem[0]) {
		add_base(mem, C_MEM | (!strcmp(mem, pids) ? C_PIDS : 0));
		if (pids[0])
			add_base(pids, C_PIDS);
	} else if (v2[0] && get(v2, "cgroup.controllers", ctl, sizeof(ctl)) >= 0 && has_word(ctl, "memory")) {
		cgs.v2 = 1;
		add_base(v2, C_MEM | (has_word(ctl, "pids") ? C_PIDS : 0));
	} else {
		snprintf(cgs.why, sizeof(cgs.why), "no memory controller: neither a cgroup v1 'memory' hierarchy nor "
			 "a cgroup2 with 'memory' in its cgroup.controllers is mounted");
		return 0;
	}
	for (int i = 0; i < cgs.nbase; i++) {
		if (mkdir(cgs.base[i], 0755) < 0 && errno != EEXIST) {
			snprintf(cgs.why, sizeof(cgs.why), "cannot make '%s': %s", cgs.base[i], strerror(errno));
			return 0;
		}
	}
	if (cgs.v2) {
		/* the controllers of the children of 'wirecheck', which holds no
		 * process itself (v2 lets only such a cgroup hand them on); the
		 * memory controller is the one that matters */
		char *slash = strrchr(cgs.base[0], '/');
		/* at the hierarchy's root, where systemd has it on already; a
		 * root that holds the controller back is asked for it once */
		*slash = 0;
		if (get(cgs.base[0], "cgroup.subtree_control", ctl, sizeof(ctl)) >= 0 && !has_word(ctl, "memory"))
			put(cgs.base[0], "cgroup.subtree_control", "+memory");
		*slash = '/';
		put(cgs.base[0], "cgroup.subtree_control", "+memory");
		if (cgs.has[0] & C_PIDS)
			put(cgs.base[0], "cgroup.subtree_control", "+pids");
		if (get(cgs.base[0], "cgroup.subtree_control", ctl, sizeof(ctl)) < 0 || !has_word(ctl, "memory")) {
			snprintf(cgs.why, sizeof(cgs.why), "the cgroup2 '%s' cannot hand the memory controller on to its "
				 "children (cgroup.subtree_control)", cgs.base[0]);
			return 0;
		}
		cgs.has[0] = C_MEM | (has_word(ctl, "pids") ? C_PIDS : 0);
	}
	/* one made, limited and removed, as a scenario's will be */
	{
		char name[32];
		snprintf(name, sizeof(name), "%d-probe", (int)getpid());
		if (make_named(&trial, name, 1LL << 30, 16, err, sizeof(err)) < 0) {
			snprintf(cgs.why, sizeof(cgs.why), "%s", err);
			return 0;
		}
		wc_cgroup_remove(&trial);
	}
	return 1;
}

int wc_cgroup_usable(char *why, size_t n)
{
	if (!cgs.probed) {
		cgs.probed = 1;
		cgs.ok = probe();
	}
	if (why && n)
		snprintf(why, n, "%s", cgs.ok ? "" : cgs.why);
	return cgs.ok;
}

const char *wc_cgroup_kind(void)
{
	return cgs.v2 ? "cgroup v2" : "cgroup v1";
}

/* ---- a program's cgroup ---- */

static int make_named(wc_cgroup *cg, const char *name, long long mem_bytes, int pids, char *err, size_t errlen)
{
	const char *step = "";
	int rc = 0;

	memset(cg, 0, sizeof(*cg));
	cg->v2 = cgs.v2;
	cg->mem_bytes = mem_bytes;
	for (int i = 0; i < cgs.nbase; i++) {
		snprintf(cg->dir[i], sizeof(cg->dir[i]), "%s/%s", cgs.base[i], name);
		/* one of the name there already is a dead process's with this pid
		 * (a harness killed before it could remove it): stale */
		if (mkdir(cg->dir[i], 0755) < 0 && (errno != EEXIST || remove_dir(cg->dir[i]) < 0 ||
						     mkdir(cg->dir[i], 0755) < 0)) {
			snprintf(err, errlen, "cannot make the program's cgroup '%s': %s", cg->dir[i], strerror(errno));
			cg->dir[i][0] = 0;
			wc_cgroup_remove(cg);
			return -1;
		}
		cg->n = i + 1;
		cg->active = 1;
	}
	/* memory first, then memory with swap: v1 wants memsw >= memory at every step */
	for (int i = 0; i < cg->n && rc == 0; i++) {
		const char *d = cg->dir[i];
		int has = cgs.has[i];
		if (cg->v2) {
			if ((has & C_MEM) && rc == 0)
				rc = put_num(d, step = "memory.max", mem_bytes);
			if ((has & C_MEM) && rc == 0 && has_file(d, "memory.swap.max"))
				rc = put(d, step = "memory.swap.max", "0");
			if ((has & C_PIDS) && pids > 0 && rc == 0)
				rc = put_num(d, step = "pids.max", pids);
		} else {
			if ((has & C_MEM) && rc == 0)
				rc = put_num(d, step = "memory.limit_in_bytes", mem_bytes);
			if ((has & C_MEM) && rc == 0 && has_file(d, "memory.memsw.limit_in_bytes"))
				rc = put_num(d, step = "memory.memsw.limit_in_bytes", mem_bytes);
			if ((has & C_PIDS) && pids > 0 && rc == 0)
				rc = put_num(d, step = "pids.max", pids);
		}
		if (rc < 0)
			snprintf(err, errlen, "cannot limit the program's cgroup: %s/%s: %s", d, step, strerror(errno));
	}
	if (rc < 0) {
		wc_cgroup_remove(cg);
		return -1;
	}
	return 0;
}

int wc_cgroup_make(wc_cgroup *cg, long long mem_bytes, int pids, char *err, size_t errlen)
{
	char name[32];

	memset(cg, 0, sizeof(*cg));
	if (!wc_cgroup_usable(err, errlen))
		return -1;
	snprintf(name, sizeof(name), "%d-%u", (int)getpid(), ++counter);
	return make_named(cg, name, mem_bytes, pids, err, errlen);
}

int wc_cgroup_open_procs(const wc_cgroup *cg, int fds[WC_CGROUP_DIRS])
{
	for (int i = 0; i < cg->n; i++) {
		char path[400];
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir[i]);
		if ((fds[i] = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
			int e = errno;
			while (i-- > 0)
				close(fds[i]);
			errno = e;
			return -1;
		}
	}
	return cg->n;
}

int wc_cgroup_oom_kills(const wc_cgroup *cg)
{
	char text[1024];
	long long k;

	if (!cg->active || !cg->dir[0][0])
		return 0;
	if (cg->v2) {
		if (get(cg->dir[0], "memory.events", text, sizeof(text)) < 0)
			return 0;
		k = wc_cgroup_field(text, "oom_kill");
		return k > 0 ? (int)k : 0;
	}
	if (get(cg->dir[0], "memory.oom_control", text, sizeof(text)) >= 0 &&
	    (k = wc_cgroup_field(text, "oom_kill")) >= 0)
		return (int)k;
	/* a kernel that does not count the kills (before 4.13): the limit was reached */
	return get(cg->dir[0], "memory.failcnt", text, sizeof(text)) > 0 && atoll(text) > 0 ? -1 : 0;
}

void wc_cgroup_remove(wc_cgroup *cg)
{
	if (!cg->active)
		return;
	/* the memory controller's last: what the others held is gone by then */
	for (int i = cg->n - 1; i >= 0; i--)
		if (cg->dir[i][0] && remove_dir(cg->dir[i]) == 0)
			cg->dir[i][0] = 0;
	cg->active = 0;
}

/* Removes NAME (a worker's cgroup) under every base folder for which
 * match(NAME) holds. Returns how many were removed under the first. */
static int remove_matching(int (*match)(const char *name, void *ctx), void *ctx)
{
	int removed = 0;

	for (int i = cgs.nbase - 1; i >= 0; i--) {
		DIR *d = opendir(cgs.base[i]);
		struct dirent *e;
		if (!d)
			continue;
		while ((e = readdir(d)) != NULL) {
			char path[600];
			if (e->d_name[0] == '.' || !match(e->d_name, ctx))
				continue;
			snprintf(path, sizeof(path), "%s/%s", cgs.base[i], e->d_name);
			if (remove_dir(path) == 0 && i == 0)
				removed++;
		}
		closedir(d);
	}
	return removed;
}

/* The worker pid a cgroup's name starts with ("812-3", "812-probe"), or -1. */
static long name_pid(const char *name)
{
	char *end;
	long pid = strtol(name, &end, 10);

	return end != name && *end == '-' && pid > 0 ? pid : -1;
}

static int of_worker(const char *name, void *ctx)
{
	return name_pid(name) == (long)*(pid_t *)ctx;
}

static int of_gone(const char *name, void *ctx)
{
	int (*gone)(pid_t) = *(int (**)(pid_t))ctx;
	long pid = name_pid(name);

	return pid > 0 && gone((pid_t)pid);
}

void wc_cgroup_remove_worker(pid_t pid)
{
	if (cgs.ok)
		remove_matching(of_worker, &pid);
}

int wc_cgroup_clean_stale(int (*gone)(pid_t))
{
	if (!wc_cgroup_usable(NULL, 0))
		return 0;
	return remove_matching(of_gone, &gone);
}
