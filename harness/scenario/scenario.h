/* scenario.h - a parsed scenario: plain data, no behaviour (see fixtures/README.md) */
#ifndef WC_SCENARIO_H
#define WC_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

enum wc_level { WC_MUST, WC_SHOULD, WC_INFO };
enum wc_role { WC_TEST_SERVER, WC_TEST_CLIENT };

enum wc_step_kind {
	WC_STEP_OPEN,          /* open NAME udp */
	WC_STEP_SEND,          /* send NAME PAYLOAD */
	WC_STEP_EXPECT,        /* expect NAME PAYLOAD: the next datagram to NAME */
	WC_STEP_EXPECT_NONE,   /* expect NAME none: no datagram to NAME */
	WC_STEP_EXPECT_EXIT,   /* expect exit [STATUS] */
	WC_STEP_STDIN,         /* stdin [if-asked WORD] PAYLOAD (client under test) */
	WC_STEP_CLOSE_STDIN,   /* close stdin */
	WC_STEP_EXPECT_WIRE,   /* expect wire PAYLOAD: the next datagram the client sends */
	WC_STEP_EXPECT_STDOUT, /* expect stdout [loose] PAYLOAD: standard output contains it */
	WC_STEP_EXPECT_LINE,   /* expect NAME line PAYLOAD: the next line (LF or CRLF) on a TCP endpoint */
	WC_STEP_EXPECT_CLOSED, /* expect NAME closed: the server closes that connection */
	WC_STEP_CLOSE,         /* close NAME: the harness closes its connection */
	WC_STEP_SHUTDOWN,      /* shutdown NAME: the harness ends its sending side */
	WC_STEP_RESET,         /* reset NAME: the harness aborts its connection (RST) */
	WC_STEP_EXPECT_HTTP,   /* expect NAME http STATUS... [file|head PATH]: the next HTTP response */
	WC_STEP_EXPECT_PRINTED, /* expect printed: the server printed each request and response as hex */
	WC_STEP_EXPECT_IDLE,   /* expect idle: the program settles (asleep), it does not spin */
};

/* How an EXPECT or EXPECT_WIRE judges what came */
enum wc_match {
	WC_MATCH_BYTES,        /* byte for byte */
	WC_MATCH_DNS,          /* expect NAME dns PAYLOAD: a DNS message, field by field, the ID from the query */
	WC_MATCH_DNS_QUERY,    /* expect wire dns-query "NAME" [rd 0]: the client's query for NAME */
	WC_MATCH_DNS_RCODE,    /* expect NAME dns rcode N: a response to the query, with RCODE N (status) */
	WC_MATCH_NONE,         /* expect wire none: the client sends nothing more */
	WC_MATCH_DNS_NOT_HEX,  /* expect NAME dns not-hex PAYLOAD: no reply that is PAYLOAD spelled as
				  ASCII hex text (a server of hex text, not of DNS messages) */
};

#define WC_HTTP_STATUSES 4

#define WC_MAX_NAMES 4 /* $name parts in one payload */

#define WC_NAME_MAX 32
#define WC_MAX_ENDPOINTS 16
#define WC_MAX_VARIANTS 8

