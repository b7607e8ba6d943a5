/* idle.c - provable idleness of a program under test: /proc's system calls, schedstat, timers, socket timeouts */
#include "sandbox/idle.h"

#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#ifdef __x86_64__
#define SYS_pidfd_open 434
#endif
#endif
#ifndef SYS_pidfd_getfd
#ifdef __x86_64__
#define SYS_pidfd_getfd 438
#endif
#endif

/* linux/futex.h, without including it (its types clash with glibc's on old systems) */
#define WC_FUTEX_WAIT 0
#define WC_FUTEX_LOCK_PI 6
#define WC_FUTEX_WAIT_BITSET 9
#define WC_FUTEX_WAIT_REQUEUE_PI 11
#define WC_FUTEX_LOCK_PI2 13
#define WC_FUTEX_CMD_MASK (~(128 | 256)) /* FUTEX_PRIVATE_FLAG, FUTEX_CLOCK_REALTIME */

/* ---- the table of system calls ---- */

enum kind {
	K_BLOCK,     /* blocks with no timeout of its own */
	K_FD_RCV,    /* blocks on descriptor arg 0; a socket's SO_RCVTIMEO would end it */
	K_FD_SND,    /* the same, for writing: SO_SNDTIMEO */
	K_TIMED,     /* ends by itself */
	K_INT_MS,    /* int timeout in ms at arg: < 0 none, else a timeout */
	K_PTR,       /* pointer to a timeout at arg: NULL none */
	K_PTR_RCV,   /* recvmmsg: pointer at arg, and the socket's SO_RCVTIMEO */
	K_FUTEX,     /* futex: depends on the operation */
	K_FCNTL      /* fcntl: F_SETLKW blocks, the rest do not */
};

struct call {
	long nr;
	const char *name;
	enum kind kind;
	int arg;
};

/* Calls not here are classified "timed": never claim idle without proof. */
static const struct call calls[] = {
#ifdef SYS_read
	{SYS_read, "read", K_FD_RCV, 0},
#endif
#ifdef SYS_readv
	{SYS_readv, "readv", K_FD_RCV, 0},
#endif
#ifdef SYS_pread64
	{SYS_pread64, "pread64", K_FD_RCV, 0},
#endif
#ifdef SYS_preadv
	{SYS_preadv, "preadv", K_FD_RCV, 0},
#endif
#ifdef SYS_preadv2
	{SYS_preadv2, "preadv2", K_FD_RCV, 0},
#endif
#ifdef SYS_recvfrom
	{SYS_recvfrom, "recvfrom", K_FD_RCV, 0},
#endif
#ifdef SYS_recvmsg
	{SYS_recvmsg, "recvmsg", K_FD_RCV, 0},
#endif
#ifdef SYS_recvmmsg
	{SYS_recvmmsg, "recvmmsg", K_PTR_RCV, 4},
#endif
#ifdef SYS_accept
	{SYS_accept, "accept", K_FD_RCV, 0},
#endif
#ifdef SYS_accept4
	{SYS_accept4, "accept4", K_FD_RCV, 0},
#endif
#ifdef SYS_write
	{SYS_write, "write", K_FD_SND, 0},
#endif
#ifdef SYS_writev
	{SYS_writev, "writev", K_FD_SND, 0},
#endif
#ifdef SYS_pwrite64
	{SYS_pwrite64, "pwrite64", K_FD_SND, 0},
#endif
#ifdef SYS_sendto
	{SYS_sendto, "sendto", K_FD_SND, 0},
#endif
#ifdef SYS_sendmsg
	{SYS_sendmsg, "sendmsg", K_FD_SND, 0},
#endif
#ifdef SYS_sendmmsg
	{SYS_sendmmsg, "sendmmsg", K_FD_SND, 0},
#endif
#ifdef SYS_connect
	/* a blocking connect ends when the kernel gives up its SYN retries */
	{SYS_connect, "connect", K_TIMED, 0},
#endif
#ifdef SYS_wait4
	{SYS_wait4, "wait4", K_BLOCK, 0},
#endif
#ifdef SYS_waitid
	{SYS_waitid, "waitid", K_BLOCK, 0},
#endif
#ifdef SYS_pause
	{SYS_pause, "pause", K_BLOCK, 0},
#endif
#ifdef SYS_rt_sigsuspend
	{SYS_rt_sigsuspend, "rt_sigsuspend", K_BLOCK, 0},
#endif
#ifdef SYS_rt_sigtimedwait
	{SYS_rt_sigtimedwait, "rt_sigtimedwait", K_PTR, 2},
#endif
#ifdef SYS_poll
	{SYS_poll, "poll", K_INT_MS, 2},
#endif
#ifdef SYS_ppoll
	{SYS_ppoll, "ppoll", K_PTR, 2},
#endif
#ifdef SYS_select
	{SYS_select, "select", K_PTR, 4},
#endif
#ifdef SYS_pselect6
	{SYS_pselect6, "pselect6", K_PTR, 4},
#endif
#ifdef SYS_epoll_wait
	{SYS_epoll_wait, "epoll_wait", K_INT_MS, 3},
#endif
#ifdef SYS_epoll_pwait
	{SYS_epoll_pwait, "epoll_pwait", K_INT_MS, 3},
#endif
#ifdef SYS_epoll_pwait2
	{SYS_epoll_pwait2, "epoll_pwait2", K_PTR, 3},
#endif
#ifdef SYS_futex
	{SYS_futex, "futex", K_FUTEX, 3},
#endif
#ifdef SYS_futex_waitv
	{SYS_futex_waitv, "futex_waitv", K_PTR, 3},
#endif
#ifdef SYS_nanosleep
	{SYS_nanosleep, "nanosleep", K_TIMED, 0},
#endif
#ifdef SYS_clock_nanosleep
	{SYS_clock_nanosleep, "clock_nanosleep", K_TIMED, 0},
#endif
#ifdef SYS_msgrcv
	{SYS_msgrcv, "msgrcv", K_BLOCK, 0},
#endif
#ifdef SYS_msgsnd
	{SYS_msgsnd, "msgsnd", K_BLOCK, 0},
#endif
#ifdef SYS_semop
	{SYS_semop, "semop", K_BLOCK, 0},
#endif
#ifdef SYS_semtimedop
	{SYS_semtimedop, "semtimedop", K_PTR, 3},
#endif
#ifdef SYS_mq_timedreceive
	{SYS_mq_timedreceive, "mq_timedreceive", K_PTR, 4},
#endif
#ifdef SYS_mq_timedsend
	{SYS_mq_timedsend, "mq_timedsend", K_PTR, 4},
#endif
#ifdef SYS_io_getevents
	{SYS_io_getevents, "io_getevents", K_PTR, 4},
#endif
#ifdef SYS_flock
	{SYS_flock, "flock", K_BLOCK, 0},
#endif
#ifdef SYS_fcntl
	{SYS_fcntl, "fcntl", K_FCNTL, 1},
#endif
};

