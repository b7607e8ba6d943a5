/* discover.c - socket table reader: which UDP ports are bound, which TCP ports listen, what a connection left unread or unsent */
#include "sandbox/discover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cursor.h"

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* n hex digits into *v; -1 on a bad digit. */
static int hexn(const char *s, size_t n, unsigned long *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexv((unsigned char)s[i]);
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned long)d;
	}
	return 0;
}

/* "0100007F:2EE0" (IPv4, host order) or 32 hex digits + ":PORT" (IPv6, four host-order words). */
static int parse_endpoint(const char *s, size_t n, int family, uint8_t addr[16], uint16_t *port)
{
	size_t alen = family == AF_INET ? 8 : 32;
	unsigned long v;

	if (n != alen + 5 || s[alen] != ':')
		return -1;
	memset(addr, 0, 16);
	for (size_t w = 0; w < alen / 8; w++) {
		uint32_t host;
		if (hexn(s + w * 8, 8, &v) < 0)
			return -1;
		host = (uint32_t)v;
		memcpy(addr + w * 4, &host, 4); /* the kernel printed the word in host order */
	}
	if (hexn(s + alen + 1, 4, &v) < 0)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int wc_parse_socket_table(const char *text, size_t len, int proto, int family, wc_bound *out, int max)
{
	wc_cur all;
	int count = 0, first = 1;

	wc_cur_init(&all, text, len);
	while (wc_cur_left(&all)) {
		const uint8_t *nl = memchr(all.p + all.off, '\n', wc_cur_left(&all));
		size_t n = nl ? (size_t)(nl - (all.p + all.off)) : wc_cur_left(&all);
		const char *f[12];
		size_t fl[12];
		int nf = 0;
		wc_cur line;
		wc_bound b;
		unsigned long st;

		wc_cur_sub(&all, n, &line);
		if (nl)
			wc_cur_skip(&all, 1);
		if (first) { /* the header line */
			first = 0;
			if (n < 2 || !memmem(line.p, n, "local_address", 13))
				return -1;
			continue;
		}
		/* fields: sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		for (size_t i = 0; i < n && nf < 12;) {
			while (i < n && line.p[i] == ' ')
				i++;
			if (i >= n)
				break;
			f[nf] = (const char *)line.p + i;
			while (i < n && line.p[i] != ' ')
				i++;
			fl[nf] = (size_t)((const char *)line.p + i - f[nf]);
			nf++;
		}
		if (nf < 10)
			continue;
		memset(&b, 0, sizeof(b));
		b.proto = proto;
		b.family = family;
		if (parse_endpoint(f[1], fl[1], family, b.addr, &b.port) < 0 || hexn(f[3], fl[3], &st) < 0)
			continue;
		if (b.port == 0)
			continue;
		if (proto == IPPROTO_TCP && st != 0x0A) /* LISTEN */
			continue;
		{
			/* a connected UDP socket takes datagrams of one peer only: no server's */
			uint8_t raddr[16];
			uint16_t rport = 0;
			if (proto == IPPROTO_UDP && parse_endpoint(f[2], fl[2], family, raddr, &rport) == 0 && rport)
				continue;
		}
		{
			char num[24];
			snprintf(num, sizeof(num), "%.*s", (int)(fl[7] < 20 ? fl[7] : 20), f[7]);
			b.uid = (unsigned)strtoul(num, NULL, 10);
			snprintf(num, sizeof(num), "%.*s", (int)(fl[9] < 20 ? fl[9] : 20), f[9]);
			b.inode = strtoul(num, NULL, 10);
		}
		if (count < max)
			out[count++] = b;
	}
	return first ? -1 : count; /* no header: not a socket table */
}

static int read_table(const char *path, int proto, int family, wc_bound *out, int max)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;
	int got;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	got = wc_parse_socket_table(buf, n, proto, family, out, max);
	return got < 0 ? 0 : got;
}

/* ---- sock_diag (NETLINK_SOCK_DIAG): what ss(8) reads ----
 * /proc/net/tcp walks every bucket of the host's TCP hash table, ~5-10 ms a
 * read on a busy host; a dump of LISTEN sockets walks only the listening table,
 * and one connection is looked up by its addresses. The /proc tables remain
 * for a kernel without inet_diag (CONFIG_INET_DIAG, tcp_diag, udp_diag). */

/* A NETLINK_SOCK_DIAG socket of the network namespace of pid (0: the caller's),
 * or -1. A socket keeps the namespace it was made in, so the thread enters the
 * other namespace just long enough to make it. */
