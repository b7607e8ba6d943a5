/* dns-server.c - reference server of the dns lab: authoritative answers for the lab's table (RFC 1035, UDP) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "cursor.h"
#include "dns.h"
#include "hexdump.h"
#include "log.h"
#include "server.h"
#include "sock.h"

#define PROG "dns-server"
#define ANSWER_MAX 512  /* RFC 1035 2.3.4: UDP messages; the lab's answers are far smaller */

struct opts {
	wc_serve_opts serve;
	const char *table;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--port N] [--bind ADDR] [--table FILE] [--verbose]\n"
		"\n"
		"Answers DNS queries (RFC 1035) over UDP with authority, for type A class IN\n"
		"names of a table; prints each request and response as hex, 16 bytes a line.\n"
		"\n"
		"  --port N      UDP port to bind, 0 lets the system choose (default %d)\n"
		"  --bind ADDR   address to bind; \"\" is any IPv4 address (default),\n"
		"                \"::\" any IPv6 and IPv4 address\n"
		"  --table FILE  the names, TTLs and addresses (format: fixtures/dns/table);\n"
		"                default: the lab's table (google.com, youtube.com, ...)\n"
		"  --verbose     log the bound address, each datagram and each error to stderr\n"
		"  -h, --help    show this help\n",
		WC_CLI_PORT);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"table", required_argument, NULL, 'T'},
		WC_CLI_SERVE_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_serve_init(&o->serve);
	o->table = NULL;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1) {
		if (c == 'T')
			o->table = optarg;
		else
			rc = wc_cli_serve_opt(PROG, c, optarg, &o->serve, usage);
	}
	return rc;
}

/* Appends "Request:" and the request's hex lines, then "Response:" and the
 * response's when there is one: the bytes exactly as they go on the wire. They
 * are printed, and flushed, before the batch's answers go out. */
static void print_exchange(wc_buf *out, const uint8_t *req, size_t reqlen, const uint8_t *resp, size_t resplen)
{
	wc_buf_str(out, "Request:\n");
	wc_hex_lines(out, req, reqlen);
	if (resp) {
		wc_buf_str(out, "Response:\n");
		wc_hex_lines(out, resp, resplen);
	}
}

struct server {
	const wc_dns_table *table;
	wc_buf print; /* the batch's exchanges */
};

/* One datagram: its answer replaces it in buf. */
static long answer_one(void *ctx, uint8_t *buf, size_t len, size_t cap, const wc_addr *peer, wc_errlog *log)
{
	struct server *sv = ctx;
	uint8_t answer[ANSWER_MAX];
	int alen = wc_dns_answer(sv->table, buf, len, answer, sizeof(answer));

	if (alen < 0) {
		char name[80];
		wc_addr_str(peer, name, sizeof(name));
		wc_errlog_say(log, "answer to %s does not fit in %zu bytes", name, sizeof(answer));
		alen = 0;
	}
	print_exchange(&sv->print, buf, len, alen ? answer : NULL, (size_t)alen);
	if (!alen || (size_t)alen > cap) /* cap is 65536, an answer at most ANSWER_MAX */
		return WC_DGRAM_NONE;
	memcpy(buf, answer, (size_t)alen);
	return alen;
}

/* Prints the batch's exchanges, before their answers go. */
static void print_batch(void *ctx, wc_errlog *log)
{
	struct server *sv = ctx;

	if (wc_buf_failed(&sv->print))
		/* LCOV_EXCL_START: allocation failure */
		wc_errlog_say(log, "cannot print the datagrams: out of memory");
		/* LCOV_EXCL_STOP */
	else if (sv->print.len && (fwrite(sv->print.p, 1, sv->print.len, stdout) != sv->print.len || fflush(stdout) == EOF))
		wc_errlog_say(log, "write standard output: %s", strerror(errno));
	wc_buf_reset(&sv->print);
}

int main(int argc, char **argv)
{
	static wc_dns_table table;
	struct server sv = {.table = &table};
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr addr;
	sigset_t waitmask;
	int fd = -1, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (o.table) {
		if (wc_dns_table_load(o.table, &table, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 1;
		}
	} else {
		wc_dns_table_labs(&table);
	}
	/* a reader of standard output that goes away must not stop the serving */
	if (wc_server_start(PROG, &o.serve, WC_SIG_PIPE_IGNORE, &addr, &waitmask, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_server_socket(&addr, err, sizeof(err))) < 0 || wc_server_listening(fd, err, sizeof(err)) < 0 ||
	    wc_udp_serve(fd, &waitmask, answer_one, print_batch, &sv, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		rc = 1;
	}
	if (fd >= 0)
		close(fd);
	wc_buf_free(&sv.print);
	return rc;
}