static const struct call *find_call(long nr)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].nr == nr)
			return &calls[i];
	return NULL;
}

wc_idle_class wc_idle_classify(wc_idle_thread *t)
{
	const struct call *c;
	unsigned long long a;

	t->fd = -1;
	t->timeo = 0;
	t->what[0] = t->why[0] = 0;
	switch (t->state) {
	case 'Z':
	case 'X':
	case 'x':
		snprintf(t->what, sizeof(t->what), "zombie");
		return t->cls = WC_THREAD_DEAD;
	case 'R':
		snprintf(t->what, sizeof(t->what), "running");
		return t->cls = WC_THREAD_RUNNING;
	case 'T':
	case 't':
		/* stopped by a signal or a tracer: only someone else's signal resumes it */
		snprintf(t->what, sizeof(t->what), "stopped");
		snprintf(t->why, sizeof(t->why), "no timeout");
		return t->cls = WC_THREAD_BLOCKED;
	case 'S':
		break;
	default:
		/* D (uninterruptible: disk, vfork), W, P, I, K, unknown letters: it will move on */
		snprintf(t->what, sizeof(t->what), "state %c", t->state ? t->state : '?');
		snprintf(t->why, sizeof(t->why), "not a wait for good");
		return t->cls = WC_THREAD_TIMED;
	}
	if (t->nr == -2) {
		/* asleep in stat, on a CPU by the time syscall was read */
		snprintf(t->what, sizeof(t->what), "running");
		return t->cls = WC_THREAD_RUNNING;
	}
	if (t->nr == -3) {
		snprintf(t->what, sizeof(t->what), "unreadable");
		snprintf(t->why, sizeof(t->why), "its system call cannot be read");
		return t->cls = WC_THREAD_TIMED;
	}
	if (t->nr < 0) {
		snprintf(t->what, sizeof(t->what), "asleep outside a system call");
		snprintf(t->why, sizeof(t->why), "not a wait for good");
		return t->cls = WC_THREAD_TIMED;
	}
	c = find_call(t->nr);
	if (!c) {
		snprintf(t->what, sizeof(t->what), "system call %ld", t->nr);
		snprintf(t->why, sizeof(t->why), "not known to block for good");
		return t->cls = WC_THREAD_TIMED;
	}
	a = t->args[c->arg];
	snprintf(t->what, sizeof(t->what), "%s", c->name);
	switch (c->kind) {
	case K_BLOCK:
		break;
	case K_FD_RCV:
	case K_FD_SND:
		t->fd = (int)(unsigned)t->args[0];
		t->timeo = c->kind == K_FD_RCV ? SO_RCVTIMEO : SO_SNDTIMEO;
		snprintf(t->what, sizeof(t->what), "%s fd %d", c->name, t->fd);
		break;
	case K_TIMED:
		snprintf(t->why, sizeof(t->why), "ends by itself");
		return t->cls = WC_THREAD_TIMED;
	case K_INT_MS:
		if ((int)(unsigned)a >= 0) {
			snprintf(t->why, sizeof(t->why), "timeout %d ms", (int)(unsigned)a);
			return t->cls = WC_THREAD_TIMED;
		}
		break;
	case K_PTR_RCV:
		t->fd = (int)(unsigned)t->args[0];
		t->timeo = SO_RCVTIMEO;
		snprintf(t->what, sizeof(t->what), "%s fd %d", c->name, t->fd);
		/* fall through */
	case K_PTR:
		if (a) {
			snprintf(t->why, sizeof(t->why), "with a timeout");
			return t->cls = WC_THREAD_TIMED;
		}
		break;
	case K_FUTEX: {
		int op = (int)(t->args[1] & (unsigned)WC_FUTEX_CMD_MASK);
		if (op != WC_FUTEX_WAIT && op != WC_FUTEX_WAIT_BITSET && op != WC_FUTEX_LOCK_PI &&
		    op != WC_FUTEX_LOCK_PI2 && op != WC_FUTEX_WAIT_REQUEUE_PI) {
			snprintf(t->what, sizeof(t->what), "futex op %d", op);
			snprintf(t->why, sizeof(t->why), "not a wait");
			return t->cls = WC_THREAD_TIMED;
		}
		if (a) {
			snprintf(t->why, sizeof(t->why), "with a timeout");
			return t->cls = WC_THREAD_TIMED;
		}
		break;
	}
	case K_FCNTL:
		if (a != F_SETLKW
#ifdef F_OFD_SETLKW
		    && a != F_OFD_SETLKW
#endif
		) {
			snprintf(t->why, sizeof(t->why), "not a lock wait");
			return t->cls = WC_THREAD_TIMED;
		}
		break;
	}
	snprintf(t->why, sizeof(t->why), "no timeout");
	return t->cls = WC_THREAD_BLOCKED;
}

