/* redirect.c - table inet wirecheck through libnftables: record each new flow's destination, DNAT it to the reference */
#include "sandbox/redirect.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define WC_NFT_TABLE "wirecheck"
/* Elements per set: a dynamic set that is full silently stops growing. */
#define WC_NFT_SET_SIZE 65535

/*
 * Priorities: conntrack is at -200, so 'ct state new' is known at -150, before
 * the NAT chain at -100 rewrites the destination. The NAT chain sees only the
 * first packet of each flow; conntrack translates the rest and the replies.
 * "add table; delete table; table {...}" in one transaction replaces any
 * earlier table atomically.
 */
static const char ruleset_fmt[] =
	"add table inet " WC_NFT_TABLE "\n"
	"delete table inet " WC_NFT_TABLE "\n"
	"table inet " WC_NFT_TABLE " {\n"
	"	set targets4 {\n"
	"		type ipv4_addr . inet_proto . inet_service\n"
	"		size %d\n"
	"		flags dynamic\n"
	"	}\n"
	"	set targets6 {\n"
	"		type ipv6_addr . inet_proto . inet_service\n"
	"		size %d\n"
	"		flags dynamic\n"
	"	}\n"
	"	chain record {\n"
	"		type filter hook output priority -150; policy accept;\n"
	"		meta l4proto { tcp, udp } ip daddr 127.0.0.1 th dport %u accept\n"
	"		meta l4proto { tcp, udp } ip6 daddr ::1 th dport %u accept\n"
	"		ct state new meta l4proto { tcp, udp } add @targets4 { ip daddr . meta l4proto . th dport }\n"
	"		ct state new meta l4proto { tcp, udp } add @targets6 { ip6 daddr . meta l4proto . th dport }\n"
	"	}\n"
	"	chain divert {\n"
	"		type nat hook output priority -100; policy accept;\n"
	"		meta l4proto { tcp, udp } ip daddr 127.0.0.1 th dport %u accept\n"
	"		meta l4proto { tcp, udp } ip6 daddr ::1 th dport %u accept\n"
	"		meta l4proto { tcp, udp } dnat ip to 127.0.0.1:%u\n"
	"		meta l4proto { tcp, udp } dnat ip6 to [::1]:%u\n"
	"	}\n"
	"}\n";

/* A context whose output and errors go to buffers; numeric protocols and ports. */
static struct nft_ctx *nft_open(char *err, size_t errlen)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!ctx) {
		snprintf(err, errlen, "nft_ctx_new: failed");
		return NULL;
	}
	if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
		snprintf(err, errlen, "nft_ctx_buffer_output: failed");
		nft_ctx_free(ctx);
		return NULL;
	}
	nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_NUMERIC_ALL);
	return ctx;
}

/* Runs cmd; on failure, err is "nft WHAT: " and the first line of nft's error. */
static int nft_run(struct nft_ctx *ctx, const char *cmd, const char *what, char *err, size_t errlen)
{
	const char *e, *nl, *m;
	size_t len;

	if (nft_run_cmd_from_buffer(ctx, cmd) == 0)
		return 0;
	e = nft_ctx_get_error_buffer(ctx);
	if (!e || !*e)
		e = "failed";
	nl = strchr(e, '\n');
	len = nl ? (size_t)(nl - e) : strlen(e);
	/* "Error: X" or "netlink: Error: X" on the first line: keep X. */
	while ((m = memmem(e, len, "Error: ", 7)) != NULL) {
		len -= (size_t)(m + 7 - e);
		e = m + 7;
	}
	snprintf(err, errlen, "nft %s: %.*s", what, (int)(len > 400 ? 400 : len), e);
	return -1;
}

/*
 * The context of the last install, kept for reading the targets: its netlink
 * socket is of the scenario's namespace. Closing a socket that committed a
 * transaction waits ~15 ms for the kernel, so contexts are freed by
 * wc_redirect_release, after the verdict went out; an earlier install's (a
 * scenario run again, in a new namespace) waits there too.
 */
#define KEPT_MAX 4
static struct nft_ctx *kept[KEPT_MAX];
static int nkept;

void wc_redirect_release(void)
{
	while (nkept > 0)
		nft_ctx_free(kept[--nkept]);
}

