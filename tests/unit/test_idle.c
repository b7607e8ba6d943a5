/* test_idle.c - real programs blocked, sleeping, spinning, forked, threaded, stopped and gone, as /proc shows them */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "sandbox/idle.h"

/* Generous: the machine may be loaded; a test that passes never waits this long. */
#define DEADLINE_MS 30000

struct child {
	pid_t pid;
	char line[256]; /* what it printed when ready */
};

/* Every child a test started, killed by the teardown even when the test failed
 * (a child left behind would hold the runner's output open). */
static pid_t spawned[8];
static int nspawned;

static void remember(pid_t pid)
{
	if (nspawned < (int)(sizeof(spawned) / sizeof(spawned[0])))
		spawned[nspawned++] = pid;
}

static int kill_children(void **state)
{
	(void)state;
	for (int i = 0; i < nspawned; i++) {
		kill(-spawned[i], SIGKILL);
		kill(spawned[i], SIGKILL);
		waitpid(spawned[i], NULL, 0);
	}
	nspawned = 0;
	return 0;
}

/* Waits for one line from fd (the child's "ready" handshake). */
static void read_line(int fd, char *line, size_t n)
{
	size_t len = 0;
	int64_t until = wc_now_ms() + DEADLINE_MS;

	while (len + 1 < n) {
		struct pollfd p = {fd, POLLIN, 0};
		char c;
		int64_t left = until - wc_now_ms();
		if (left <= 0)
			fail_msg("the child never said it was ready");
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if (read(fd, &c, 1) != 1)
			fail_msg("the child ended before it was ready");
		if (c == '\n')
			break;
		line[len++] = c;
	}
	line[len] = 0;
}

/* python3 -c code, in a process group of its own; waits for its first line. */
static void spawn_py(struct child *c, const char *code)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		setpgid(0, 0);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", "-c", code, (char *)NULL);
		_exit(127);
	}
	remember(c->pid);
	close(fds[1]);
	read_line(fds[0], c->line, sizeof(c->line));
	close(fds[0]);
}

/* fn in a forked copy of this test (no exec), in a group of its own; fn prints its line. */
static void spawn_fn(struct child *c, void (*fn)(int out))
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		setpgid(0, 0);
		close(fds[0]);
		fn(fds[1]);
		_exit(0);
	}
	remember(c->pid);
	close(fds[1]);
	read_line(fds[0], c->line, sizeof(c->line));
	close(fds[0]);
}

static void reap(struct child *c)
{
	kill(-c->pid, SIGKILL);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
}

/*
 * Looks every 20 ms until the answer is want (for BLOCKED: as the module demands,
 * over two looks), up to the deadline; fails with the last description otherwise.
 * For answers other than BLOCKED, want must come twice in a row, and BLOCKED must
 * never come on the way.
 */
static void reach(wc_idle *w, wc_idle_state want, char *desc, size_t n)
{
	int64_t until = wc_now_ms() + DEADLINE_MS;
	int in_a_row = 0;
	wc_idle_state s = WC_IDLE_GONE;

	while (wc_now_ms() < until) {
		s = wc_idle_check(w, desc, n);
		if (s == WC_IDLE_BLOCKED && want != WC_IDLE_BLOCKED)
			fail_msg("claimed blocked, wanted %s: %s", wc_idle_state_str(want), desc);
		in_a_row = s == want ? in_a_row + 1 : 0;
		if (in_a_row >= (want == WC_IDLE_BLOCKED ? 1 : 2)) {
			if (getenv("WC_TEST_VERBOSE"))
				fprintf(stderr, "  %s after %lld ms: %s\n", wc_idle_state_str(s),
					(long long)(wc_now_ms() - (until - DEADLINE_MS)), desc);
			return;
		}
		usleep(20000);
	}
	fail_msg("wanted %s, still %s: %s", wc_idle_state_str(want), wc_idle_state_str(s), desc);
}