/* ---- reading /proc ---- */

/* Reads a small /proc file into buf (NUL-ended). Returns the length, or -1 with errno. */
static ssize_t slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len = 0, r;

	if (fd < 0)
		return -1;
	while ((size_t)len < n - 1 && (r = read(fd, buf + len, n - 1 - (size_t)len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		len += r;
	}
	close(fd);
	buf[len] = 0;
	return len;
}

/* A stat line's fields after "PID (COMM) ": state is field 3, ppid 4, utime 14, stime 15. */
struct stat_line {
	char comm[17];
	char state;
	pid_t ppid;
	unsigned long long utime, stime;
};

static int parse_stat(const char *text, struct stat_line *s)
{
	const char *open_p = strchr(text, '('), *close_p = strrchr(text, ')');
	const char *f;
	size_t clen;
	int field = 3;

	memset(s, 0, sizeof(*s));
	if (!open_p || !close_p || close_p < open_p || close_p[1] != ' ')
		return -1;
	clen = (size_t)(close_p - open_p - 1);
	if (clen >= sizeof(s->comm))
		clen = sizeof(s->comm) - 1;
	memcpy(s->comm, open_p + 1, clen);
	f = close_p + 2;
	s->state = *f;
	while (*f && field <= 15) {
		char *end;
		if (field == 4)
			s->ppid = (pid_t)strtol(f, &end, 10);
		else if (field == 14)
			s->utime = strtoull(f, &end, 10);
		else if (field == 15)
			s->stime = strtoull(f, &end, 10);
		f = strchr(f, ' ');
		if (!f)
			break;
		f++;
		field++;
	}
	return field > 15 ? 0 : -1;
}

/* "running", or "NR 0xA0 ... 0xA5 SP PC", or "-1 SP PC" */
static void read_syscall(const char *dir, wc_idle_thread *t)
{
	char path[96], buf[512], *p, *end;

	snprintf(path, sizeof(path), "%s/syscall", dir);
	memset(t->args, 0, sizeof(t->args));
	if (slurp(path, buf, sizeof(buf)) <= 0) {
		t->nr = -3;
		return;
	}
	if (!strncmp(buf, "running", 7)) {
		t->nr = -2;
		return;
	}
	t->nr = strtol(buf, &end, 10);
	if (end == buf) {
		t->nr = -3;
		return;
	}
	if (t->nr < 0) {
		t->nr = -1;
		return;
	}
	p = end;
	for (int i = 0; i < 6; i++) {
		t->args[i] = strtoull(p, &end, 16);
		if (end == p) {
			t->nr = -3;
			return;
		}
		p = end;
	}
}

/* CPU time and how often it ran: schedstat, else stat's ticks and the context switches. */
static void read_cpu(const char *dir, const struct stat_line *st, wc_idle_thread *t)
{
	char path[96], buf[1024];
	unsigned long long run, wait, count;
	static long hz;

	snprintf(path, sizeof(path), "%s/schedstat", dir);
	if (slurp(path, buf, sizeof(buf)) > 0 && sscanf(buf, "%llu %llu %llu", &run, &wait, &count) == 3) {
		t->run_ns = run;
		t->runs = count;
		return;
	}
	if (!hz)
		hz = sysconf(_SC_CLK_TCK) > 0 ? sysconf(_SC_CLK_TCK) : 100;
	t->run_ns = (st->utime + st->stime) * (1000000000ull / (unsigned long long)hz);
	t->runs = 0;
	snprintf(path, sizeof(path), "%s/status", dir);
	if (slurp(path, buf, sizeof(buf)) > 0) {
		const char *v = strstr(buf, "voluntary_ctxt_switches:");
		const char *nv = strstr(buf, "nonvoluntary_ctxt_switches:");
		if (v)
			t->runs += strtoull(v + 24, NULL, 10);
		if (nv)
			t->runs += strtoull(nv + 27, NULL, 10);
	}
}

static int add_thread(wc_idle_look *l, wc_idle_thread **out)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		wc_idle_thread *th = realloc(l->th, (size_t)cap * sizeof(*th));
		if (!th)
			return -1;
		l->th = th;
		l->cap = cap;
	}
	*out = &l->th[l->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* The first reason that makes the whole look TIMED; later ones are dropped. */
__attribute__((format(printf, 2, 3))) static void set_note(wc_idle_look *l, const char *fmt, ...)
{
	va_list ap;

	if (l->note_timed)
		return;
	l->note_timed = 1;
	va_start(ap, fmt);
	vsnprintf(l->note, sizeof(l->note), fmt, ap);
	va_end(ap);
}

/* Every thread of process pid into l. */
static void look_process(wc_idle_look *l, pid_t pid)
{
	char dir[64], tdir[96], path[128], buf[1024];
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	if (!(d = opendir(dir))) {
		if (errno != ENOENT)
			set_note(l, "cannot list the threads of process %ld", (long)pid);
		return;
	}
	while ((e = readdir(d))) {
		struct stat_line st, st2;
		wc_idle_thread *t;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(tdir, sizeof(tdir), "%s/%s", dir, e->d_name);
		snprintf(path, sizeof(path), "%s/stat", tdir);
		if (slurp(path, buf, sizeof(buf)) <= 0 || parse_stat(buf, &st) < 0)
			continue; /* gone meanwhile */
		if (add_thread(l, &t) < 0) {
			set_note(l, "out of memory after %ld threads", (long)l->n);
			break;
		}
		t->pid = pid;
		t->tid = (pid_t)atoi(e->d_name);
		memcpy(t->comm, st.comm, sizeof(t->comm));
		t->state = st.state;
		read_syscall(tdir, t);
		read_cpu(tdir, &st, t);
		/* the state again: a thread that woke between stat and syscall */
		if (slurp(path, buf, sizeof(buf)) > 0 && parse_stat(buf, &st2) == 0 && st2.state != st.state)
			t->state = 'R';
		wc_idle_classify(t);
		l->cpu_ns += t->run_ns;
	}
	closedir(d);
}

/* The processes descended from root (root too unless skip): pids into *out (malloc'd). */
static int list_processes(pid_t root, int skip, pid_t **out, char *err, size_t errlen)
{
	struct node {
		pid_t pid, ppid;
		int in;
	} *nodes = NULL;
	int n = 0, cap = 0, added, count = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	char path[64], buf[1024];
	pid_t *res;

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "cannot list /proc: %s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat_line st;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if (slurp(path, buf, sizeof(buf)) <= 0 || parse_stat(buf, &st) < 0)
			continue;
		if (n == cap) {
			int c = cap ? cap * 2 : 256;
			struct node *nn = realloc(nodes, (size_t)c * sizeof(*nn));
			if (!nn) {
				free(nodes);
				closedir(d);
				snprintf(err, errlen, "out of memory listing processes");
				return -1;
			}
			nodes = nn;
			cap = c;
		}
		nodes[n].pid = (pid_t)atoi(e->d_name);
		nodes[n].ppid = st.ppid;
		nodes[n].in = nodes[n].pid == root;
		n++;
	}
	closedir(d);
	/* descendants: a pass per generation */
	do {
		added = 0;
		for (int i = 0; i < n; i++) {
			if (nodes[i].in)
				continue;
			for (int j = 0; j < n; j++) {
				if (nodes[j].in && nodes[j].pid == nodes[i].ppid) {
					nodes[i].in = 1;
					added = 1;
					break;
				}
			}
		}
	} while (added);
	res = malloc(((size_t)n + 1) * sizeof(*res));
	if (!res) {
		free(nodes);
		snprintf(err, errlen, "out of memory listing processes");
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (nodes[i].in && !(skip && nodes[i].pid == root))
			res[count++] = nodes[i].pid;
	free(nodes);
	*out = res;
	return count;
}

/* ---- what a process holds that would wake it: timers, SIGALRM, socket timeouts ---- */

/* 1 if the process's descriptor fd is a timerfd that is armed. */
static int timerfd_armed(pid_t pid, const char *fd)
{
	char path[96], buf[512];
	const char *v;
	unsigned long long s = 0, ns = 0;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)pid, fd);
	if (slurp(path, buf, sizeof(buf)) <= 0)
		return 1; /* cannot tell: armed */
	v = strstr(buf, "it_value:");
	if (!v || sscanf(v, "it_value: (%llu, %llu)", &s, &ns) != 2)
		return 1;
	return s || ns;
}