static int diag_socket(pid_t pid)
{
	char path[64];
	int fd, ns, self;

	if (pid <= 0)
		return socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return -1;
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		close(ns);
		return -1;
	}
	fd = -1;
	if (setns(ns, CLONE_NEWNET) == 0) {
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (setns(self, CLONE_NEWNET) < 0) {
			/* this thread would be left in the program's namespace */
			perror("wirecheck: setns back to the harness's network namespace");
			abort();
		}
	}
	close(ns);
	close(self);
	return fd;
}

typedef int (*diag_fn)(const struct inet_diag_msg *m, void *arg);

/* Sends req and hands each inet_diag_msg of the answer to fn (which returns
 * nonzero to stop taking them). 0, or -1 with errno (ENOENT: no such socket,
 * or no diag module for the protocol). */
static int diag_ask(int fd, const struct inet_diag_req_v2 *req, int dump, diag_fn fn, void *arg)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} msg;
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	long buf[8192 / sizeof(long)];
	int stop = 0;

	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nh.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0);
	msg.nh.nlmsg_seq = 1;
	msg.r = *req;
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&nl, sizeof(nl)) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		size_t left;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EPROTO;
			return -1;
		}
		for (left = (size_t)n; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					errno = EPROTO;
					return -1;
				}
				if (e->error == 0)
					return 0;
				errno = -e->error;
				return -1;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			if (!stop)
				stop = fn(NLMSG_DATA(h), arg);
			if (!dump)
				return 0;
		}
	}
}

typedef struct bound_list {
	int proto;
	wc_bound *out;
	int max, n;
} bound_list;

static int take_bound(const struct inet_diag_msg *m, void *arg)
{
	bound_list *l = arg;
	wc_bound b;

	memset(&b, 0, sizeof(b));
	b.proto = l->proto;
	b.family = m->idiag_family;
	memcpy(b.addr, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	b.port = ntohs(m->id.idiag_sport);
	b.uid = m->idiag_uid;
	b.inode = m->idiag_inode;
	if (b.port == 0 || (l->proto == IPPROTO_TCP && m->idiag_state != TCP_LISTEN))
		return 0;
	/* a connected UDP socket takes datagrams of one peer only: no server's */
	if (l->proto == IPPROTO_UDP && m->id.idiag_dport != 0)
		return 0;
	if (l->n < l->max)
		l->out[l->n++] = b;
	return 0;
}

/* Dumps proto's sockets in states (a mask of 1 << TCP_*) of both families, in
 * the namespace of pid (0: the caller's), to fn; ext: INET_DIAG_* extensions
 * wanted (a mask). 0, or -1 (errno) when sock_diag cannot tell. */
static int diag_dump(pid_t pid, int proto, uint32_t states, uint8_t ext, diag_fn fn, void *arg)
{
	static const int families[2] = {AF_INET, AF_INET6};
	int fd = diag_socket(pid);

	if (fd < 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		struct inet_diag_req_v2 req;

		memset(&req, 0, sizeof(req));
		req.sdiag_family = (uint8_t)families[k];
		req.sdiag_protocol = (uint8_t)proto;
		req.idiag_ext = ext;
		req.idiag_states = states;
		if (diag_ask(fd, &req, 1, fn, arg) < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* The bound sockets as sock_diag tells, or -1 when it cannot (then the /proc
 * tables are read). */
static int diag_discover(int proto, pid_t pid, wc_bound *out, int max)
{
	bound_list l = {proto, out, max, 0};

	/* a TCP server is ready when it listens; a UDP one when it is bound */
	if (diag_dump(pid, proto, proto == IPPROTO_TCP ? 1u << TCP_LISTEN : ~0u, 0, take_bound, &l) < 0)
		return -1;
	return l.n;
}

/* Where tcpi_notsent_bytes (a __u32) lies in the kernel's struct tcp_info
 * (<linux/tcp.h>, since Linux 4.6); glibc's <netinet/tcp.h> stops short of it,
 * and the two headers cannot be included together. The layout is the
 * kernel's ABI: fields are only ever added at the end. */
#define TCPI_NOTSENT_OFF 144

/* The bytes a TCP socket holds written and not yet sent (Nagle's algorithm, a
 * closed window), from the INET_DIAG_INFO attribute (struct tcp_info) that
 * follows m in its netlink message, when the request asked for it; -1 when it
 * is not there. */
static long diag_notsent(const struct inet_diag_msg *m)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)((const char *)m - NLMSG_HDRLEN);
	const struct rtattr *a = (const struct rtattr *)(const void *)(m + 1);
	int left = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*m));

	for (; RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		uint32_t v;

		if (a->rta_type != INET_DIAG_INFO)
			continue;
		if (RTA_PAYLOAD(a) < TCPI_NOTSENT_OFF + sizeof(v))
			return -1; /* a kernel before 4.6 */
		memcpy(&v, (const char *)RTA_DATA(a) + TCPI_NOTSENT_OFF, sizeof(v));
		return (long)v;
	}
	return -1;
}

