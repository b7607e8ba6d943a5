/* subid.c - rootless, subordinate ids of the grading user (/etc/subuid, /etc/subgid), mapped with newuidmap and newgidmap */
#include "sandbox/subid.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ID_MAX 4294967294UL /* (uid_t)-1 is no id */

/* A decimal number filling s[0..n): 1 and *v, or 0. */
static int number(const char *s, size_t n, unsigned long *v)
{
	unsigned long long x = 0;

	if (n == 0 || n > 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (unsigned long long)(s[i] - '0');
	}
	if (x > ID_MAX)
		return 0;
	*v = (unsigned long)x;
	return 1;
}

int wc_subid_find(const char *text, const char *name, unsigned long id, unsigned long own, unsigned long *start,
		  unsigned long *count)
{
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n'), *c1, *c2;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		unsigned long owner, s, n;

		c1 = memchr(line, ':', len);
		c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		if (c2 && *line != '#' &&
		    (((size_t)(c1 - line) == strlen(name) && !strncmp(line, name, strlen(name))) ||
		     (number(line, (size_t)(c1 - line), &owner) && owner == id)) &&
		    number(c1 + 1, (size_t)(c2 - c1 - 1), &s) && number(c2 + 1, len - (size_t)(c2 + 1 - line), &n) &&
		    n > 0 && s > 0 && n - 1 <= ID_MAX - s && !(own >= s && own - s < n)) {
			*start = s;
			*count = n;
			return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

/* The file's text (NUL-terminated, malloc'd), or NULL with errno. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t r;
		if (cap - len < 4096) {
			char *more = cap < (16u << 20) ? realloc(text, cap + 65536) : NULL;
			if (!more) {
				free(text);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			text = more;
			cap += 65536;
		}
		r = fread(text + len, 1, cap - len - 1, f);
		len += r;
		if (r == 0)
			break;
	}
	text[len] = 0;
	if (ferror(f)) {
		free(text);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	return text;
}

/* path of prog on PATH (else /usr/bin) into out: 1, or 0. */
static int on_path(const char *prog, char *out, size_t n)
{
	const char *path = getenv("PATH");

	for (const char *d = path && *path ? path : "/usr/bin:/bin"; *d;) {
		size_t l = strcspn(d, ":");
		if (l && (size_t)snprintf(out, n, "%.*s/%s", (int)l, d, prog) < n && out[0] == '/' &&
		    access(out, X_OK) == 0)
			return 1;
		d += l + (d[l] == ':');
	}
	return (size_t)snprintf(out, n, "/usr/bin/%s", prog) < n && access(out, X_OK) == 0;
}

/* The range of the user in file (/etc/subuid or /etc/subgid): 1, or 0 with why. */
static int range_of(const char *file, const char *name, unsigned long id, unsigned long own, unsigned long *start,
		    unsigned long *count, char *why, size_t n)
{
	char *text = slurp(file);

	if (!text) {
		if (errno == ENOENT)
			snprintf(why, n, "there is no %s", file);
		else
			snprintf(why, n, "cannot read %s: %s", file, strerror(errno));
		return 0;
	}
	if (!wc_subid_find(text, name, id, own, start, count)) {
		snprintf(why, n, "no range for '%s' (%s %lu) in %s that leaves out its own id and 0", name,
			 strstr(file, "gid") ? "gid" : "uid", id, file);
		free(text);
		return 0;
	}
	free(text);
	return 1;
}

static struct {
	int probed, ok;
	wc_subids ids;
	char words[600], fix[400];
} probe;

#define ADD_RANGE "as root: usermod --add-subuids 100000-165535 --add-subgids 100000-165535 %s (or a line " \
		  "%s:100000:65536 in /etc/subuid and in /etc/subgid, a range no other user has)"

static int do_probe(void)
{
	const char *off = getenv("WIRECHECK_NO_SUBUID");
	struct passwd *pw;
	unsigned long us, uc, gs, gc;
	char name[256];
	int tools;

	if (off && *off && strcmp(off, "0")) {
		snprintf(probe.words, sizeof(probe.words), "WIRECHECK_NO_SUBUID is set");
		snprintf(probe.fix, sizeof(probe.fix), "unset WIRECHECK_NO_SUBUID");
		return 0;
	}
	errno = 0;
	pw = getpwuid(getuid());
	if (!pw) {
		snprintf(probe.words, sizeof(probe.words), "your uid %u has no name in the user database%s%s",
			 (unsigned)getuid(), errno ? ": " : "", errno ? strerror(errno) : "");
		snprintf(probe.fix, sizeof(probe.fix), "run wirecheck as a user with a name (newuidmap needs one)");
		return 0;
	}
	snprintf(name, sizeof(name), "%s", pw->pw_name);
	if (getgid() != pw->pw_gid) {
		snprintf(probe.words, sizeof(probe.words),
			 "your group id %u is not the login group %u of '%s', the only one newgidmap maps beside the "
			 "subordinate ids",
			 (unsigned)getgid(), (unsigned)pw->pw_gid, name);
		snprintf(probe.fix, sizeof(probe.fix), "run wirecheck with your login group (not under newgrp or sg)");
		return 0;
	}
	tools = on_path("newuidmap", probe.ids.newuidmap, sizeof(probe.ids.newuidmap)) &&
		on_path("newgidmap", probe.ids.newgidmap, sizeof(probe.ids.newgidmap));
	if (!range_of("/etc/subuid", name, getuid(), getuid(), &us, &uc, probe.words, sizeof(probe.words)) ||
	    !range_of("/etc/subgid", name, getuid(), getgid(), &gs, &gc, probe.words, sizeof(probe.words))) {
		snprintf(probe.fix, sizeof(probe.fix), ADD_RANGE "%s", name, name,
			 tools ? "" : ", and apt-get install uidmap (newuidmap, newgidmap)");
		return 0;
	}
	if (!tools) {
		snprintf(probe.words, sizeof(probe.words),
			 "'%s' has subordinate ids, but newuidmap and newgidmap are not installed", name);
		snprintf(probe.fix, sizeof(probe.fix), "as root: apt-get install uidmap");
		return 0;
	}
	probe.ids.uid_start = us;
	probe.ids.gid_start = gs;
	probe.ids.count = uc < gc ? uc : gc;
	snprintf(probe.words, sizeof(probe.words), "uids %lu-%lu and gids %lu-%lu of '%s' (/etc/subuid, /etc/subgid)",
		 us, us + probe.ids.count - 1, gs, gs + probe.ids.count - 1, name);
	return 1;
}

int wc_subids_usable(wc_subids *ids, char *words, size_t n, char *fix, size_t fixn)
{
	if (!probe.probed) {
		probe.ok = do_probe();
		probe.probed = 1;
	}
	if (ids && probe.ok)
		*ids = probe.ids;
	if (words && n)
		snprintf(words, n, "%s", probe.words);
	if (fix && fixn)
		snprintf(fix, fixn, "%s", probe.ok ? "" : probe.fix);
	return probe.ok;
}

/* ---- the helper: forked before the unshare, async-signal-safe only ---- */

/* Runs argv (no environment) and waits: 0 if it exited 0, else its status (127: not run). */
static int run_wait(char *const argv[])
{
	char *const env[] = {NULL};
	int st;
	pid_t p = fork();

	if (p < 0)
		return 126;
	if (p == 0) {
		static const char no[] = "it could not be executed\n";
		execve(argv[0], argv, env);
		if (write(2, no, sizeof(no) - 1) < 0)
			_exit(127);
		_exit(127);
	}
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return 126;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Helper exit statuses: which one failed. */
enum { H_OK, H_NOGO = 10, H_UID = 11, H_GID = 12 };

static void helper(int go, int said, char *const uargv[], char *const gargv[])
{
	char c;
	ssize_t r;

	dup2(said, 1);
	dup2(said, 2);
	do
		r = read(go, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1)
		_exit(H_NOGO); /* the caller could not unshare */
	if (run_wait(uargv) != 0)
		_exit(H_UID);
	if (run_wait(gargv) != 0)
		_exit(H_GID);
	_exit(H_OK);
}

/* argv of a map program: PATH PID own own 1 start start count */
static void map_argv(char store[8][24], char *argv[9], const char *path, pid_t pid, unsigned long own,
		     unsigned long start, unsigned long count)
{
	argv[0] = (char *)path;
	snprintf(store[1], 24, "%d", (int)pid);
	snprintf(store[2], 24, "%lu", own);
	snprintf(store[3], 24, "%lu", own);
	snprintf(store[4], 24, "1");
	snprintf(store[5], 24, "%lu", start);
	snprintf(store[6], 24, "%lu", start);
	snprintf(store[7], 24, "%lu", count);
	for (int i = 1; i < 8; i++)
		argv[i] = store[i];
	argv[8] = NULL;
}

int wc_subids_unshare(const wc_subids *ids, int flags, char *err, size_t errlen)
{
	char us[8][24], gs[8][24], said[700];
	char *uargv[9], *gargv[9];
	int go[2], out[2], st, e;
	size_t got = 0;
	ssize_t r;
	pid_t h;

	map_argv(us, uargv, ids->newuidmap, getpid(), getuid(), ids->uid_start, ids->count);
	map_argv(gs, gargv, ids->newgidmap, getpid(), getgid(), ids->gid_start, ids->count);
	if (pipe2(go, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return -1;
	}
	h = fork();
	if (h < 0) {
		snprintf(err, errlen, "cannot fork the helper that runs newuidmap: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (h == 0)
		helper(go[0], out[1], uargv, gargv);
	close(go[0]);
	close(out[1]);
	e = unshare(flags) < 0 ? errno : 0;
	if (!e && write(go[1], "g", 1) != 1)
		e = errno ? errno : EPIPE;
	close(go[1]);
	while ((r = read(out[0], said + got, sizeof(said) - 1 - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if ((got += (size_t)r) == sizeof(said) - 1) {
			char rest[256];
			while ((r = read(out[0], rest, sizeof(rest))) > 0 || (r < 0 && errno == EINTR))
				;
			break;
		}
	}
	close(out[0]);
	said[got] = 0;
	while (got && (said[got - 1] == '\n' || said[got - 1] == ' '))
		said[--got] = 0;
	for (char *nl = strchr(said, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ';';
	while (waitpid(h, &st, 0) < 0)
		if (errno != EINTR) {
			st = -1;
			break;
		}
	if (e) {
		snprintf(err, errlen, "cannot make a user and a network namespace (unshare): %s (rootless mode needs user "
			 "namespaces: sysctl kernel.unprivileged_userns_clone=1 or user.max_user_namespaces > 0; the "
			 "kernel refuses them in a chroot: run as root there)",
			 strerror(e));
		return -1;
	}
	if (st != 0) {
		int uid_failed = st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != H_GID;
		char *const *argv = uid_failed ? uargv : gargv;
		snprintf(err, errlen,
			 "cannot map the subordinate ids into the user namespace: '%s %s %s %s %s %s %s %s' failed%s%s "
			 "(it must be setuid root, package uidmap, and the range in %s must be the user's; "
			 "WIRECHECK_NO_SUBUID=1 runs the programs as your own uid instead)",
			 argv[0], argv[1], argv[2], argv[3], argv[4], argv[5], argv[6], argv[7], said[0] ? ": " : "",
			 said[0] ? said : "", uid_failed ? "/etc/subuid" : "/etc/subgid");
		return -1;
	}
	return 0;
}