static int read_as_set;
static uid_t read_as_uid;
static gid_t read_as_gid;

/*
 * In host mode (wc_idle_read_as) some reads want the caller's real ids to be
 * the program's (ptrace access checks on real credentials: pidfd_getfd, a
 * process's timers; a container has no CAP_SYS_PTRACE): this thread alone
 * takes them for that one call (raw system calls: glibc's would change every
 * thread), keeping root as its saved ids to come back. Meanwhile the program
 * could signal this process: the window is that one call. 0, or -1 (errno).
 */
typedef struct ids {
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int on;
} ids;

static int as_program(ids *k)
{
	k->on = 0;
	if (!read_as_set)
		return 0;
	if (syscall(SYS_getresuid, &k->ru, &k->eu, &k->su) < 0 || syscall(SYS_getresgid, &k->rg, &k->eg, &k->sg) < 0)
		return -1;
	if (syscall(SYS_setresgid, read_as_gid, read_as_gid, -1) < 0)
		return -1;
	if (syscall(SYS_setresuid, read_as_uid, read_as_uid, -1) < 0) {
		int e = errno;
		syscall(SYS_setresgid, k->rg, k->eg, -1);
		errno = e;
		return -1;
	}
	k->on = 1;
	return 0;
}

static void as_harness(ids *k)
{
	int e = errno;

	if (!k->on)
		return;
	if (syscall(SYS_setresuid, k->ru, k->eu, -1) < 0 || syscall(SYS_setresgid, k->rg, k->eg, -1) < 0) {
		/* this thread would go on as the program's user */
		perror("wirecheck: cannot take back the harness's identity");
		abort();
	}
	k->on = 0;
	errno = e;
}

