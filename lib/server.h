/* server.h - what every reference server does to start and to stop: signals, the "listening on" line, the last lines */
#ifndef WC_SERVER_H
#define WC_SERVER_H

#include <signal.h>
#include <stddef.h>

#include "cli.h"
#include "log.h"
#include "sock.h"

/* The signal (SIGTERM, SIGINT) that asked the server to stop, 0 while serving. */
extern volatile sig_atomic_t wc_stop_signal;

/* Flags of wc_server_signals(). */
#define WC_SIG_CHILD 1       /* catch SIGCHLD too, only to wake the wait: a fork loop reaps then */
#define WC_SIG_PIPE_IGNORE 2 /* ignore SIGPIPE: a send to a gone client fails with EPIPE instead */

/* Starts a reference server: its lines on stderr (wc_log_init), *addr from
 * --bind and --port, then the signals (wc_server_signals() with sigflags).
 * Returns 0, or -1 with the failed call in err. */
int wc_server_start(const char *prog, const wc_serve_opts *o, int sigflags, wc_addr *addr, sigset_t *waitmask,
		    char *err, size_t errlen);
/* Catches SIGTERM and SIGINT (setting wc_stop_signal), blocked except while the
 * server waits (ppoll, epoll_pwait with *waitmask), so that none can arrive
 * unseen between a test of wc_stop_signal and the wait; threads inherit the
 * block and leave these signals to the main thread. *waitmask gets the mask to
 * wait with. Returns 0, or -1 with the failed call in err. */
int wc_server_signals(sigset_t *waitmask, int flags, char *err, size_t errlen);
/* Under --verbose, logs "listening on ADDR", the address fd is bound to (the
 * port the system chose for port 0). Returns 0, or -1 with "getsockname: ..."
 * in err. */
int wc_server_listening(int fd, char *err, size_t errlen);
/* Logs what is left to say as the server ends: how many errors *l held back,
 * and under --verbose the signal that stopped it. */
void wc_server_ending(const wc_errlog *l);

#endif
