/* server.h - what every reference server does to start and to stop: signals, the "listening on" line, the last lines */
#ifndef WC_SERVER_H
#define WC_SERVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

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

/* What a UDP server does with one datagram buf[0..len) from peer (already
 * logged under --verbose): writes its reply into buf (at most cap
 * bytes, in place) and returns the reply's length (0: an empty datagram),
 * WC_DGRAM_NONE for no reply, or WC_DGRAM_STOP to end the server (the datagram
 * gets no reply). */
#define WC_DGRAM_NONE (-1)
#define WC_DGRAM_STOP (-2)
typedef long (*wc_dgram_fn)(void *ctx, uint8_t *buf, size_t len, size_t cap, const wc_addr *peer, wc_errlog *log);
/* Called after a batch of datagrams was handled and before its replies go out
 * (a server that prints its exchanges flushes them here), or NULL. */
typedef void (*wc_batch_fn)(void *ctx, wc_errlog *log);

/* Serves datagrams on fd until a signal (wc_stop_signal) or fn says to end:
 * waits with ppoll (*waitmask), takes up to 32 datagrams at once (recvmmsg),
 * hands each to fn, calls done, then sends the replies at once (sendmmsg).
 * No datagram, however big or malformed, ends the server but by fn's word.
 * Returns 0, or -1 with the failed call in err. */
int wc_udp_serve(int fd, const sigset_t *waitmask, wc_dgram_fn fn, wc_batch_fn done, void *ctx, char *err,
		 size_t errlen);

#endif