int wc_redirect_install(uint16_t to_port, char *err, size_t errlen)
{
	struct nft_ctx *ctx;
	char cmd[sizeof(ruleset_fmt) + 64];
	int n, rc;
	unsigned p = to_port;

	if (to_port == 0) {
		snprintf(err, errlen, "redirect: reference port 0");
		return -1;
	}
	n = snprintf(cmd, sizeof(cmd), ruleset_fmt, WC_NFT_SET_SIZE, WC_NFT_SET_SIZE, p, p, p, p, p, p);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		snprintf(err, errlen, "redirect: ruleset longer than %zu bytes", sizeof(cmd));
		return -1;
	}
	ctx = nft_open(err, errlen);
	if (!ctx)
		return -1;
	rc = nft_run(ctx, cmd, "add table inet " WC_NFT_TABLE, err, errlen);
	if (nkept == KEPT_MAX)
		wc_redirect_release();
	kept[nkept++] = ctx;
	return rc;
}

/* A growable list of targets. */
struct tlist {
	wc_target *v;
	size_t n, cap;
};

static int tlist_add(struct tlist *l, const wc_target *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		wc_target *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return 0;
}

/* A token of nft's listing: a bounded view, never past the NUL. */
struct tok {
	const char *p;
	size_t len;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next token: ',' and '}' alone, else a run up to a space, ',' or '}'. */
static struct tok next_tok(const char **s)
{
	struct tok t;
	const char *p = *s;

