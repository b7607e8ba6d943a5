/* udp-echo-server.c - reference server of the udp-echo lab: each datagram comes back uppercased */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "echo.h"
#include "log.h"
#include "server.h"
#include "sock.h"

#define PROG "udp-echo-server"

struct opts {
	wc_serve_opts serve;
	int quit;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--quit] [--verbose]\n"
		"\n"
		"Echoes each UDP datagram back to its sender with ASCII a-z turned into A-Z.\n"
		"\n"
		"  --port N     UDP port to bind, 0 lets the system choose (default %d)\n"
		"  --bind ADDR  address to bind; \"\" is any IPv4 address (default),\n"
		"               \"::\" any IPv6 and IPv4 address\n"
		"  --quit       a datagram \"quit\" ends the server, with no reply\n"
		"  --verbose    log the bound address, each datagram and each error to stderr\n"
		"  -h, --help   show this help\n",
		WC_CLI_PORT);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"quit", no_argument, &o->quit, 1},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->quit = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
	return rc;
}

/* One datagram: "quit" under --quit ends the server, with no reply; anything
 * else comes back with a-z turned into A-Z. */
static long echo_one(void *ctx, uint8_t *buf, size_t len, size_t cap, const wc_addr *peer, wc_errlog *log)
{
	const struct opts *o = ctx;

	(void)cap;
	(void)peer;
	(void)log;
	if (o->quit && len == 4 && !memcmp(buf, "quit", 4)) {
		wc_log_detail("quit received, exiting");
		return WC_DGRAM_STOP;
	}
	wc_echo_upper(buf, len, buf);
	return (long)len;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int fd = -1, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_server_start(PROG, &o.serve, 0, &addr, &waitmask, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_server_socket(&addr, err, sizeof(err))) < 0 || wc_server_listening(fd, err, sizeof(err)) < 0 ||
	    wc_udp_serve(fd, &waitmask, echo_one, NULL, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