#ifdef SYS_pidfd_getfd
static int getfd(int pidfd, int fd)
{
	ids k;
	int got;

	if (as_program(&k) < 0)
		return -1;
	got = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	as_harness(&k);
	return got;
}
#endif

/* Notes in l why process pid may wake by itself though its threads all wait for good. */
static void check_wakers(wc_idle_look *l, pid_t pid)
{
	char path[96], buf[4096], link[128];
	DIR *d;
	struct dirent *e;
	const char *cgt;

	/* a SIGALRM handler: alarm()/setitimer(ITIMER_REAL) cannot be read from
	 * outside (stat's itrealvalue is always 0), so a handler is taken as one */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (slurp(path, buf, sizeof(buf)) <= 0) {
		set_note(l, "cannot read the status of process %ld", (long)pid);
		return;
	}
	if ((cgt = strstr(buf, "SigCgt:")) != NULL) {
		unsigned long long mask = strtoull(cgt + 7, NULL, 16);
		if (mask & (1ull << (SIGALRM - 1)))
			set_note(l, "SIGALRM is caught by process %ld: an alarm may be pending", (long)pid);
	}
	/* POSIX timers (timer_create) */
	snprintf(path, sizeof(path), "/proc/%d/timers", (int)pid);
	{
		ids k;
		ssize_t r = as_program(&k) < 0 ? -1 : slurp(path, buf, sizeof(buf));
		as_harness(&k);
		if (r > 0)
			set_note(l, "process %ld has a POSIX timer (timer_create)", (long)pid);
		else if (r < 0 && errno != ENOENT)
			set_note(l, "cannot read the timers of process %ld", (long)pid);
	}
	/* armed timerfds; a 32-bit program's call numbers are another table's */
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(path))) {
		set_note(l, "cannot list the descriptors of process %ld", (long)pid);
		return;
	}
	while ((e = readdir(d))) {
		ssize_t k;
		char lp[96];
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(lp, sizeof(lp), "/proc/%d/fd/%s", (int)pid, e->d_name);
		k = readlink(lp, link, sizeof(link) - 1);
		if (k < 0)
			continue;
		link[k] = 0;
		if (!strcmp(link, "anon_inode:[timerfd]") && timerfd_armed(pid, e->d_name)) {
			set_note(l, "process %ld has an armed timerfd", (long)pid);
			break;
		}
	}
	closedir(d);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (slurp(path, buf, EI_NIDENT + 1) > EI_CLASS) {
		unsigned char cls = (unsigned char)buf[EI_CLASS];
		if (cls != (sizeof(long) == 8 ? ELFCLASS64 : ELFCLASS32))
			set_note(l, "process %ld is of another word size: its calls are not classified", (long)pid);
	}
}


/*
 * For a thread blocked on a descriptor: names what the descriptor is and, for a
 * socket, reads its SO_RCVTIMEO / SO_SNDTIMEO through a copy of it (pidfd_getfd);
 * a timeout set there, or one that cannot be read, makes the thread TIMED.
 */