static int take_end(const struct inet_diag_msg *m, void *arg)
{
	wc_tcp_end *e = arg;

	/* with no such connection, the kernel's lookup answers with the
	 * listening socket of the port (its queue: connections not accepted) */
	if (m->idiag_state == TCP_LISTEN)
		return 1;
	e->state = m->idiag_state;
	e->rqueue = (long)m->idiag_rqueue;
	e->wqueue = (long)m->idiag_wqueue;
	e->notsent = diag_notsent(m);
	return 1;
}

int wc_tcp_end_of(pid_t pid, const struct sockaddr_storage *server, const struct sockaddr_storage *client,
		  wc_tcp_end *out)
{
	struct inet_diag_req_v2 req;
	int fd, rc;

	memset(&req, 0, sizeof(req));
	req.sdiag_family = (uint8_t)server->ss_family;
	req.sdiag_protocol = IPPROTO_TCP;
	req.idiag_states = ~0u;
	req.idiag_ext = 1u << (INET_DIAG_INFO - 1);
	req.id.idiag_cookie[0] = req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (server->ss_family == AF_INET && client->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)server, *c = (const struct sockaddr_in *)client;
		req.id.idiag_sport = s->sin_port;
		req.id.idiag_dport = c->sin_port;
		memcpy(req.id.idiag_src, &s->sin_addr, 4);
		memcpy(req.id.idiag_dst, &c->sin_addr, 4);
	} else if (server->ss_family == AF_INET6 && client->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)server,
					  *c = (const struct sockaddr_in6 *)client;
		req.id.idiag_sport = s->sin6_port;
		req.id.idiag_dport = c->sin6_port;
		memcpy(req.id.idiag_src, &s->sin6_addr, 16);
		memcpy(req.id.idiag_dst, &c->sin6_addr, 16);
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	fd = diag_socket(pid);
	if (fd < 0)
		return -1;
	out->state = -1;
	rc = diag_ask(fd, &req, 0, take_end, out);
	close(fd);
	if (rc < 0 && errno != ENOENT)
		return -1; /* no tcp_diag */
	return out->state >= 0;
}

long wc_tcp_unread(pid_t pid, const struct sockaddr_storage *server, const struct sockaddr_storage *client)
{
	wc_tcp_end e;
	int rc = wc_tcp_end_of(pid, server, client, &e);

	if (rc > 0)
		return e.rqueue;
	if (rc == 0)
		return -1;
	if (server->ss_family == AF_INET && client->ss_family == AF_INET)
		return wc_tcp_rx_queue(pid, ntohs(((const struct sockaddr_in *)server)->sin_port),
				       ntohs(((const struct sockaddr_in *)client)->sin_port));
	if (server->ss_family == AF_INET6 && client->ss_family == AF_INET6)
		return wc_tcp_rx_queue(pid, ntohs(((const struct sockaddr_in6 *)server)->sin6_port),
				       ntohs(((const struct sockaddr_in6 *)client)->sin6_port));
	return -1;
}

static int take_port(const struct inet_diag_msg *m, void *arg)
{
	wc_tcp_pending *t = arg;
	long notsent;

	if (ntohs(m->id.idiag_dport) != t->port && ntohs(m->id.idiag_sport) != t->port)
		return 0;
	notsent = diag_notsent(m);
	t->unacked += (long)m->idiag_wqueue;
	/* not known: all that is not acknowledged may be unsent too */
	t->unsent += notsent >= 0 ? notsent : (long)m->idiag_wqueue;
	/* a handshake or a FIN not answered yet is on its way too */
	if (m->idiag_state == TCP_SYN_SENT || m->idiag_state == TCP_FIN_WAIT1 || m->idiag_state == TCP_LAST_ACK ||
	    m->idiag_state == TCP_CLOSING)
		t->unacked++;
	return 0;
}

int wc_tcp_port_pending(uint16_t port, wc_tcp_pending *out)
{
	memset(out, 0, sizeof(*out));
	out->port = port;
	/* every state but LISTEN, TIME_WAIT and CLOSE: those send nothing */
	return diag_dump(0, IPPROTO_TCP, ~0u & ~(1u << TCP_LISTEN) & ~(1u << TCP_TIME_WAIT) & ~(1u << TCP_CLOSE),
			 1u << (INET_DIAG_INFO - 1), take_port, out);
}