/* Looks k more times, 20 ms apart: the answer must stay s. */
static void stays(wc_idle *w, wc_idle_state s, int k, char *desc, size_t n)
{
	for (int i = 0; i < k; i++) {
		wc_idle_state got;
		usleep(20000);
		got = wc_idle_check(w, desc, n);
		if (got != s)
			fail_msg("wanted %s to stay, got %s: %s", wc_idle_state_str(s), wc_idle_state_str(got), desc);
	}
}

static void assert_has(const char *desc, const char *part)
{
	if (!strstr(desc, part))
		fail_msg("'%s' not in '%s'", part, desc);
}

/* ---- the classification, call by call (x86_64 numbers via SYS_ names) ---- */

static wc_idle_class cls(char state, long nr, unsigned long long a0, unsigned long long a1, unsigned long long a2,
			 unsigned long long a3, unsigned long long a4)
{
	wc_idle_thread t;

	memset(&t, 0, sizeof(t));
	t.state = state;
	t.nr = nr;
	t.args[0] = a0;
	t.args[1] = a1;
	t.args[2] = a2;
	t.args[3] = a3;
	t.args[4] = a4;
	return wc_idle_classify(&t);
}

static void test_classify(void **state)
{
	wc_idle_thread t;
	(void)state;

	/* the state letter first */
	assert_int_equal(cls('R', -2, 0, 0, 0, 0, 0), WC_THREAD_RUNNING);
	assert_int_equal(cls('S', -2, 0, 0, 0, 0, 0), WC_THREAD_RUNNING);
	assert_int_equal(cls('Z', -1, 0, 0, 0, 0, 0), WC_THREAD_DEAD);
	assert_int_equal(cls('D', SYS_read, 3, 0, 0, 0, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('T', -1, 0, 0, 0, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', -1, 0, 0, 0, 0, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', -3, 0, 0, 0, 0, 0), WC_THREAD_TIMED);
	/* calls that wait for good */
	assert_int_equal(cls('S', SYS_recvfrom, 3, 0, 0, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_accept4, 3, 0, 0, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_wait4, (unsigned long long)-1, 0, 0, 0, 0), WC_THREAD_BLOCKED);
	/* poll(fds, 1, -1) and poll(fds, 1, 5000) */
	assert_int_equal(cls('S', SYS_poll, 0x7ffe0000, 1, 0xffffffff, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_poll, 0x7ffe0000, 1, 5000, 0, 0), WC_THREAD_TIMED);
	/* ppoll, pselect6, select: a NULL timeout pointer waits for good */
	assert_int_equal(cls('S', SYS_ppoll, 0x7ffe0000, 1, 0, 0, 8), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_ppoll, 0x7ffe0000, 1, 0x7ffe1000, 0, 8), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_pselect6, 4, 0x7ffe0000, 0, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_pselect6, 4, 0x7ffe0000, 0, 0, 0x7ffe1000), WC_THREAD_TIMED);
#ifdef SYS_select
	assert_int_equal(cls('S', SYS_select, 4, 0x7ffe0000, 0, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_select, 4, 0x7ffe0000, 0, 0, 0x7ffe1000), WC_THREAD_TIMED);
#endif
	/* epoll_wait(ep, ev, 8, -1) and (..., 0) */
#ifdef SYS_epoll_wait
	assert_int_equal(cls('S', SYS_epoll_wait, 5, 0x7ffe0000, 8, 0xffffffff, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_epoll_wait, 5, 0x7ffe0000, 8, 0, 0), WC_THREAD_TIMED);