static void check_fd(wc_idle_thread *t, int pidfd)
{
	char lp[96], link[64];
	ssize_t k;
	size_t len;

	snprintf(lp, sizeof(lp), "/proc/%d/fd/%d", (int)t->pid, t->fd);
	k = readlink(lp, link, sizeof(link) - 1);
	if (k >= 0) {
		link[k] = 0;
		len = strlen(t->what);
		snprintf(t->what + len, sizeof(t->what) - len, " (%s)", link);
		if (strncmp(link, "socket:", 7))
			return; /* pipes, terminals: no timeout of their own */
	}
#ifdef SYS_pidfd_getfd
	{
		int fd = pidfd >= 0 ? getfd(pidfd, t->fd) : -1;
		struct timeval tv = {0, 0};
		socklen_t tl = sizeof(tv);
		struct stat sst;
		int e = pidfd < 0 ? EBADF : errno;

		if (fd < 0) {
			t->cls = WC_THREAD_TIMED;
			snprintf(t->why, sizeof(t->why), "its socket timeout cannot be read: %s", strerror(e));
			return;
		}
		if (fstat(fd, &sst) == 0 && !S_ISSOCK(sst.st_mode)) {
			close(fd);
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, t->timeo, &tv, &tl) < 0) {
			e = errno;
			close(fd);
			t->cls = WC_THREAD_TIMED;
			snprintf(t->why, sizeof(t->why), "its socket timeout cannot be read: %s", strerror(e));
			return;
		}
		close(fd);
		if (tv.tv_sec || tv.tv_usec) {
			t->cls = WC_THREAD_TIMED;
			snprintf(t->why, sizeof(t->why), "%s %ld.%03ld s", t->timeo == SO_RCVTIMEO ? "SO_RCVTIMEO" : "SO_SNDTIMEO",
				 (long)tv.tv_sec, (long)tv.tv_usec / 1000);
		}
	}
#else
	(void)pidfd;
	t->cls = WC_THREAD_TIMED;
	snprintf(t->why, sizeof(t->why), "its socket timeout cannot be read here");
#endif
}

/* The socket timeouts of the blocked threads, and every process's wakers. */
static void check_blocked(wc_idle_look *l, const pid_t *procs, int nprocs)
{
	for (int p = 0; p < nprocs; p++) {
		int pidfd = -1, opened = 0, any = 0;
		for (int i = 0; i < l->n; i++) {
			wc_idle_thread *t = &l->th[i];
			if (t->pid != procs[p] || t->cls == WC_THREAD_DEAD)
				continue;
			any = 1;
			if (t->cls != WC_THREAD_BLOCKED || t->fd < 0)
				continue;
			if (!opened) {
#ifdef SYS_pidfd_open
				pidfd = (int)syscall(SYS_pidfd_open, procs[p], 0);
#endif
				opened = 1;
			}
			check_fd(t, pidfd);
		}
		if (pidfd >= 0)
			close(pidfd);
		if (any)
			check_wakers(l, procs[p]);
	}
}

/* ---- the answer ---- */

void wc_idle_init(wc_idle *w, pid_t root, int skip_root)
{
	memset(w, 0, sizeof(*w));
	w->root = root;
	w->skip_root = skip_root;
}

void wc_idle_init_proc(wc_idle *w, const wc_proc *p)
{
	wc_idle_init(w, p->init, 1);
	w->proc = p;
}

void wc_idle_free(wc_idle *w)
{
	free(w->cur.th);
	free(w->prev.th);
	free(w->mark);
	memset(w, 0, sizeof(*w));
}

const char *wc_idle_state_str(wc_idle_state s)
{
	switch (s) {
	case WC_IDLE_GONE:
		return "gone";
	case WC_IDLE_BUSY:
		return "busy";
	case WC_IDLE_TIMED:
		return "timed";
	case WC_IDLE_BLOCKED:
		return "blocked";
	}
	return "?";
}

static const wc_idle_thread *find_tid(const wc_idle_look *l, pid_t tid);

int wc_idle_progressed(const wc_idle *w)
{
	if (w->looks < 2)
		return 0;
	if (w->cur.cpu_ns != w->prev.cpu_ns || w->cur.n != w->prev.n || w->cur.nproc != w->prev.nproc)
		return 1;
	for (int i = 0; i < w->cur.n; i++) {
		const wc_idle_thread *t = &w->cur.th[i], *o = find_tid(&w->prev, t->tid);
		if (!o || o->runs != t->runs)
			return 1;
	}
	return 0;
}

int64_t wc_idle_cpu_ms(const wc_idle *w)
{
	return (int64_t)(w->cur.cpu_ns / 1000000);
}

void wc_idle_mark(wc_idle *w)
{
	w->nmark = 0;
	if (w->cur.n > w->capmark) {
		struct wc_idle_mark *m = realloc(w->mark, (size_t)w->cur.n * sizeof(*m));
		if (!m)
			return; /* no mark: every thread counts all of its time, never less */
		w->mark = m;
		w->capmark = w->cur.n;
	}
	for (int i = 0; i < w->cur.n; i++) {
		w->mark[i].tid = w->cur.th[i].tid;
		w->mark[i].run_ns = w->cur.th[i].run_ns;
	}
	w->nmark = w->cur.n;
}

