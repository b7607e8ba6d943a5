/* dns-client.c - reference client of the dns lab: asks for a name's A records (RFC 1035, UDP), prints the answers */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "cursor.h"
#include "dns.h"
#include "prompt.h"
#include "sock.h"

#define PROG "dns-client"
#define PROMPT "Enter Domain Name: "
#define DGRAM_MAX 65536 /* more than any UDP payload */
#define QUERY_MAX 512   /* RFC 1035 2.3.4 */
#define TRIES 2         /* the query, then one retry */

struct opts {
	wc_connect_opts to;
	int rd;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--server ADDR] [--port N] [--timeout MS] [--rd]\n"
		"\n"
		"Reads domain names from standard input, one a line, and asks the server for\n"
		"each one's addresses (type A, class IN); prints one line per address. The line\n"
		"\"end\" ends the session.\n"
		"\n"
		"  --server ADDR  server address or name (default 127.0.0.1)\n"
		"  --port N       server port (default %d)\n"
		"  --timeout MS   how long to wait for an answer, before the one retry and after\n"
		"                 it (default %d)\n"
		"  --rd           set RD (recursion desired) in queries; off by default\n"
		"  -h, --help     show this help\n",
		WC_CLI_PORT, WC_CLI_TIMEOUT_MS);
}

/* Parses the command line into *o. Returns 0 to run, 1 after --help, 2 after a
 * message on stderr. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	const struct option longopts[] = {
		{"rd", no_argument, &o->rd, 1},
		WC_CLI_CONNECT_LONGOPTS,
		WC_CLI_LONGOPTS_END,
	};
	int c, rc = 0;

	wc_cli_connect_init(&o->to);
	o->rd = 0;
	while (!rc && (c = wc_cli_getopt(PROG, argc, argv, longopts)) != -1)
		rc = wc_cli_connect_opt(PROG, c, optarg, &o->to, usage);
	return rc;
}

static int same_addr(const wc_addr *a, const wc_addr *b)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in *b4 = (const struct sockaddr_in *)&b->ss;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&a->ss;
	const struct sockaddr_in6 *b6 = (const struct sockaddr_in6 *)&b->ss;

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	if (a->ss.ss_family == AF_INET)
		return a4->sin_port == b4->sin_port && a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	if (a->ss.ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port && !memcmp(&a6->sin6_addr, &b6->sin6_addr, sizeof(a6->sin6_addr));
	return 0;
}

/* The line without blanks, CR or LF around it (in place). */
static char *trim(char *s)
{
	size_t n = strlen(s);

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	s[n] = '\0';
	return s;
}

/*
 * Whether the response m answers the query with ID id for the name whose text
 * (as wc_dns_read_name writes it) is want: its ID, QR 1, and its one question
 * that of the query (the name compared without regard to case: a server may
 * answer in its own case), or no question at all in an error (RFC 1035 leaves
 * the question out of a FORMERR, say). With m NULL, the header alone.
 */
static int answers(const wc_dns_header *h, const wc_dns_msg *m, uint16_t id, const char *want)
{
	if (h->id != id || !h->qr)
		return 0;
	if (!m)
		return 1;
	if (m->h.qdcount == 0)
		return m->h.rcode != WC_DNS_NOERROR;
	return m->h.qdcount == 1 && m->qd[0].qtype == WC_DNS_TYPE_A && m->qd[0].qclass == WC_DNS_CLASS_IN &&
	       !strcasecmp(m->qd[0].name.text, want);
}

/* Prints the records of the answer section; says so when there is none. */
static void print_answers(const wc_dns_msg *m, const char *name)
{
	int printed = 0;

	for (size_t i = 0; i < m->nan; i++) {
		const wc_dns_rr *rr = &m->an[i];
		const uint8_t *a;
		wc_cur c;

		wc_cur_init(&c, m->p, m->len);
		wc_cur_seek(&c, rr->rdata_off);
		if (rr->type == WC_DNS_TYPE_A && rr->rclass == WC_DNS_CLASS_IN && rr->rdlength == 4 &&
		    wc_cur_bytes(&c, 4, &a) == 0)
			printf("%s: type A, class IN, TTL %u, addr (4) %u.%u.%u.%u\n", rr->name.text, (unsigned)rr->ttl,
			       a[0], a[1], a[2], a[3]);
		else
			printf("%s: type %u, class %u, TTL %u, rdata (%u)\n", rr->name.text, rr->type, rr->rclass,
			       (unsigned)rr->ttl, rr->rdlength);
		printed = 1;
	}
	if (!printed)
		printf("%s: no address in the answer\n", name);
}

/*
 * Waits until the deadline for the response to query id; datagrams from other
 * senders, other IDs and other questions are ignored. Returns 1 after printing
 * what it says, 0 when none came in time, -1 with the failed call in err.
 */
