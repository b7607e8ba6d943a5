/* server.c - what every reference server does to start and to stop: signals, the "listening on" line, the last lines */
#include "server.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

volatile sig_atomic_t wc_stop_signal;

static void on_stop(int sig)
{
	wc_stop_signal = sig;
}

/* Only wakes the wait of a fork loop, which then reaps. */
static void on_child(int sig)
{
	(void)sig;
}

int wc_server_signals(sigset_t *waitmask, int flags, char *err, size_t errlen)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (flags & WC_SIG_CHILD)
		sigaddset(&block, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) < 0) {
		snprintf(err, errlen, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	if (flags & WC_SIG_CHILD)
		sigdelset(waitmask, SIGCHLD);
	sa.sa_handler = on_stop;
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		goto fail;
	if (flags & WC_SIG_CHILD) {
		sa.sa_handler = on_child;
		sa.sa_flags = SA_NOCLDSTOP;
		if (sigaction(SIGCHLD, &sa, NULL) < 0)
			goto fail;
		sa.sa_flags = 0;
	}
	if (flags & WC_SIG_PIPE_IGNORE) {
		sa.sa_handler = SIG_IGN;
		if (sigaction(SIGPIPE, &sa, NULL) < 0)
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "sigaction: %s", strerror(errno));
	return -1;
}

int wc_server_start(const char *prog, const wc_serve_opts *o, int sigflags, wc_addr *addr, sigset_t *waitmask,
		    char *err, size_t errlen)
{
	wc_log_init(prog, o->verbose);
	if (wc_addr_parse(o->bind, o->port, addr, err, errlen) < 0)
		return -1;
	return wc_server_signals(waitmask, sigflags, err, errlen);
}

int wc_server_listening(int fd, char *err, size_t errlen)
{
	char name[80];
	wc_addr a;

	if (!wc_log_verbose())
		return 0;
	memset(&a, 0, sizeof(a));
	a.len = sizeof(a.ss);
	if (getsockname(fd, (struct sockaddr *)&a.ss, &a.len) < 0) {
		snprintf(err, errlen, "getsockname: %s", strerror(errno));
		return -1;
	}
	wc_addr_str(&a, name, sizeof(name));
	wc_log("listening on %s", name);
	return 0;
}

void wc_server_ending(const wc_errlog *l)
{
	if (l->held)
		wc_log("%lu more errors not shown", l->held);
	if (wc_stop_signal)
		wc_log_detail("signal %d (%s), exiting", (int)wc_stop_signal, strsignal(wc_stop_signal));
}
