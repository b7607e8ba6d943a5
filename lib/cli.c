/* cli.c - git-style messages for bad command lines: what is wrong, then where to look */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

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
