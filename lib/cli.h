/* cli.h - the reference programs' command lines: their common options, and messages for bad ones */
#ifndef WC_CLI_H
#define WC_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#define WC_CLI_PORT 12000       /* the port of the labs' servers */
#define WC_CLI_TIMEOUT_MS 2000  /* how long a client waits, by default */

/* Says on stderr what is wrong with the option getopt_long() just refused
 * (opt ':' for a missing value, anything else for an unknown option). Run
 * getopt_long with a leading ':' in its option string. */
void wc_cli_bad_option(const char *prog, int opt, char *const argv[]);
/* 0 when no operand is left after the options; otherwise says so, -1. */
int wc_cli_no_operands(const char *prog, int argc, char *const argv[]);
/* Prints "try 'PROG --help'" on stderr and returns 2, the usage exit status. */
int wc_cli_usage_hint(const char *prog);

/* getopt_long() as the reference programs use it: long options and -h, no
 * operands. Returns the next option's value; -1 after the last; '?' once it
 * has said on stderr what is wrong (an unknown option, a missing value, an
 * operand). */
int wc_cli_getopt(const char *prog, int argc, char *const argv[], const struct option *longopts);
/* Parses the value of --port. Returns 0, or -1 after saying on stderr
 * "PROG: invalid port 'ARG' (want 0..65535)". */
int wc_cli_port(const char *prog, const char *arg, uint16_t *port);

/* The end of every reference program's getopt_long() table: --help, and the
 * zeroed entry. */
#define WC_CLI_LONGOPTS_END {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}

/* The options every reference server takes: --port N, --bind ADDR, --verbose;
 * WC_CLI_SERVE_LONGOPTS are their entries for a getopt_long() table. */
typedef struct wc_serve_opts {
	const char *bind; /* "" is any IPv4 address */
	uint16_t port;
	int verbose;
} wc_serve_opts;
#define WC_CLI_SERVE_LONGOPTS \
	{"port", required_argument, NULL, 'p'}, {"bind", required_argument, NULL, 'b'}, {"verbose", no_argument, NULL, 'v'}

/* The options every reference client takes: --server ADDR, --port N, --timeout
 * MS; WC_CLI_CONNECT_LONGOPTS are their entries for a getopt_long() table. */
typedef struct wc_connect_opts {
	const char *server;
	uint16_t port;
	int timeout_ms;
} wc_connect_opts;
#define WC_CLI_CONNECT_LONGOPTS \
	{"server", required_argument, NULL, 's'}, {"port", required_argument, NULL, 'p'}, \
	{"timeout", required_argument, NULL, 't'}

/* Sets the defaults: any IPv4 address, WC_CLI_PORT, not verbose. */
void wc_cli_serve_init(wc_serve_opts *o);
/* Sets the defaults: 127.0.0.1, WC_CLI_PORT, WC_CLI_TIMEOUT_MS. */
void wc_cli_connect_init(wc_connect_opts *o);
/* Takes the option opt, a value of wc_cli_getopt() with its argument arg: 0
 * (a flag getopt_long() has set), 'h' (prints usage(stdout)), one of the
 * options of *o, or '?' (what is wrong already said). Returns what parse_opts()
 * of a reference program returns: 0 to go on, 1 after --help, 2 after a
 * message on stderr. */
int wc_cli_serve_opt(const char *prog, int opt, const char *arg, wc_serve_opts *o, void (*usage)(FILE *));
int wc_cli_connect_opt(const char *prog, int opt, const char *arg, wc_connect_opts *o, void (*usage)(FILE *));

#endif
