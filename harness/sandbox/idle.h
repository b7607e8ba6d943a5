/* idle.h - is the program under test provably idle? its threads' system calls, timers and CPU, read from /proc */
#ifndef WC_IDLE_H
#define WC_IDLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox/proc.h"

/* The answer about the whole program (every process and thread of it). */
typedef enum wc_idle_state {
	WC_IDLE_GONE = 0, /* no process of it is left (zombies do not count) */
	WC_IDLE_BUSY,     /* a thread is on a CPU (or ready to run), or the CPU time spent since
			     the last look is over a tenth of the time between the looks */
	WC_IDLE_TIMED,    /* asleep, but something will wake it by itself (a timeout, a
			     timer, a call not known to block for good) or the module
			     could not tell (not readable): wait on */
	WC_IDLE_BLOCKED   /* proven, over two looks: every thread asleep in a call with
			     no timeout of its own, nothing ran in between, no timer armed */
} wc_idle_state;

/* One thread, as one look saw it. */
typedef enum wc_idle_class {
	WC_THREAD_BLOCKED = 0, /* asleep in a call with no timeout */
	WC_THREAD_TIMED,       /* asleep in a call that ends by itself, or unknown */
	WC_THREAD_RUNNING,     /* on a CPU or ready to run */
	WC_THREAD_DEAD         /* a zombie: counts for nothing */
} wc_idle_class;

typedef struct wc_idle_thread {
	pid_t pid, tid;         /* as the harness sees them */
	char comm[17];
	char state;             /* /proc stat's state letter: R S D T t Z X I ... */
	long nr;                /* system call number; -1: asleep outside a system call;
				   -2: running; -3: not readable */
	unsigned long long args[6];
	unsigned long long run_ns; /* CPU time (schedstat; else stat's ticks) */
	unsigned long long runs;   /* times it was put on a CPU (schedstat; else context switches) */
	wc_idle_class cls;
	int fd;                 /* the descriptor the call waits on, or -1 */
	int timeo;              /* 0, or SO_RCVTIMEO / SO_SNDTIMEO: the socket option that
				   would give that call a timeout if fd is a socket */
	char what[96];          /* "recvfrom fd 3 (socket:[4711])", "clock_nanosleep" */
	char why[64];           /* "no timeout", "timeout 30000 ms", "SO_RCVTIMEO 5.000 s", ... */
} wc_idle_thread;

typedef struct wc_idle_look {
	wc_idle_thread *th;
	int n, cap;
	int nproc;              /* processes that are not zombies */
	int64_t at_ms;          /* wc_now_ms() of the look */
	unsigned long long cpu_ns; /* sum over the threads seen */
	char note[160];         /* a reason that holds for the whole program ("SIGALRM is
				   caught: an alarm may be pending", "cannot read ...") */
	int note_timed;         /* that note alone makes the answer TIMED */
} wc_idle_look;

typedef struct wc_idle {
	pid_t root;             /* the program's ancestor */
	int skip_root;          /* root is the namespace's init (the harness's reaper): not judged */
	const wc_proc *proc;    /* with wc_idle_init_proc: once its init is reaped (pid free for
				   reuse), the answer is GONE without a look */
	wc_idle_look cur, prev; /* the last two looks */
	int looks;              /* how many were taken */
	int64_t busy_since_ms;  /* start of the current run of BUSY answers (0: none) */
	unsigned long long busy_cpu_ns; /* CPU spent during that run */
	int64_t busy_ms;        /* wall time of that run, up to the last look */
	struct wc_idle_mark {   /* wc_idle_mark: each thread's CPU time at a look */
		pid_t tid;
		unsigned long long run_ns;
	} *mark;
	int nmark, capmark;
} wc_idle;

/*
 * Watches root and every process descended from it (forked children, daemons:
 * everything in a PID namespace descends from its init). skip_root: root itself
 * is not judged (a namespace's init). Nothing is read yet. Free with wc_idle_free.
 */
void wc_idle_init(wc_idle *w, pid_t root, int skip_root);
/* Watches the program p runs: the processes of its PID namespace but its init.
 * p must outlive w (its init pid is checked at every look). */
void wc_idle_init_proc(wc_idle *w, const wc_proc *p);
/* Releases what the looks allocated; w may be initialised again. */
void wc_idle_free(wc_idle *w);

