/* record.h - the run record: what happened in one scenario run, which the checks read */
#ifndef WC_RECORD_H
#define WC_RECORD_H

#include <stdint.h>

#include "sandbox/capture.h"
#include "judge/decode.h"
#include "sandbox/discover.h"
#include "sandbox/proc.h"
#include "sandbox/redirect.h"
#include "sandbox/transcript.h"
#include "scenario/scenario.h"

#define WC_MAX_TARGETS 8

typedef struct wc_event {
	int done;              /* the driver carried the step out */
	int skipped;           /* inside 'if NAME kept-alive', and NAME was not: not carried out, not judged */
	int64_t t_ms;          /* when (wc_now_ms) */
	uint16_t port;         /* SEND/EXPECT*: the endpoint's local port */
	int got;               /* EXPECT*: something arrived on the endpoint (a datagram; TCP bytes) */
	int timed_out;         /* the wait ran out */
	int prog_gone;         /* the program had ended when the wait stopped */
	int err;               /* OPEN/SEND on TCP: the errno that stopped it, 0 if none */
	int peer_closed;       /* TCP: the server had closed (FIN) or reset the connection */
	int not_listening;     /* TCP: when the step went wrong, the server was running but its
				  listening socket was gone */
	int unread_pieces;     /* SEND in segments: pieces after which the server had not read in time */
	int64_t end_us;        /* realtime (the capture's clock) when the step ended: what the wire
				  shows later came too late for it */
	char blocked[200];     /* EXPECT*: "" or, when the wait ended on proof that nothing could
				  come (the program blocked with nothing to wake it), where its
				  threads wait (wc_idle_check's line) */
	int64_t spin_cpu_ms;   /* EXPECT*: 0, or the CPU time the program spent in the wait when
				  it ended because that reached the timeout (a busy loop) */
	int64_t spin_wall_ms;  /* and the wall time the wait took */
	char spin[200];        /* and what its threads were doing at the last look */
	int nl_added;          /* SEND ('framing any'): the message went as a line, "\n" after its bytes */
	int nl_sent;           /* EXPECT* ('framing any'): the server waited for a line end: the
				  harness sent "\n" after the message, then waited again */
	int lines;             /* EXPECT: the endpoint speaks lines: a "\n" after the reply is its end */
} wc_event;

typedef struct wc_record {
	const wc_scenario *sc;
	char impl[128];        /* the implementation's name, for paths and reports */
	char cmd[1024];        /* the command under test */
	/* the program under test */
	wc_proc prog;
	int prog_started;
	/* what it bound (server under test), or the reference's socket (client under test) */
	wc_bound bound;
	int have_bound;
	int64_t ready_ms;      /* how long until it bound its port */
	/* the reference server (client under test) */
	wc_proc ref;
	int ref_started;
	wc_target targets[WC_MAX_TARGETS]; /* where the client sent, before the redirect */
	size_t ntargets;
	int targets_by_shim; /* host mode: targets recorded by the LD_PRELOAD shim, which a static binary
				ignores */
	/* the driver */
	uint16_t ep_port[WC_MAX_ENDPOINTS];
	wc_event *ev;          /* one per step */
	int stopped_at;        /* first step not carried out, or nsteps */
	int stopped_after_timeout; /* the driver stopped because an expectation's wait ran out */
	int prog_ended_early;  /* the program had ended by itself when the steps were done */
	int prog_outlived_steps; /* it was alive when the steps were done and the driver closed its
				    sockets: an end after that (a write to a closed connection and
				    SIGPIPE) is outside the scenario */
	int hex;               /* UDP messages went spelled as ASCII hex text (the rubric's second run
				  of a DNS scenario for a server of hex text, 'ascii-hex dns PERCENT') */
	/* the capture */
	char pcap[1024];
	wc_transcript *tx;     /* no capture could be opened (no CAP_NET_RAW): the driver writes
				  down what its sockets did here, and the pcap is made of it */
	int reconstructed;     /* the pcap judged is that reconstruction, not a capture */
	wc_capture_stats cst;
	wc_trace trace;
	int have_trace;
	/* what went wrong before the steps: not the program's fault (harness) */
	char setup_err[1024];
	/* the program did not get ready: its fault */
	char ready_err[1024];
	char ready_blocked[200]; /* "" or, when the wait for the bind failed, what the server's
				    threads were doing at the last look (wc_idle_check's line) */
	int64_t started_ms, ended_ms;
} wc_record;

#endif
