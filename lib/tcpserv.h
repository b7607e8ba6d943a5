/* tcpserv.h - the reference TCP servers' machinery: accepting, clients with a send queue, the epoll loop */
#ifndef WC_TCPSERV_H
#define WC_TCPSERV_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "bytes.h"
#include "cli.h"
#include "log.h"
#include "sock.h"

/*
 * One client of a server: the part every server has. A server's own type for
 * its clients starts with a wc_client, and its input handling decides when to
 * queue bytes in 'out' and when to finish.
 */
typedef struct wc_client {
	int fd;                       /* the connected socket, non-blocking */
	char name[80];                /* the client's address, "1.2.3.4:5" */
	wc_bytes out;                 /* bytes for the client, sent as the socket takes them */
	int closing;                  /* act on no more input: send what is queued, then close */
	int eof;                      /* the client has shut its side */
	int dead;                     /* an error: close at once */
	char why[160];                /* why the connection ends, for --verbose */
	char tx[32];                  /* its name in the transcript (srvtx.h), "" when none is kept */
	uint32_t watched;             /* the epoll events asked for */
	struct wc_client *prev, *next; /* the epoll loop's list */
} wc_client;

/* Sets up *c, zeroed, for the connection fd from *peer. */
void wc_client_init(wc_client *c, int fd, const wc_addr *peer);
/* Marks the connection for closing at once, keeping the first reason:
 * "WHAT: strerror(e)". */
void wc_client_fail(wc_client *c, const char *what, int e);
/* From now on input is dropped; the connection closes once its queue is sent.
 * Keeps the first reason. */
void wc_client_finish(wc_client *c, const char *why);
/* Gives "server stopping" as the reason the connection ends, unless it was
 * ending anyway. */
void wc_client_stopping(wc_client *c);
/* Reads one chunk into buf (WC_CHUNK bytes) and logs it under --verbose.
 * Returns its length; 0 when there is nothing to act on (nothing waiting, an
 * error, which marks c dead, or c closing: the chunk is dropped); -1 when the
 * client has shut its side (the caller sets c->eof). */
ssize_t wc_client_recv(wc_client *c, uint8_t *buf);
/* Sends as much of c->out as the socket takes now. */
void wc_client_flush(wc_client *c);
/* The poll events c waits for: input unless the client is done or too much is
 * still unsent to it (input dropped while closing, so that a client busy
 * sending cannot block our last sends), output while any is queued. */
short wc_client_events(const wc_client *c);
/* Non-zero when the connection is over: dead, or closing with nothing queued. */
int wc_client_over(const wc_client *c);
/* Closes the connection and frees c->out (not c). Input still waiting is read
 * and dropped first, up to 1 MiB, unless buf is NULL: closing a socket with
 * unread input resets the connection, which can destroy our last bytes on
 * their way. Logs the end under --verbose. */
void wc_client_end(wc_client *c, uint8_t *buf);

/* What a server does with its clients; the machinery calls these. */
typedef struct wc_client_ops {
	/* A new client for the connection fd from *peer, set up with
	 * wc_client_init(); NULL when out of memory. arg: wc_tcpserv.arg. */
	wc_client *(*open)(int fd, const wc_addr *peer, void *arg);
	/* Input may be waiting: reads a chunk (wc_client_recv) and acts on it.
	 * buf: WC_CHUNK bytes to read into. */
	void (*read)(wc_client *c, uint8_t *buf);
	/* Milliseconds until tick() has work, -1 for never. NULL: never. */
	int (*wait_ms)(const wc_client *c, const struct timespec *now);
	void (*tick)(wc_client *c, const struct timespec *now);
	/* Frees what open() allocated, after wc_client_end(). */
	void (*free)(wc_client *c);
} wc_client_ops;

/*
 * The listening socket; a spare descriptor, given up when the process has none
 * left so that the connection that found none can be taken and closed instead
 * of waking us again and again; a pause in accepting after errors that would
 * repeat at once (ENFILE, ENOBUFS...).
 */
typedef struct wc_tcpserv {
	int fd;
	int spare;
	int paused;
	struct timespec resume;
	wc_errlog log;    /* errors of accepting: the accepting thread's only */
	sigset_t waitmask; /* the signal mask to wait with (wc_server_signals) */
	const wc_client_ops *ops;
	void *arg;
} wc_tcpserv;

/* Starts a TCP server as the options *o say: wc_server_start() with sigflags,
 * then raises the limit of open files to the hard one for many clients at once
 * (logged when it cannot), opens the listening socket, logs "listening on
 * ADDR" under --verbose. ops and arg: what to do with clients. Returns 0, or -1
 * with the failed call in err; either way, close it with wc_tcpserv_close(). */
int wc_tcpserv_start(wc_tcpserv *s, const char *prog, const wc_serve_opts *o, int sigflags, const wc_client_ops *ops,
		     void *arg, char *err, size_t errlen);
/* Closes the listening socket and the spare descriptor (also in a child
 * process, which must not keep them). */
void wc_tcpserv_close(wc_tcpserv *s);
/* Waits for a client to take, a signal, or the end of a pause in accepting.
 * Returns 1 when a client may be waiting, 0 otherwise, -1 with the failed call
 * in err. */
int wc_tcpserv_wait(wc_tcpserv *s, char *err, size_t errlen);
/* Takes one waiting client: a connection of ops->open(), logged under
 * --verbose (a client that finds us out of memory is logged, closed, and the
 * next one taken). NULL when there is none to take now: none waiting, or an
 * error (logged; one that would repeat at once pauses accepting). */
wc_client *wc_tcpserv_take(wc_tcpserv *s);
/* Ends c (wc_client_end) and frees it (ops->free). */
void wc_tcpserv_end(wc_tcpserv *s, wc_client *c, uint8_t *buf);
/* Serves all clients at once in this thread, with epoll, until a signal sets
 * wc_stop_signal; then ends them. Returns 0, or -1 with the failed call in err. */
int wc_tcpserv_epoll(wc_tcpserv *s, char *err, size_t errlen);

#endif