#endif
	assert_int_equal(cls('S', SYS_epoll_pwait, 5, 0x7ffe0000, 8, 0xffffffff, 0), WC_THREAD_BLOCKED);
	/* futex(addr, FUTEX_WAIT_PRIVATE=128, v, NULL), with a timeout, FUTEX_WAIT_BITSET|PRIVATE=137, FUTEX_WAKE=1 */
	assert_int_equal(cls('S', SYS_futex, 0x7f0000, 128, 2, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_futex, 0x7f0000, 128, 2, 0x7ffe1000, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_futex, 0x7f0000, 137, 2, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_futex, 0x7f0000, 393, 2, 0x7ffe1000, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_futex, 0x7f0000, 1, 1, 0, 0), WC_THREAD_TIMED);
	/* sleeps and connect end by themselves */
	assert_int_equal(cls('S', SYS_clock_nanosleep, 1, 1, 0x7ffe0000, 0, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_nanosleep, 0x7ffe0000, 0, 0, 0, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_connect, 3, 0x7ffe0000, 16, 0, 0), WC_THREAD_TIMED);
	/* rt_sigtimedwait(set, info, NULL) waits for good; fcntl F_SETLKW (7) does, F_GETFL (3) not */
	assert_int_equal(cls('S', SYS_rt_sigtimedwait, 0x7ffe0000, 0, 0, 8, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_fcntl, 3, F_SETLKW, 0x7ffe0000, 0, 0), WC_THREAD_BLOCKED);
	assert_int_equal(cls('S', SYS_fcntl, 3, F_GETFL, 0, 0, 0), WC_THREAD_TIMED);
	/* a call the table does not know: never idle on a guess */
	assert_int_equal(cls('S', 99999, 0, 0, 0, 0, 0), WC_THREAD_TIMED);
	assert_int_equal(cls('S', SYS_getpid, 0, 0, 0, 0, 0), WC_THREAD_TIMED);

	/* what and why, and the descriptor a socket call waits on */
	memset(&t, 0, sizeof(t));
	t.state = 'S';
	t.nr = SYS_recvfrom;
	t.args[0] = 7;
	assert_int_equal(wc_idle_classify(&t), WC_THREAD_BLOCKED);
	assert_int_equal(t.fd, 7);
	assert_int_equal(t.timeo, SO_RCVTIMEO);
	assert_string_equal(t.what, "recvfrom fd 7");
	assert_string_equal(t.why, "no timeout");
	t.nr = SYS_sendto;
	wc_idle_classify(&t);
	assert_int_equal(t.timeo, SO_SNDTIMEO);
	t.nr = SYS_poll;
	t.args[2] = 30000;
	assert_int_equal(wc_idle_classify(&t), WC_THREAD_TIMED);
	assert_int_equal(t.fd, -1);
	assert_string_equal(t.why, "timeout 30000 ms");
}

/* ---- real programs ---- */

static const char py_udp_recv[] = "import socket\n"
				  "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
				  "s.bind(('127.0.0.1', 0))\n"
				  "print(s.getsockname()[1], flush=True)\n"
				  "s.recvfrom(100)\n";

/* (a) recvfrom on a UDP socket, no timeout: blocked; (g) a datagram ends it: gone */
static void test_udp_recvfrom_blocked_then_gone(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	struct sockaddr_in to;
	int s;
	(void)state;

	spawn_py(&c, py_udp_recv);
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "1 thread in 1 process: recvfrom fd ");
	assert_has(desc, " (socket:[");
	assert_has(desc, "(no timeout)");
	assert_has(desc, "0 ms of CPU since the last look");
	stays(&w, WC_IDLE_BLOCKED, 3, desc, sizeof(desc));

	/* the event: a datagram; the program reads it and ends (a zombie until reaped) */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)atoi(c.line));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	close(s);
	reach(&w, WC_IDLE_GONE, desc, sizeof(desc));
	assert_string_equal(desc, "no process left");
	waitpid(c.pid, NULL, 0);
	assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_GONE);
	wc_idle_free(&w);
}

/* The call a thread of pid is in, from /proc (state 'S' and that number, or -1). */
static long in_call(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	long nr = -1;
	char state = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r"))) {
		if (fgets(buf, sizeof(buf), f) && strrchr(buf, ')'))
			state = strrchr(buf, ')')[2];
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	if (state == 'S' && (f = fopen(path, "r"))) {
		if (!fgets(buf, sizeof(buf), f) || sscanf(buf, "%ld", &nr) != 1)
			nr = -1;
		fclose(f);
	}
	return nr;
}

/* Two looks must agree: the first never says blocked, and a program that ran
 * between two looks (woke, answered, went back to the same recvfrom) is not
 * blocked on the second */