/* One data row of /proc/net/tcp{,6} (or udp{,6}: the same columns): local port, remote port, state, rx_queue. */
static int tcp_row(const char *line, size_t n, int family, uint16_t *lport, uint16_t *rport, unsigned long *rxq)
{
	const char *f[6];
	size_t fl[6];
	int nf = 0;
	uint8_t addr[16];
	unsigned long q;

	for (size_t i = 0; i < n && nf < 6;) {
		while (i < n && line[i] == ' ')
			i++;
		if (i >= n)
			break;
		f[nf] = line + i;
		while (i < n && line[i] != ' ')
			i++;
		fl[nf] = (size_t)(line + i - f[nf]);
		nf++;
	}
	/* sl local rem st tx_queue:rx_queue */
	if (nf < 5 || parse_endpoint(f[1], fl[1], family, addr, lport) < 0 ||
	    parse_endpoint(f[2], fl[2], family, addr, rport) < 0 || fl[4] != 17 || f[4][8] != ':' ||
	    hexn(f[4] + 9, 8, &q) < 0)
		return -1;
	*rxq = q;
	return 0;
}

/* The rx_queue of the socket of table name ("tcp", "udp", and their v6)
 * with local port lport and remote port rport, or (rport -1) the sum over
 * every socket with local port lport; -1 if there is none */
static long rx_queue(pid_t pid, const char *name, uint16_t lport, int rport)
{
	long sum = -1;

	for (int k = 0; k < 2; k++) {
		char path[64], line[512];
		FILE *f;

		if (pid > 0)
			snprintf(path, sizeof(path), "/proc/%d/net/%s%s", (int)pid, name, k ? "6" : "");
		else
			snprintf(path, sizeof(path), "/proc/self/net/%s%s", name, k ? "6" : "");
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			uint16_t lp, rp;
			unsigned long q;
			size_t n = strcspn(line, "\n");
			if (tcp_row(line, n, k ? AF_INET6 : AF_INET, &lp, &rp, &q) < 0 || lp != lport)
				continue;
			if (rport < 0) {
				sum = (sum < 0 ? 0 : sum) + (long)q;
			} else if (rp == rport) {
				fclose(f);
				return (long)q;
			}
		}
		fclose(f);
	}
	return sum;
}

long wc_tcp_rx_queue(pid_t pid, uint16_t lport, uint16_t rport)
{
	return rx_queue(pid, "tcp", lport, rport);
}

long wc_port_unread(int proto, uint16_t lport)
{
	return rx_queue(0, proto == IPPROTO_TCP ? "tcp" : "udp", lport, -1);
}

int wc_discover(int proto, pid_t pid, wc_bound *out, int max)
{
	const char *name = proto == IPPROTO_TCP ? "tcp" : "udp";
	char v4[64], v6[64];
	int n = diag_discover(proto, pid, out, max);

	if (n >= 0)
		return n;

	if (pid > 0) {
		snprintf(v4, sizeof(v4), "/proc/%d/net/%s", (int)pid, name);
		snprintf(v6, sizeof(v6), "/proc/%d/net/%s6", (int)pid, name);
	} else {
		snprintf(v4, sizeof(v4), "/proc/self/net/%s", name);
		snprintf(v6, sizeof(v6), "/proc/self/net/%s6", name);
	}
	n = read_table(v4, proto, AF_INET, out, max);
	return n + read_table(v6, proto, AF_INET6, out + n, max - n);
}

void wc_bound_target(const wc_bound *b, wc_addr *to)
{
	static const uint8_t zero[16];
	struct sockaddr_in *in4 = (struct sockaddr_in *)&to->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&to->ss;

	memset(to, 0, sizeof(*to));
	if (b->family == AF_INET) {
		in4->sin_family = AF_INET;
		if (!memcmp(b->addr, zero, 4))
			in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else
			memcpy(&in4->sin_addr, b->addr, 4);
		in4->sin_port = htons(b->port);
		to->len = sizeof(*in4);
	} else if (!memcmp(b->addr, zero, 16)) {
		/* '::' hears IPv4 too, unless IPV6_V6ONLY (NSD binds it so, and
		 * 0.0.0.0 apart): ::1 reaches both kinds */
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		in6->sin6_port = htons(b->port);
		to->len = sizeof(*in6);
		(void)in4;
	} else {
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, b->addr, 16);
		in6->sin6_port = htons(b->port);
		to->len = sizeof(*in6);
	}
}

void wc_bound_str(const wc_bound *b, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(b->family, b->addr, ip, sizeof(ip));
	snprintf(buf, n, b->family == AF_INET6 ? "%s [%s]:%u" : "%s %s:%u",
		 b->proto == IPPROTO_TCP ? "tcp" : "udp", ip, b->port);
}