static int await_answer(int fd, const wc_addr *server, const struct timespec *deadline, uint16_t id, const char *want,
			const char *name, uint8_t *buf, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	static wc_dns_msg m;
	struct timespec now;
	wc_dns_header h;
	char why[300];
	wc_addr from;
	ssize_t n;
	int rc;

	for (;;) {
		wc_clock_now(&now);
		rc = poll(&pfd, 1, wc_clock_ms_until(&now, deadline));
		if (rc < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			return 0;
		if (rc < 0)
			continue;
		memset(&from, 0, sizeof(from));
		from.len = sizeof(from.ss);
		n = recvfrom(fd, buf, DGRAM_MAX, MSG_DONTWAIT, (struct sockaddr *)&from.ss, &from.len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			snprintf(err, errlen, "recvfrom: %s", strerror(errno));
			return -1;
		}
		if (!same_addr(&from, server) || wc_dns_parse_header(buf, (size_t)n, &h) < 0 ||
		    !answers(&h, NULL, id, want))
			continue;
		if (wc_dns_parse(buf, (size_t)n, &m, why, sizeof(why)) < 0) {
			printf("%s: malformed response (%s)\n", name, why);
			return 1;
		}
		if (!answers(&h, &m, id, want))
			continue;
		if (m.h.rcode == WC_DNS_NXDOMAIN)
			printf("%s: no such name (NXDOMAIN)\n", name);
		else if (m.h.rcode != WC_DNS_NOERROR)
			printf("%s: server answered %s\n", name, wc_dns_rcode_str(m.h.rcode));
		else
			print_answers(&m, name);
		return 1;
	}
}

/* Asks for name's A records, once more after a silence. Returns 0 (what came,
 * or that nothing did, said), -1 with the failed call in err. */
static int ask(int fd, const wc_addr *server, const struct opts *o, const char *name, uint8_t *buf, char *err,
	       size_t errlen)
{
	uint8_t query[QUERY_MAX];
	static wc_dns_msg sent;
	struct timespec deadline;
	char where[80];
	uint16_t id;
	ssize_t n;
	int len, rc;

	if (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
		snprintf(err, errlen, "getrandom: %s", strerror(errno));
		return -1;
	}
	len = wc_dns_build_query(query, sizeof(query), id, name, WC_DNS_TYPE_A, o->rd);
	/* the query read back gives the name's text to find in the answer */
	if (len < 0 || wc_dns_parse(query, (size_t)len, &sent, NULL, 0) < 0) {
		fprintf(stderr, PROG ": invalid name '%s' (labels of 1 to 63 bytes, 255 in all)\n", name);
		return 0;
	}
	wc_addr_str(server, where, sizeof(where));
	for (int try = 0; try < TRIES; try++) {
		do
			n = sendto(fd, query, (size_t)len, 0, (const struct sockaddr *)&server->ss, server->len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			snprintf(err, errlen, "sendto %s: %s", where, strerror(errno));
			return -1;
		}
		wc_clock_now(&deadline);
		wc_clock_add_ms(&deadline, o->to.timeout_ms);
		rc = await_answer(fd, server, &deadline, id, sent.qd[0].name.text, name, buf, err, errlen);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	fflush(stdout);
	fprintf(stderr, "%s: no answer from %s\n", name, where);
	return 0;
}

/* Asks for name after name until "end" or the end of input. Returns the exit
 * status, with a message on stderr when it is not 0. */
static int run(int fd, const wc_addr *server, const struct opts *o, uint8_t *buf)
{
	char err[WC_ERRLEN];
	char *line = NULL, *name;
	size_t cap = 0;
	ssize_t len;
	int status = 0;

	for (;;) {
		len = wc_prompt_next(PROG, PROMPT, 1, &line, &cap);
		if (len < 0) {
			status = len == -2;
			break;
		}
		name = trim(line);
		if (!*name)
			continue;
		if (!strcasecmp(name, "end")) {
			puts("Session ended");
			status = wc_prompt_flush(PROG) < 0;
			break;
		}
		if (ask(fd, server, o, name, buf, err, sizeof(err)) < 0) {
			fprintf(stderr, PROG ": %s\n", err);
			status = 1;
			break;
		}
		if (wc_prompt_flush(PROG) < 0) {
			status = 1;
			break;
		}
	}
	free(line);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[WC_ERRLEN];
	wc_addr server, local;
	uint8_t *buf;
	int fd, rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : 2;
	if (wc_addr_parse(o.to.server, o.to.port, &server, err, sizeof(err)) < 0 ||
	    wc_addr_parse(server.ss.ss_family == AF_INET6 ? "::" : "", 0, &local, err, sizeof(err)) < 0 ||
	    (fd = wc_udp_socket(&local, err, sizeof(err))) < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return 1;
	}
	buf = malloc(DGRAM_MAX);
	if (!buf) {
		fprintf(stderr, PROG ": malloc: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	rc = run(fd, &server, &o, buf);
	free(buf);
	close(fd);
	return rc;
}