static void test_two_looks(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512], b[8];
	struct sockaddr_in to;
	struct pollfd p;
	int s;
	int64_t until;
	(void)state;

	spawn_py(&c, "import socket\n"
		     "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "s.bind(('127.0.0.1', 0))\n"
		     "print(s.getsockname()[1], flush=True)\n"
		     "while True:\n"
		     "    d, a = s.recvfrom(100)\n"
		     "    s.sendto(d, a)\n");
	until = wc_now_ms() + DEADLINE_MS;
	while (in_call(c.pid) != SYS_recvfrom && wc_now_ms() < until)
		usleep(10000);
	assert_int_equal(in_call(c.pid), SYS_recvfrom);
	wc_idle_init(&w, c.pid, 0);
	assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_TIMED);
	assert_has(desc, "recvfrom fd ");
	assert_has(desc, " (socket:[");
	assert_has(desc, "; first look");
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));

	/* an echo between two looks, then back in recvfrom with the same arguments */
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)atoi(c.line));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(sendto(s, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
	p.fd = s;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, DEADLINE_MS), 1);
	assert_int_equal(recv(s, b, sizeof(b), 0), 1);
	close(s);
	until = wc_now_ms() + DEADLINE_MS;
	while (in_call(c.pid) != SYS_recvfrom && wc_now_ms() < until)
		usleep(1000);
	assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_TIMED);
	assert_has(desc, "it ran since the last look");
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* A harness that may not read the program's system calls (another uid, no
 * capability: what a rootless harness would meet with a program under a
 * subordinate uid) never claims blocked, and says why */
static void just_pause(int out);

static void test_unreadable_never_blocked(void **state)
{
	struct child c;
	pid_t checker;
	int st;
	(void)state;

	if (geteuid() != 0)
		skip();
	spawn_fn(&c, just_pause);
	checker = fork();
	assert_true(checker >= 0);
	if (checker == 0) {
		wc_idle w;
		char desc[512];
		int ok = 1;
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		wc_idle_init(&w, c.pid, 0);
		for (int i = 0; i < 5 && ok; i++) {
			wc_idle_state got = wc_idle_check(&w, desc, sizeof(desc));
			ok = got == WC_IDLE_TIMED && strstr(desc, "pause") == NULL &&
			     strstr(desc, "unreadable (its system call cannot be read)") != NULL;
			usleep(20000);
		}
		if (!ok)
			fprintf(stderr, "as nobody: %s\n", desc);
		_exit(ok ? 0 : 1);
	}
	assert_int_equal(waitpid(checker, &st, 0), checker);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	reap(&c);
}