/*
 * Takes a look at every thread and answers for the whole program. BLOCKED is only
 * answered when this look and the one before both found every thread blocked with
 * no timeout, the same threads in the same calls with the same arguments, none of
 * them put on a CPU in between (schedstat's run count; CPU time unchanged), and no
 * process with an armed timer (timerfd, POSIX timer) or a SIGALRM handler; the
 * first look never answers BLOCKED, so call it again (some 10 to 100 ms later).
 * A thread that cannot be read makes the answer TIMED, never BLOCKED.
 * desc (may be NULL) gets one line for a verdict, cut to n:
 *   "1 thread in 1 process: recvfrom fd 4 (socket:[1804888]) (no timeout); 0 ms of CPU since the last look"
 *   "2 threads in 2 processes: wait4 (no timeout), running; 1900 ms of CPU in 1900 ms (100% of a CPU)"
 *   "1 thread in 1 process: recvfrom fd 3 (socket:[4711]) (no timeout); SIGALRM is caught by
 *    process 812: an alarm may be pending; 0 ms of CPU since the last look"
 * and w->busy_ms, w->busy_cpu_ns hold the current run of BUSY answers.
 * Never fails: what cannot be read is said in desc.
 */
wc_idle_state wc_idle_check(wc_idle *w, char *desc, size_t n);
/* Host mode (issue 19): no CAP_SYS_PTRACE in a container, so the files a look
 * reads of a program running as another uid (its system calls, its
 * descriptors) are read with that uid as this thread's file system identity
 * (setfsuid, setfsgid) during wc_idle_check, and a socket's timeout is read
 * through pidfd_getfd with that uid as the thread's real and effective one
 * for that call; on = 0: as the caller. */
void wc_idle_read_as(int on, uid_t uid, gid_t gid);

/* "gone", "busy", "timed", "blocked" */
const char *wc_idle_state_str(wc_idle_state s);

/*
 * Classifies one thread from its state letter and /proc/PID/task/TID/syscall's
 * number and arguments (nr: -1 asleep outside a call, -2 running, -3 unreadable).
 * Pure: sockets' own timeouts (SO_RCVTIMEO) and timers are wc_idle_check's.
 * Sets t->cls, t->what (the call's name and the descriptor it waits on, without
 * the descriptor's target) and t->why. Returns t->cls.
 */
wc_idle_class wc_idle_classify(wc_idle_thread *t);

/* Did the program make any progress between the last two looks: CPU time
 * spent, a thread put on a CPU, a thread or process that came or went? 0
 * before the second look. A slow program on a loaded machine (a few ms of CPU
 * in each look's interval, under BUSY's tenth) has progressed; a blocked or
 * sleeping one has not. */
int wc_idle_progressed(const wc_idle *w);
/* The CPU time of the program (every thread of every process seen at the last
 * look), in milliseconds; 0 before the first look. */
int64_t wc_idle_cpu_ms(const wc_idle *w);

/* Did the program work between the last two looks, st being the last answer:
 * a thread on a CPU or ready to run, or over a tenth of a CPU (BUSY), a thread
 * waiting for the disk, a process or thread come or gone, or at least 1% of a
 * CPU? No process at all (GONE) counts as working too: the program is not
 * started yet (its init still making the sandbox's mounts) or its end is on
 * its way to the caller, who sees it then. A Java VM's timer threads
 * wake every few milliseconds but spend far less; a program that starts,
 * computes or is slowed down by a loaded machine is on a CPU or ready to run.
 * A wait whose time is up goes on while the program works, until it has spent
 * WC_IDLE_SPIN_CPU_MS of CPU time (or the wait's own time, if longer): a CPU
 * budget, not a wall-clock one, so that a loaded machine, which only slows
 * the program down, gives the same verdict as an idle one. */
int wc_idle_working(const wc_idle *w, wc_idle_state st);
/* Marks the last look as where CPU time is counted from, thread by thread. */
void wc_idle_mark(wc_idle *w);
/* The most CPU time one thread of the program has spent since the mark (a
 * thread born since: all of its own), in ms. A busy loop is one thread that
 * keeps a CPU busy; a fork bomb's hundreds of processes each get a sliver,
 * and do not make its starved server a spinner. */
int64_t wc_idle_busiest_ms(const wc_idle *w);
#define WC_IDLE_SPIN_CPU_MS 6000
/* Looks in a row that must find a program not working before a wait whose
 * time is up ends on it (a program stalled for a moment on a loaded machine
 * is not taken for one that is done). */
#define WC_IDLE_CALM_LOOKS 3

#endif
