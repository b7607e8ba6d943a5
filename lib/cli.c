/* cli.c - the reference programs' command lines: their common options, and git-style messages for bad ones */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "sock.h"

void wc_cli_bad_option(const char *prog, int opt, char *const argv[])
{
	if (opt == ':')
		fprintf(stderr, "%s: option '%s' needs a value\n", prog, argv[optind - 1]);
	else if (optopt)
		fprintf(stderr, "%s: unknown option '-%c'\n", prog, optopt);
	else
		fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
}

int wc_cli_no_operands(const char *prog, int argc, char *const argv[])
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
	return -1;
}

int wc_cli_usage_hint(const char *prog)
{
	fprintf(stderr, "try '%s --help'\n", prog);
	return 2;
}

int wc_cli_getopt(const char *prog, int argc, char *const argv[], const struct option *longopts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, ":h", longopts, NULL);
	if (c == '?' || c == ':') {
		wc_cli_bad_option(prog, c, argv);
		return '?';
	}
	if (c == -1 && wc_cli_no_operands(prog, argc, argv) < 0)
		return '?';
	return c;
}

int wc_cli_port(const char *prog, const char *arg, uint16_t *port)
{
	if (wc_parse_port(arg, port) == 0)
		return 0;
	fprintf(stderr, "%s: invalid port '%s' (want 0..65535)\n", prog, arg);
	return -1;
}

/* Milliseconds, 0..INT_MAX, no sign. Returns 0, or -1 (*out unchanged). */
static int parse_ms(const char *s, int *out)
{
	char *end;
	long v;

	/* digits only: strtol() would take leading blanks and a sign */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

void wc_cli_serve_init(wc_serve_opts *o)
{
	o->bind = "";
	o->port = WC_CLI_PORT;
	o->verbose = 0;
}

void wc_cli_connect_init(wc_connect_opts *o)
{
	o->server = "127.0.0.1";
	o->port = WC_CLI_PORT;
	o->timeout_ms = WC_CLI_TIMEOUT_MS;
}

/* What wc_cli_serve_opt() and wc_cli_connect_opt() do with an option that is
 * none of theirs. */
static int other_opt(const char *prog, int opt, void (*usage)(FILE *))
{
	if (opt == 0)
		return 0;
	if (opt == 'h') {
		usage(stdout);
		return 1;
	}
	return wc_cli_usage_hint(prog);
}

int wc_cli_serve_opt(const char *prog, int opt, const char *arg, wc_serve_opts *o, void (*usage)(FILE *))
{
	switch (opt) {
	case 'p': return wc_cli_port(prog, arg, &o->port) < 0 ? wc_cli_usage_hint(prog) : 0;
	case 'b': o->bind = arg; return 0;
	case 'v': o->verbose = 1; return 0;
	default: return other_opt(prog, opt, usage);
	}
}

int wc_cli_connect_opt(const char *prog, int opt, const char *arg, wc_connect_opts *o, void (*usage)(FILE *))
{
	switch (opt) {
	case 's': o->server = arg; return 0;
	case 'p': return wc_cli_port(prog, arg, &o->port) < 0 ? wc_cli_usage_hint(prog) : 0;
	case 't':
		if (parse_ms(arg, &o->timeout_ms) == 0)
			return 0;
		fprintf(stderr, "%s: invalid timeout '%s' (want milliseconds)\n", prog, arg);
		return wc_cli_usage_hint(prog);
	default: return other_opt(prog, opt, usage);
	}
}
