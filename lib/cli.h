/* cli.h - command-line error reporting shared by the reference programs */
#ifndef WC_CLI_H
#define WC_CLI_H

/* Says on stderr what is wrong with the option getopt_long() just refused
 * (opt ':' for a missing value, anything else for an unknown option). Run
 * getopt_long with a leading ':' in its option string. */
void wc_cli_bad_option(const char *prog, int opt, char *const argv[]);
/* 0 when no operand is left after the options; otherwise says so, -1. */
int wc_cli_no_operands(const char *prog, int argc, char *const argv[]);
/* Prints "try 'PROG --help'" on stderr and returns 2, the usage exit status. */
int wc_cli_usage_hint(const char *prog);

#endif