	while (is_space(*p))
		p++;
	t.p = p;
	if (*p == ',' || *p == '}') {
		p++;
	} else {
		while (*p && !is_space(*p) && *p != ',' && *p != '}')
			p++;
	}
	t.len = (size_t)(p - t.p);
	*s = p;
	return t;
}

static int tok_is(struct tok t, const char *s)
{
	return t.len == strlen(s) && memcmp(t.p, s, t.len) == 0;
}

/* A decimal number 0..max; "tcp"/"udp" are taken as protocol names too. */
static int tok_num(struct tok t, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (tok_is(t, "tcp")) {
		*out = IPPROTO_TCP;
		return 0;
	}
	if (tok_is(t, "udp")) {
		*out = IPPROTO_UDP;
		return 0;
	}
	if (t.len == 0 || t.len > 5)
		return -1;
	for (i = 0; i < t.len; i++) {
		if (t.p[i] < '0' || t.p[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(t.p[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Parses the elements of one listed set, "elements = { ADDR . PROTO . PORT, ... }"
 * (no such line: the set is empty), into l. Returns 0, or -1 with err set.
 */
static int parse_set(const char *text, int family, const char *set, struct tlist *l, char *err, size_t errlen)
{
	static const char key[] = "elements = {";
	const char *s = strstr(text, key);
	const char *why = "";
	int first = 1;

	if (!s)
		return 0;
	s += sizeof(key) - 1;
	for (;; first = 0) {
		struct tok a = next_tok(&s), d1, pr, d2, po, end;
		unsigned char bin[16];
		unsigned long proto, port;
		char addr[INET6_ADDRSTRLEN];
		wc_target t;

		if (tok_is(a, "}") && first)
			return 0; /* "elements = { }" */
		d1 = next_tok(&s);
		pr = next_tok(&s);
		d2 = next_tok(&s);
		po = next_tok(&s);
		end = next_tok(&s);
		if (a.len == 0 || a.len >= sizeof(addr) || !tok_is(d1, ".") || !tok_is(d2, ".")) {
			why = "want ADDRESS . PROTOCOL . PORT";
			goto bad;
		}
		memcpy(addr, a.p, a.len);
		addr[a.len] = '\0';
		if (inet_pton(family, addr, bin) != 1) {
			why = "bad address";
			goto bad;
		}
		if (tok_num(pr, 255, &proto) < 0 || tok_num(po, 65535, &port) < 0) {
			why = "bad protocol or port";
			goto bad;
		}
		memset(&t, 0, sizeof(t));
		t.family = family;
		if (!inet_ntop(family, bin, t.addr, sizeof(t.addr))) {
			why = "bad address";
			goto bad;
		}
		t.proto = (int)proto;
		t.port = (uint16_t)port;
		if (tlist_add(l, &t) < 0) {
			snprintf(err, errlen, "set %s: out of memory", set);
			return -1;
		}
		if (tok_is(end, "}"))
			return 0;
		if (!tok_is(end, ",")) {
			why = "want ',' or '}' after an element";
			goto bad;
		}
	}
bad:
	snprintf(err, errlen, "cannot parse nft listing of set %s near offset %zu: %s", set, (size_t)(s - text),
		 why);
	return -1;
}

static int target_cmp(const void *pa, const void *pb)
{
	const wc_target *a = pa, *b = pb;
	unsigned char xa[16] = {0}, xb[16] = {0};
	int c;

	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	/* Both parsed from inet_ntop output, so these succeed. */
	(void)inet_pton(a->family, a->addr, xa);
	(void)inet_pton(b->family, b->addr, xb);
	c = memcmp(xa, xb, sizeof(xa));
	if (c)
		return c;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return (a->port > b->port) - (a->port < b->port);
}

/* The targets gathered, sorted, into out (at most max of them, *n): 0, or -1
 * when there were more than max. */
static int hand_over(struct tlist *l, wc_target *out, size_t max, size_t *n, char *err, size_t errlen)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), target_cmp);
	*n = l->n < max ? l->n : max;
	if (*n)
		memcpy(out, l->v, *n * sizeof(*out));
	if (l->n > max) {
		snprintf(err, errlen, "redirect: %zu targets recorded, room for %zu", l->n, max);
		return -1;
	}
	return 0;
}

int wc_redirect_targets(wc_target *out, size_t max, size_t *n, char *err, size_t errlen)
{
	static const struct {
		int family;
		const char *set;
	} sets[] = {{AF_INET, "targets4"}, {AF_INET6, "targets6"}};
	struct tlist l = {0};
	struct nft_ctx *ctx;
	size_t i;
	int rc = -1;

	*n = 0;
	ctx = nkept ? kept[nkept - 1] : nft_open(err, errlen);
	if (!ctx)
		return -1;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char cmd[96];
		const char *text;

		snprintf(cmd, sizeof(cmd), "list set inet " WC_NFT_TABLE " %s", sets[i].set);
		if (nft_run(ctx, cmd, cmd, err, errlen) < 0)
			goto out;
		/* The buffer is rewound by this call, so each listing stands alone. */
		text = nft_ctx_get_output_buffer(ctx);
		if (parse_set(text ? text : "", sets[i].family, sets[i].set, &l, err, errlen) < 0)
			goto out;
	}
	rc = hand_over(&l, out, max, n, err, errlen);
out:
	free(l.v);
	if (!nkept || ctx != kept[nkept - 1])
		nft_ctx_free(ctx);
	return rc;
}

int wc_redirect_targets_file(const char *path, wc_target *out, size_t max, size_t *n, char *err, size_t errlen)
{
	struct tlist l = {0};
	char line[160];
	FILE *f = fopen(path, "re");
	int rc = -1;

	*n = 0;
	if (!f) {
		snprintf(err, errlen, "cannot read the shim's targets '%s': %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char proto[8], fam[4], addr[INET6_ADDRSTRLEN];
		unsigned port;
		unsigned char bin[16];
		wc_target t;
		size_t i;

		memset(&t, 0, sizeof(t));
		if (sscanf(line, "%7s %3s %45s %u", proto, fam, addr, &port) != 4 || port > 65535 ||
		    (strcmp(proto, "udp") && strcmp(proto, "tcp")) || (strcmp(fam, "4") && strcmp(fam, "6"))) {
			snprintf(err, errlen, "the shim's targets '%s': a line that is not 'udp|tcp 4|6 ADDRESS PORT'",
				 path);
			goto out;
		}
		t.family = fam[0] == '6' ? AF_INET6 : AF_INET;
		t.proto = proto[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		t.port = (uint16_t)port;
		if (inet_pton(t.family, addr, bin) != 1 || !inet_ntop(t.family, bin, t.addr, sizeof(t.addr))) {
			snprintf(err, errlen, "the shim's targets '%s': bad address '%s'", path, addr);
			goto out;
		}
		for (i = 0; i < l.n && target_cmp(&l.v[i], &t); i++)
			;
		if (i == l.n && tlist_add(&l, &t) < 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	rc = hand_over(&l, out, max, n, err, errlen);
out:
	free(l.v);
	fclose(f);
	return rc;
}