/* (b) time.sleep(30): asleep with a timeout */
static void test_sleep_timed(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import time\nprint('ready', flush=True)\ntime.sleep(30)\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_TIMED, desc, sizeof(desc));
	assert_has(desc, "nanosleep (ends by itself)");
	stays(&w, WC_IDLE_TIMED, 3, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* (c) settimeout(30) then recv: Python polls with a timeout */
static void test_settimeout_timed(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import socket\n"
		     "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "s.bind(('127.0.0.1', 0))\n"
		     "s.settimeout(30)\n"
		     "print('ready', flush=True)\n"
		     "s.recv(100)\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_TIMED, desc, sizeof(desc));
	assert_has(desc, "poll (timeout 30000 ms)");
	stays(&w, WC_IDLE_TIMED, 3, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* (c') SO_RCVTIMEO: recvfrom looks like a wait for good, the socket says otherwise */
static void test_so_rcvtimeo_timed(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import socket, struct\n"
		     "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "s.bind(('127.0.0.1', 0))\n"
		     "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack('ll', 30, 0))\n"
		     "print('ready', flush=True)\n"
		     "s.recvfrom(100)\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_TIMED, desc, sizeof(desc));
	assert_has(desc, "recvfrom fd ");
	assert_has(desc, " (socket:[");
	assert_has(desc, "(SO_RCVTIMEO 30.000 s)");
	stays(&w, WC_IDLE_TIMED, 3, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* A SIGALRM handler: an alarm() may be pending, which /proc cannot show */
static void test_sigalrm_handler_timed(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import socket, signal\n"
		     "signal.signal(signal.SIGALRM, lambda *a: None)\n"
		     "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "s.bind(('127.0.0.1', 0))\n"
		     "print('ready', flush=True)\n"
		     "s.recvfrom(100)\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_TIMED, desc, sizeof(desc));
	assert_has(desc, "recvfrom fd ");
	assert_has(desc, " (socket:[");
	assert_has(desc, "SIGALRM is caught");
	stays(&w, WC_IDLE_TIMED, 3, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* An armed timerfd beside a read that waits for good: it may wake an epoll, so timed */
static void timerfd_then_read(int out)
{
	int p[2], tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = {{0, 0}, {30, 0}};
	char b;

	if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0 || pipe(p) < 0)
		_exit(1);
	if (write(out, "ready\n", 6) != 6)
		_exit(1);
	if (read(p[0], &b, 1) < 0)
		_exit(1);
}

static void test_timerfd_timed(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_fn(&c, timerfd_then_read);
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_TIMED, desc, sizeof(desc));
	assert_has(desc, "read fd ");
	assert_has(desc, "(pipe:[");
	assert_has(desc, "armed timerfd");
	stays(&w, WC_IDLE_TIMED, 3, desc, sizeof(desc));
	reap(&c);
	wc_idle_free(&w);
}

/* pause(), then SIGSTOP: both wait for someone else */
static void just_pause(int out)
{
	if (write(out, "ready\n", 6) != 6)
		_exit(1);
	for (;;)
		pause();
}

static void test_pause_and_stopped_blocked(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_fn(&c, just_pause);
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "pause (no timeout)");
	kill(c.pid, SIGSTOP);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "stopped (no timeout)");
	reap(&c);
	wc_idle_free(&w);
}

/* (d) a busy loop: busy, and the share of a CPU it takes is named */
static void test_spin_busy(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	int64_t start;
	(void)state;

	spawn_py(&c, "print('ready', flush=True)\nwhile True: pass\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BUSY, desc, sizeof(desc));
	start = wc_now_ms();
	/* let it run 300 ms more, looking all the while */
	while (wc_now_ms() - start < 300) {
		usleep(50000);
		assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_BUSY);
	}
	assert_has(desc, "1 thread in 1 process: running");
	assert_has(desc, "% of a CPU)");
	assert_true(w.busy_ms >= 300);
	/* two cores shared with others: at least a tenth of one */
	assert_true(w.busy_cpu_ns / 1000000 * 10 >= (unsigned long long)w.busy_ms);
	assert_true(wc_idle_cpu_ms(&w) > 0);
	reap(&c);
	wc_idle_free(&w);
}

/* (e) threads: main in accept, worker in recv: blocked, both counted */
static void test_threads_blocked(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import socket, threading\n"
		     "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "u.bind(('127.0.0.1', 0))\n"
		     "t = threading.Thread(target=lambda: u.recv(100), daemon=True)\n"
		     "t.start()\n"
		     "l = socket.socket()\n"
		     "l.bind(('127.0.0.1', 0))\n"
		     "l.listen()\n"
		     "print('ready', flush=True)\n"
		     "l.accept()\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "2 threads in 1 process: ");
	assert_has(desc, "accept4 fd ");
	assert_has(desc, "recvfrom fd ");
	assert_has(desc, " (socket:[");
	reap(&c);
	wc_idle_free(&w);
}

/* (e') one thread spinning while main waits in accept: busy */
static void test_threads_one_spinning_busy(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import socket, threading\n"
		     "def spin():\n"
		     "    while True: pass\n"
		     "threading.Thread(target=spin, daemon=True).start()\n"
		     "l = socket.socket()\n"
		     "l.bind(('127.0.0.1', 0))\n"
		     "l.listen()\n"
		     "print('ready', flush=True)\n"
		     "l.accept()\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BUSY, desc, sizeof(desc));
	stays(&w, WC_IDLE_BUSY, 5, desc, sizeof(desc));
	assert_has(desc, "2 threads in 1 process: ");
	reap(&c);
	wc_idle_free(&w);
}

/* (f) a forked child blocked in recv, its parent in wait: blocked, both counted */
static void test_forked_child_blocked(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import os, socket\n"
		     "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
		     "u.bind(('127.0.0.1', 0))\n"
		     "if os.fork() == 0:\n"
		     "    u.recv(100)\n"
		     "    os._exit(0)\n"
		     "print('ready', flush=True)\n"
		     "os.wait()\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "2 threads in 2 processes: ");
	assert_has(desc, "wait4 (no timeout)");
	assert_has(desc, "recvfrom fd ");
	assert_has(desc, " (socket:[");
	reap(&c);
	wc_idle_free(&w);
}

/* ... and the same child spinning instead: busy, though the parent waits for good */
static void test_forked_child_spinning_busy(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	(void)state;

	spawn_py(&c, "import os\n"
		     "if os.fork() == 0:\n"
		     "    while True: pass\n"
		     "print('ready', flush=True)\n"
		     "os.wait()\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_BUSY, desc, sizeof(desc));
	stays(&w, WC_IDLE_BUSY, 3, desc, sizeof(desc));
	assert_has(desc, "2 threads in 2 processes: ");
	reap(&c);
	wc_idle_free(&w);
}

/* (g) a program that ended (a zombie, then reaped) and a pid that never was */
static void test_exited_gone(void **state)
{
	struct child c;
	wc_idle w;
	char desc[512];
	int st;
	(void)state;

	spawn_py(&c, "print('ready', flush=True)\n");
	wc_idle_init(&w, c.pid, 0);
	reach(&w, WC_IDLE_GONE, desc, sizeof(desc));
	assert_int_equal(waitpid(c.pid, &st, 0), c.pid);
	assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_GONE);
	wc_idle_free(&w);

	wc_idle_init(&w, (pid_t)0x3ffffff0, 0); /* above pid_max */
	assert_int_equal(wc_idle_check(&w, desc, sizeof(desc)), WC_IDLE_GONE);
	wc_idle_free(&w);
}

/* Through wc_proc: a PID namespace whose init is not judged */
static void test_proc_namespace_blocked(void **state)
{
	wc_proc_spec spec;
	wc_proc p;
	wc_idle w;
	char err[256], desc[512];
	char *argv[] = {"/usr/bin/python3", "-c", (char *)py_udp_recv, NULL};
	int64_t until;
	(void)state;

	memset(&spec, 0, sizeof(spec));
	spec.argv = argv;
	spec.out_max = 4096;
	spec.sync_fd = spec.sync_other = -1;
	if (wc_proc_start(&spec, &p, err, sizeof(err)) < 0) {
		wc_proc_free(&p);
		if (geteuid() != 0)
			skip();
		fail_msg("wc_proc_start: %s", err);
	}
	until = wc_now_ms() + DEADLINE_MS;
	while (!(p.out.len && memchr(p.out.p, '\n', p.out.len)) && wc_now_ms() < until && !p.exited)
		wc_proc_wait(&p, 100);
	assert_true(p.out.len && memchr(p.out.p, '\n', p.out.len));
	wc_idle_init_proc(&w, &p);
	reach(&w, WC_IDLE_BLOCKED, desc, sizeof(desc));
	assert_has(desc, "1 thread in 1 process: recvfrom fd ");
	assert_has(desc, " (socket:[");
	wc_proc_stop(&p, 1000);
	reach(&w, WC_IDLE_GONE, desc, sizeof(desc));
	wc_proc_free(&p);
	wc_idle_free(&w);
}

/* wc_idle_working, on looks made by hand: what keeps a wait whose time is up going. */
static void test_working(void **state)
{
	wc_idle w;
	wc_idle_thread a = {.tid = 10, .state = 'S', .cls = WC_THREAD_BLOCKED, .run_ns = 5000000, .runs = 7};
	wc_idle_thread b = a;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.cur.th = &a;
	w.prev.th = &b;
	w.cur.n = w.prev.n = 1;
	w.cur.nproc = w.prev.nproc = 1;
	w.prev.at_ms = 1000;
	w.cur.at_ms = 1050;
	w.looks = 2;
	/* asleep, nothing spent in 50 ms: not working */
	assert_false(wc_idle_working(&w, WC_IDLE_TIMED));
	assert_false(wc_idle_working(&w, WC_IDLE_BLOCKED));
	/* on a CPU or over a tenth of one; no process at all (starting, or ended) */
	assert_true(wc_idle_working(&w, WC_IDLE_BUSY));
	assert_true(wc_idle_working(&w, WC_IDLE_GONE));
	/* 0.4 ms of CPU in 50 ms is under 1%: a VM's timer threads; 0.5 ms is 1% */
	w.cur.cpu_ns = w.prev.cpu_ns + 400000;
	assert_false(wc_idle_working(&w, WC_IDLE_TIMED));
	w.cur.cpu_ns = w.prev.cpu_ns + 500000;
	assert_true(wc_idle_working(&w, WC_IDLE_TIMED));
	w.cur.cpu_ns = w.prev.cpu_ns;
	/* a thread waiting for the disk */
	a.state = 'D';
	assert_true(wc_idle_working(&w, WC_IDLE_TIMED));
	a.state = 'S';
	/* a process come or gone */
	w.cur.nproc = 2;
	assert_true(wc_idle_working(&w, WC_IDLE_TIMED));
	w.cur.nproc = 1;
	/* a first look only takes the measure */
	w.looks = 1;
	assert_false(wc_idle_working(&w, WC_IDLE_TIMED));
}

/* wc_idle_busiest_ms: the one thread that spent the most CPU since the mark */
static void test_busiest(void **state)
{
	wc_idle w;
	wc_idle_thread th[3] = {{.tid = 1, .run_ns = 1000000000ULL}, {.tid = 2, .run_ns = 500000000ULL},
				{.tid = 3, .run_ns = 0}};

	(void)state;
	memset(&w, 0, sizeof(w));
	w.cur.th = th;
	w.cur.n = 2;
	wc_idle_mark(&w);
	assert_int_equal(wc_idle_busiest_ms(&w), 0);
	th[0].run_ns += 300000000ULL; /* 300 ms more */
	th[1].run_ns += 700000000ULL; /* 700 ms more: the busiest */
	assert_int_equal(wc_idle_busiest_ms(&w), 700);
	/* a thread born since the mark counts all of its time */
	th[2].run_ns = 900000000ULL;
	w.cur.n = 3;
	assert_int_equal(wc_idle_busiest_ms(&w), 900);
	w.cur.th = NULL;
	w.cur.n = 0;
	free(w.mark);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_working),
		cmocka_unit_test(test_busiest),
		cmocka_unit_test_teardown(test_udp_recvfrom_blocked_then_gone, kill_children),
		cmocka_unit_test_teardown(test_two_looks, kill_children),
		cmocka_unit_test_teardown(test_sleep_timed, kill_children),
		cmocka_unit_test_teardown(test_settimeout_timed, kill_children),
		cmocka_unit_test_teardown(test_so_rcvtimeo_timed, kill_children),
		cmocka_unit_test_teardown(test_sigalrm_handler_timed, kill_children),
		cmocka_unit_test_teardown(test_timerfd_timed, kill_children),
		cmocka_unit_test_teardown(test_pause_and_stopped_blocked, kill_children),
		cmocka_unit_test_teardown(test_spin_busy, kill_children),
		cmocka_unit_test_teardown(test_threads_blocked, kill_children),
		cmocka_unit_test_teardown(test_threads_one_spinning_busy, kill_children),
		cmocka_unit_test_teardown(test_forked_child_blocked, kill_children),
		cmocka_unit_test_teardown(test_forked_child_spinning_busy, kill_children),
		cmocka_unit_test_teardown(test_exited_gone, kill_children),
		cmocka_unit_test_teardown(test_unreadable_never_blocked, kill_children),
		cmocka_unit_test_teardown(test_proc_namespace_blocked, kill_children),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