int64_t wc_idle_busiest_ms(const wc_idle *w)
{
	unsigned long long most = 0;

	for (int i = 0; i < w->cur.n; i++) {
		unsigned long long since = w->cur.th[i].run_ns;
		for (int k = 0; k < w->nmark; k++)
			if (w->mark[k].tid == w->cur.th[i].tid) {
				since = since > w->mark[k].run_ns ? since - w->mark[k].run_ns : 0;
				break;
			}
		if (since > most)
			most = since;
	}
	return (int64_t)(most / 1000000);
}

int wc_idle_working(const wc_idle *w, wc_idle_state st)
{
	int64_t gap = w->cur.at_ms - w->prev.at_ms;

	/* no process seen: not started yet (its namespace's init still making
	 * its mounts) or just ended (its status on its way): not done either way */
	if (st == WC_IDLE_BUSY || st == WC_IDLE_GONE)
		return 1;
	for (int i = 0; i < w->cur.n; i++)
		if (w->cur.th[i].state == 'D')
			return 1; /* waiting for the disk (a page, a file): it goes on by itself */
	if (w->looks < 2)
		return 0;
	if (w->cur.nproc != w->prev.nproc || w->cur.n != w->prev.n)
		return 1;
	return w->cur.cpu_ns > w->prev.cpu_ns &&
	       w->cur.cpu_ns - w->prev.cpu_ns >= (unsigned long long)(gap > 0 ? gap : 1) * 10000ULL;
}

static const wc_idle_thread *find_tid(const wc_idle_look *l, pid_t tid)
{
	for (int i = 0; i < l->n; i++)
		if (l->th[i].tid == tid)
			return &l->th[i];
	return NULL;
}

/* CPU spent since prev by the threads of cur (a new thread: all of its time). */
static unsigned long long cpu_since(const wc_idle_look *cur, const wc_idle_look *prev)
{
	unsigned long long sum = 0;

	for (int i = 0; i < cur->n; i++) {
		const wc_idle_thread *o = find_tid(prev, cur->th[i].tid);
		if (!o)
			sum += cur->th[i].run_ns;
		else if (cur->th[i].run_ns > o->run_ns)
			sum += cur->th[i].run_ns - o->run_ns;
	}
	return sum;
}

/* 1 if both looks saw the same live threads, in the same calls, none run in between. */
static int unchanged(const wc_idle_look *cur, const wc_idle_look *prev)
{
	int live_prev = 0, live_cur = 0;

	for (int i = 0; i < prev->n; i++)
		live_prev += prev->th[i].cls != WC_THREAD_DEAD;
	for (int i = 0; i < cur->n; i++) {
		const wc_idle_thread *t = &cur->th[i], *o;
		if (t->cls == WC_THREAD_DEAD)
			continue;
		live_cur++;
		o = find_tid(prev, t->tid);
		if (!o || o->cls != WC_THREAD_BLOCKED || o->nr != t->nr || memcmp(o->args, t->args, sizeof(t->args)) ||
		    o->run_ns != t->run_ns || o->runs != t->runs || o->state != t->state)
			return 0;
	}
	return live_cur == live_prev;
}

/* "recvfrom fd 3 (socket:[1]) (no timeout) x2, futex (no timeout)" into buf at *len */
static void list_threads(const wc_idle_look *l, char *buf, size_t n, size_t *len)
{
	int first = 1;
	char *done = calloc((size_t)l->n + 1, 1);

	for (int i = 0; i < l->n; i++) {
		const wc_idle_thread *t = &l->th[i];
		int count = 1;
		if (t->cls == WC_THREAD_DEAD || (done && done[i]))
			continue;
		for (int j = i + 1; done && j < l->n; j++) {
			const wc_idle_thread *u = &l->th[j];
			if (!done[j] && u->cls == t->cls && !strcmp(u->what, t->what) && !strcmp(u->why, t->why)) {
				done[j] = 1;
				count++;
			}
		}
		if (*len < n) {
			int w = snprintf(buf + *len, n - *len, "%s%s%s%s%s", first ? "" : ", ", t->what,
					 t->why[0] ? " (" : "", t->why, t->why[0] ? ")" : "");
			if (w > 0)
				*len += (size_t)w;
			if (count > 1 && *len < n && (w = snprintf(buf + *len, n - *len, " x%d", count)) > 0)
				*len += (size_t)w;
		}
		first = 0;
	}
	free(done);
	if (*len > n)
		*len = n;
}

/* Appends to buf[0..n) at *len, cut at n. */
__attribute__((format(printf, 4, 5))) static void put(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*len >= n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *len, n - *len, fmt, ap);
	va_end(ap);
	if (w > 0)
		*len = *len + (size_t)w < n ? *len + (size_t)w : n;
}

void wc_idle_read_as(int on, uid_t uid, gid_t gid)
{
	read_as_set = on;
	read_as_uid = uid;
	read_as_gid = gid;
}

static wc_idle_state idle_check(wc_idle *w, char *desc, size_t n);