typedef struct wc_step {
	enum wc_step_kind kind;
	int line;               /* line in the scenario file */
	int ep;                 /* endpoint index for OPEN/SEND/EXPECT/EXPECT_NONE, else -1 */
	uint8_t *data;          /* payload (owned), NULL when none */
	size_t len;
	int status;             /* EXPECT_EXIT: wanted status, -1 for any */
	char text[160];         /* the payload as written, for reports */
	int segments;           /* SEND on TCP: written in this many pieces, each read by the server first */
	size_t name_at[WC_MAX_NAMES]; /* where the student's name goes into data ($name) */
	int nnames;
	enum wc_match match;    /* EXPECT, EXPECT_WIRE */
	int rd0;                /* WC_MATCH_DNS_QUERY: RD must be 0 too */
	int as_hex;             /* SEND 'as-hex': the payload goes spelled as ASCII hex text */
	int if_kept_alive;      /* inside 'if NAME kept-alive': that endpoint's index + 1; 0 otherwise */
	/* EXPECT_HTTP */
	int statuses[WC_HTTP_STATUSES]; /* any of these; none: any status */
	int nstatuses;
	int head;               /* the request was HEAD: no body */
	int conn;               /* judge the Connection header, and that the server does what it says */
	char file[128];         /* the docroot file whose bytes and metadata the response must carry, "" if none */
	int loose;              /* EXPECT_STDOUT: without regard to case and spacing ('expect stdout loose') */
	char ask[WC_NAME_MAX];  /* STDIN: typed only if the client's output since its last input holds
				   this word, any case ('stdin if-asked WORD PAYLOAD'); "" always */
} wc_step;

typedef struct wc_endpoint {
	char name[WC_NAME_MAX];
	int proto;              /* IPPROTO_UDP or IPPROTO_TCP */
	int slow;               /* TCP: a small receive window, read in small pieces */
	int line;
} wc_endpoint;

enum { WC_FRAMING_RAW = 1, WC_FRAMING_LINES = 2 };

typedef struct wc_scenario {
	char path[512];         /* file it came from */
	char id[128];           /* file name without .scn */
	char lab[32];
	char title[160];
	char ref[128];
	char hint[320];
	char subject[256];      /* the faults it grades (finding.h), space-separated; "" no subject line:
				   every local fault counts, no shared one */
	int subject_line;
	enum wc_level level;
	int points;
	enum wc_role role;
	char variants[WC_MAX_VARIANTS][WC_NAME_MAX];
	int nvariants;          /* 0: every variant of the lab */
	int timeout_ms;         /* each wait for an event */
	int deadline_ms;        /* the whole scenario */
	int hosts;              /* 1: all on lo; 2: the server on a host of its own, over a veth pair */
	int off;                /* a rubric switched it off: not run, not graded */
	int framing_any;        /* 'framing any': TCP messages written without a line end go as they
				   are, or as lines to a server that waits for a line end */
	int framing;            /* a rubric's 'framing LAB raw|lines': WC_FRAMING_RAW, only as they are;
				   WC_FRAMING_LINES, always as lines; 0 either */
	int ascii_hex_credit;   /* a rubric's percent of the points for a DNS message sent as ASCII hex
				   text that spells the right bytes; 0: none */
	wc_endpoint eps[WC_MAX_ENDPOINTS];
	int neps;
	wc_step *steps;
	int nsteps;
} wc_scenario;

/*
 * Parses the scenario in text[0..len) named 'path' (payload files are read
 * relative to its folder). On success returns 0 and fills *sc (free with
 * wc_scenario_free). On error returns -1, leaves *sc empty, and writes
 * "path:line: message" into err.
 */
int wc_scenario_parse(const char *path, const char *text, size_t len, wc_scenario *sc, char *err,
		      size_t errlen);
/* Reads and parses a file; errors as above ("path: cannot open: ..." for I/O). */
int wc_scenario_load(const char *path, wc_scenario *sc, char *err, size_t errlen);
void wc_scenario_free(wc_scenario *sc);
/* True when the scenario applies to 'variant': a scenario with no variant line
 * applies to all; 'concurrent' also names 'concurrent-threads' and the like. */
int wc_scenario_has_variant(const wc_scenario *sc, const char *variant);
/* The folder the scenario file is in (its lab's folder, where its payload
 * files and the lab's files are), "." for a bare name; absolute when 'absolute'. */
const char *wc_scenario_dir(const wc_scenario *sc, int absolute, char *buf, size_t n);
/* Puts the student's name where the payloads say $name. 0, or -1 out of memory. */
int wc_scenario_bind_name(wc_scenario *sc, const char *name);

const char *wc_level_str(enum wc_level l);
const char *wc_step_kind_str(enum wc_step_kind k);

#endif