wc_idle_state wc_idle_check(wc_idle *w, char *desc, size_t n)
{
	wc_idle_state st;
	long old_uid = -1, old_gid = -1;

	if (read_as_set) {
		/* the kernel lets the program's own uid read its /proc files
		 * (syscall, wchan, fd: a ptrace access check on the file system
		 * identity); this thread takes it for the look alone */
		old_gid = syscall(SYS_setfsgid, read_as_gid);
		old_uid = syscall(SYS_setfsuid, read_as_uid);
	}
	st = idle_check(w, desc, n);
	if (read_as_set) {
		syscall(SYS_setfsuid, old_uid);
		syscall(SYS_setfsgid, old_gid);
	}
	return st;
}

static wc_idle_state idle_check(wc_idle *w, char *desc, size_t n)
{
	wc_idle_look tmp = w->prev;
	wc_idle_look *l;
	pid_t *procs = NULL;
	int nprocs, running = 0, blocked = 0, live = 0, have_prev;
	unsigned long long spent = 0;
	int64_t gap = 0;
	char err[160] = "";
	char scratch[8];
	size_t len = 0;
	wc_idle_state ans;

	if (!desc || !n) {
		desc = scratch;
		n = sizeof(scratch);
	}
	/* the previous look becomes prev; its array is reused for this one */
	w->prev = w->cur;
	w->cur = tmp;
	l = &w->cur;
	l->n = 0;
	l->nproc = 0;
	l->cpu_ns = 0;
	l->note[0] = 0;
	l->note_timed = 0;
	l->at_ms = wc_now_ms();
	have_prev = w->looks > 0;
	w->looks++;

	if (w->proc && w->proc->init != w->root) {
		/* reaped: its pid may be another process's by now */
		w->busy_since_ms = 0;
		snprintf(desc, n, "no process left");
		return WC_IDLE_GONE;
	}
	nprocs = list_processes(w->root, w->skip_root, &procs, err, sizeof(err));
	if (nprocs < 0) {
		set_note(l, "%s", err);
		nprocs = 0;
	}
	for (int i = 0; i < nprocs; i++)
		look_process(l, procs[i]);
	for (int i = 0; i < l->n; i++) {
		const wc_idle_thread *t = &l->th[i];
		if (t->cls == WC_THREAD_DEAD)
			continue;
		live++;
		running += t->cls == WC_THREAD_RUNNING;
		blocked += t->cls == WC_THREAD_BLOCKED;
	}
	for (int i = 0; i < nprocs; i++) {
		for (int j = 0; j < l->n; j++) {
			if (l->th[j].pid == procs[i] && l->th[j].cls != WC_THREAD_DEAD) {
				l->nproc++;
				break;
			}
		}
	}
	if (have_prev) {
		spent = cpu_since(l, &w->prev);
		gap = l->at_ms - w->prev.at_ms;
	}
	if (live == 0 && !l->note_timed) {
		free(procs);
		w->busy_since_ms = 0;
		snprintf(desc, n, "no process left");
		return WC_IDLE_GONE;
	}
	if (blocked == live && !l->note_timed) {
		/* only now the costlier checks: socket timeouts, timers */
		check_blocked(l, procs, nprocs);
		blocked = 0;
		for (int i = 0; i < l->n; i++)
			blocked += l->th[i].cls == WC_THREAD_BLOCKED;
	}
	free(procs);

	/* busy: a thread on a CPU, or CPU spent over a tenth of the time between looks */
	if (running || (have_prev && spent / 1000000 * 10 > (unsigned long long)(gap > 0 ? gap : 0) &&
			spent >= 10000000ull)) {
		ans = WC_IDLE_BUSY;
		if (!w->busy_since_ms) {
			w->busy_since_ms = have_prev ? w->prev.at_ms : l->at_ms;
			w->busy_cpu_ns = 0;
		}
		w->busy_cpu_ns += spent;
		w->busy_ms = l->at_ms - w->busy_since_ms;
	} else {
		w->busy_since_ms = 0;
		w->busy_cpu_ns = 0;
		w->busy_ms = 0;
		ans = WC_IDLE_TIMED;
		if (blocked == live && !l->note_timed && have_prev) {
			if (unchanged(l, &w->prev))
				ans = WC_IDLE_BLOCKED;
			else
				snprintf(l->note, sizeof(l->note), "it ran since the last look");
		}
	}

	put(desc, n, &len, "%d thread%s in %d process%s: ", live, live == 1 ? "" : "s", l->nproc,
	    l->nproc == 1 ? "" : "es");
	list_threads(l, desc, n, &len);
	if (l->note[0])
		put(desc, n, &len, "; %s", l->note);
	if (!have_prev)
		put(desc, n, &len, "; first look");
	else if (ans == WC_IDLE_BUSY && w->busy_ms > 0)
		put(desc, n, &len, "; %llu ms of CPU in %lld ms (%llu%% of a CPU)", w->busy_cpu_ns / 1000000,
		    (long long)w->busy_ms, w->busy_cpu_ns / 10000 / (unsigned long long)w->busy_ms);
	else
		put(desc, n, &len, "; %llu ms of CPU since the last look", spent / 1000000);
	return ans;
}
