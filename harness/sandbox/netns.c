/* netns.c - raw rtnetlink requests (link up, address, default route, veth pair), sysctl writes, the IP packet counters */
#include "sandbox/netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Requests are small: the largest, a veth pair, is under 128 bytes. */
#define NL_REQ_MAX 512
/* Replies: acks, and one RTM_NEWLINK without statistics. */
#define NL_RX_MAX 32768

/* A request under construction, with a sticky 'full' flag (ldns style):
 * append freely, test once in nl_talk. */
struct nl_req {
	union {
		struct nlmsghdr hdr;
		unsigned char buf[NL_REQ_MAX];
	} u;
	size_t len;
	int full;
};

static void req_init(struct nl_req *r, uint16_t type, uint16_t flags)
{
	memset(r, 0, sizeof(*r));
	r->len = NLMSG_HDRLEN;
	r->u.hdr.nlmsg_type = type;
	r->u.hdr.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->u.hdr.nlmsg_seq = 1; /* one request per socket */
}

/* Appends n bytes (data NULL: zeroes) padded to 4; returns their offset, 0 when full. */
static size_t req_put(struct nl_req *r, const void *data, size_t n)
{
	size_t off = r->len;
	size_t padded = NLMSG_ALIGN(n);

	if (r->full || padded < n || padded > sizeof(r->u.buf) - off) {
		r->full = 1;
		return 0;
	}
	if (data && n)
		memcpy(r->u.buf + off, data, n); /* padding stays zero from req_init */
	r->len = off + padded;
	return off;
}

/* Appends an attribute; returns its offset (for req_nest_end), 0 when full. */
static size_t req_attr(struct nl_req *r, unsigned short type, const void *data, size_t n)
{
	struct rtattr rta;
	size_t off;

	if (n > 0xffff - RTA_LENGTH(0)) {
		r->full = 1;
		return 0;
	}
	rta.rta_len = (unsigned short)RTA_LENGTH(n);
	rta.rta_type = type;
	off = req_put(r, &rta, sizeof(rta));
	if (n)
		req_put(r, data, n);
	return off;
}

static void req_attr_u32(struct nl_req *r, unsigned short type, uint32_t v)
{
	req_attr(r, type, &v, sizeof(v));
}

static void req_attr_str(struct nl_req *r, unsigned short type, const char *s)
{
	req_attr(r, type, s, strlen(s) + 1);
}

/* A nested attribute: req_nest_end() sets its length to cover what follows. */
static size_t req_nest_begin(struct nl_req *r, unsigned short type)
{
	return req_attr(r, type, NULL, 0);
}

static void req_nest_end(struct nl_req *r, size_t off)
{
	struct rtattr rta;

	if (r->full)
		return;
	memcpy(&rta, r->u.buf + off, sizeof(rta));
	rta.rta_len = (unsigned short)(r->len - off);
	memcpy(r->u.buf + off, &rta, sizeof(rta));
}

/* Called for each reply that is not the ack: the message, nlmsg_len bytes. */
typedef void (*nl_reply_fn)(const unsigned char *msg, size_t len, void *arg);

/* The kernel's extended ack message, if the ack carries one, into buf ("" if not). */
static void ack_ext_msg(const unsigned char *msg, size_t len, char *buf, size_t n)
{
	struct nlmsghdr h, orig;
	size_t off;

	buf[0] = '\0';
	memcpy(&h, msg, sizeof(h));
	if (!(h.nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (len < NLMSG_HDRLEN + sizeof(struct nlmsgerr))
		return;
	memcpy(&orig, msg + NLMSG_HDRLEN + sizeof(int), sizeof(orig));
	off = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	if (!(h.nlmsg_flags & NLM_F_CAPPED)) {
		/* The request follows in full: skip its payload too. */
		if (orig.nlmsg_len < NLMSG_HDRLEN || NLMSG_ALIGN(orig.nlmsg_len) - NLMSG_HDRLEN > len - off)
			return;
		off += NLMSG_ALIGN(orig.nlmsg_len) - NLMSG_HDRLEN;
	}
	while (len - off >= sizeof(struct nlattr)) {
		struct nlattr a;
		size_t alen;

		memcpy(&a, msg + off, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > len - off)
			return;
		alen = a.nla_len - NLA_HDRLEN;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = (const char *)msg + off + NLA_HDRLEN;
			size_t sl = strnlen(s, alen);

			snprintf(buf, n, "%.*s", (int)sl, s);
			return;
		}
		if ((size_t)NLA_ALIGN(a.nla_len) >= len - off)
			return;
		off += (size_t)NLA_ALIGN(a.nla_len);
	}
}

/* The status of an NLMSG_ERROR message (an ack when 0); -1 with err set on failure. */
static int ack_status(const unsigned char *msg, size_t len, const char *what, char *err, size_t errlen)
{
	int error;
	char ext[256];

	if (len < NLMSG_HDRLEN + sizeof(int)) {
		snprintf(err, errlen, "%s: short NLMSG_ERROR (%zu bytes)", what, len);
		return -1;
	}
	memcpy(&error, msg + NLMSG_HDRLEN, sizeof(error));
	if (error == 0)
		return 0;
	if (error < 0)
		error = -error;
	ack_ext_msg(msg, len, ext, sizeof(ext));
	if (ext[0])
		snprintf(err, errlen, "%s: %s (%s)", what, strerror(error), ext);
	else
		snprintf(err, errlen, "%s: %s", what, strerror(error));
	return -1;
}

/*
 * Sends the request on a fresh NETLINK_ROUTE socket and reads until its ack.
 * Replies before the ack go to fn (may be NULL). 'what' names the request in
 * messages: "RTM_NEWLINK veth wc0". Returns 0, or -1 with err set.
 */
static int nl_talk(struct nl_req *r, const char *what, nl_reply_fn fn, void *arg, char *err, size_t errlen)
{
	static const struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	unsigned char *rx = NULL;
	int fd, one = 1, rc = -1;
	ssize_t n;

	if (r->full) {
		snprintf(err, errlen, "%s: request longer than %d bytes", what, NL_REQ_MAX);
		return -1;
	}
	r->u.hdr.nlmsg_len = (uint32_t)r->len;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		snprintf(err, errlen, "socket AF_NETLINK: %s", strerror(errno));
		return -1;
	}
	/* Best effort: acks without the request echoed, with the kernel's message. */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	do
		n = sendto(fd, r->u.buf, r->len, 0, (const struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != r->len) {
		snprintf(err, errlen, "sendto %s: %s", what, n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	rx = malloc(NL_RX_MAX);
	if (!rx) {
		snprintf(err, errlen, "%s: out of memory", what);
		goto out;
	}
	for (;;) {
		size_t off = 0;

		n = recv(fd, rx, NL_RX_MAX, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "recv %s: %s", what, strerror(errno));
			goto out;
		}
		if ((size_t)n > NL_RX_MAX) {
			snprintf(err, errlen, "recv %s: reply of %zd bytes truncated to %d", what, n, NL_RX_MAX);
			goto out;
		}
		while ((size_t)n - off >= NLMSG_HDRLEN) {
			struct nlmsghdr h;
			size_t step;

			memcpy(&h, rx + off, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > (size_t)n - off) {
				snprintf(err, errlen, "recv %s: malformed reply (nlmsg_len %u, %zu bytes left)",
					 what, h.nlmsg_len, (size_t)n - off);
				goto out;
			}
			if (h.nlmsg_seq == r->u.hdr.nlmsg_seq) {
				if (h.nlmsg_type == NLMSG_ERROR) {
					rc = ack_status(rx + off, h.nlmsg_len, what, err, errlen);
					goto out;
				}
				if (fn && h.nlmsg_type >= NLMSG_MIN_TYPE)
					fn(rx + off, h.nlmsg_len, arg);
			}
			step = NLMSG_ALIGN(h.nlmsg_len);
			if (step >= (size_t)n - off)
				break;
			off += step;
		}
	}
out:
	free(rx);
	close(fd);
	return rc;
}

static int check_ifname(const char *name, char *err, size_t errlen)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n >= IFNAMSIZ || strchr(name, '/') || strchr(name, ' ')) {
		snprintf(err, errlen, "invalid interface name '%s'", name ? name : "(null)");
		return -1;
	}
	return 0;
}

struct link_info {
	int found;
	struct ifinfomsg ifi;
};

static void on_link(const unsigned char *msg, size_t len, void *arg)
{
	struct link_info *li = arg;
	struct nlmsghdr h;

	memcpy(&h, msg, sizeof(h));
	if (li->found || h.nlmsg_type != RTM_NEWLINK || len < NLMSG_HDRLEN + sizeof(struct ifinfomsg))
		return;
	memcpy(&li->ifi, msg + NLMSG_HDRLEN, sizeof(li->ifi));
	li->found = 1;
}

/* Index and flags of ifname, by RTM_GETLINK. */
static int link_get(const char *ifname, struct ifinfomsg *out, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct link_info li = {0};
	char what[64];

	if (check_ifname(ifname, err, errlen) < 0)
		return -1;
	snprintf(what, sizeof(what), "RTM_GETLINK %s", ifname);
	req_init(&r, RTM_GETLINK, 0);
	req_put(&r, &ifi, sizeof(ifi));
	req_attr_str(&r, IFLA_IFNAME, ifname);
	req_attr_u32(&r, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (nl_talk(&r, what, on_link, &li, err, errlen) < 0)
		return -1;
	if (!li.found || li.ifi.ifi_index <= 0) {
		snprintf(err, errlen, "%s: no link in the reply", what);
		return -1;
	}
	*out = li.ifi;
	return 0;
}

int wc_link_up(const char *ifname, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
	char what[64];

	if (check_ifname(ifname, err, errlen) < 0)
		return -1;
	snprintf(what, sizeof(what), "RTM_NEWLINK %s up", ifname);
	/* No NLM_F_CREATE: the link is found by name, ENODEV if there is none. */
	req_init(&r, RTM_NEWLINK, 0);
	req_put(&r, &ifi, sizeof(ifi));
	req_attr_str(&r, IFLA_IFNAME, ifname);
	return nl_talk(&r, what, NULL, NULL, err, errlen);
}

int wc_link_set_mtu(const char *ifname, unsigned mtu, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	char what[64];

	if (check_ifname(ifname, err, errlen) < 0)
		return -1;
	snprintf(what, sizeof(what), "RTM_NEWLINK %s mtu %u", ifname, mtu);
	req_init(&r, RTM_NEWLINK, 0);
	req_put(&r, &ifi, sizeof(ifi));
	req_attr_str(&r, IFLA_IFNAME, ifname);
	req_attr_u32(&r, IFLA_MTU, mtu);
	return nl_talk(&r, what, NULL, NULL, err, errlen);
}

/* "10.0.0.1/24", "fd00::1/64", or an address alone (a host prefix). */
static int parse_cidr(const char *cidr, int *family, unsigned char addr[16], unsigned *plen, char *err,
		      size_t errlen)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = cidr ? strchr(cidr, '/') : NULL;
	size_t hlen = slash ? (size_t)(slash - cidr) : (cidr ? strlen(cidr) : 0);
	unsigned max;

	if (!cidr || hlen == 0 || hlen >= sizeof(host))
		goto bad;
	memcpy(host, cidr, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1) {
		*family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, addr) == 1) {
		*family = AF_INET6;
		max = 128;
	} else {
		goto bad;
	}
	*plen = max;
	if (slash) {
		const char *p = slash + 1;
		unsigned v = 0;

		if (!*p || strlen(p) > 3)
			goto bad;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > max)
			goto bad;
		*plen = v;
	}
	return 0;
bad:
	snprintf(err, errlen, "cannot parse address '%s': want ADDRESS/PREFIX", cidr ? cidr : "(null)");
	return -1;
}

int wc_addr_add(const char *ifname, const char *cidr, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg link;
	struct ifaddrmsg ifa = {0};
	unsigned char addr[16];
	unsigned plen;
	int family;
	size_t alen;
	char what[128];

	if (parse_cidr(cidr, &family, addr, &plen, err, errlen) < 0)
		return -1;
	if (link_get(ifname, &link, err, errlen) < 0)
		return -1;
	alen = family == AF_INET ? 4 : 16;
	ifa.ifa_family = (unsigned char)family;
	ifa.ifa_prefixlen = (unsigned char)plen;
	ifa.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = (unsigned)link.ifi_index;
	snprintf(what, sizeof(what), "RTM_NEWADDR %s dev %s", cidr, ifname);
	req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	req_put(&r, &ifa, sizeof(ifa));
	req_attr(&r, IFA_LOCAL, addr, alen);
	req_attr(&r, IFA_ADDRESS, addr, alen);
	return nl_talk(&r, what, NULL, NULL, err, errlen);
}

int wc_route_add_default(const char *ifname, int family, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg link;
	struct rtmsg rtm = {0};
	char what[96];

	if (family != AF_INET && family != AF_INET6) {
		snprintf(err, errlen, "default route dev %s: family %d is neither AF_INET nor AF_INET6",
			 ifname ? ifname : "(null)", family);
		return -1;
	}
	if (link_get(ifname, &link, err, errlen) < 0)
		return -1;
	rtm.rtm_family = (unsigned char)family;
	rtm.rtm_table = RT_TABLE_MAIN;
	rtm.rtm_protocol = RTPROT_BOOT;
	rtm.rtm_scope = family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	rtm.rtm_type = RTN_UNICAST;
	snprintf(what, sizeof(what), "RTM_NEWROUTE default dev %s %s", ifname, family == AF_INET ? "inet" : "inet6");
	req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	req_put(&r, &rtm, sizeof(rtm));
	req_attr_u32(&r, RTA_OIF, (uint32_t)link.ifi_index);
	if (link.ifi_flags & IFF_LOOPBACK) {
		if (family == AF_INET) {
			struct in_addr lo = {.s_addr = htonl(INADDR_LOOPBACK)};
			req_attr(&r, RTA_PREFSRC, &lo, sizeof(lo));
		} else {
			req_attr(&r, RTA_PREFSRC, &in6addr_loopback, sizeof(in6addr_loopback));
		}
	}
	return nl_talk(&r, what, NULL, NULL, err, errlen);
}

int wc_veth_create(const char *name, const char *peer, pid_t peer_pid, char *err, size_t errlen)
{
	struct nl_req r;
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	size_t linkinfo, data, peerinfo;
	char what[64];

	if (check_ifname(name, err, errlen) < 0 || check_ifname(peer, err, errlen) < 0)
		return -1;
	if (peer_pid < 0) {
		snprintf(err, errlen, "veth %s: invalid peer pid %ld", name, (long)peer_pid);
		return -1;
	}
	snprintf(what, sizeof(what), "RTM_NEWLINK veth %s", name);
	req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	req_put(&r, &ifi, sizeof(ifi));
	req_attr_str(&r, IFLA_IFNAME, name);
	linkinfo = req_nest_begin(&r, IFLA_LINKINFO);
	req_attr(&r, IFLA_INFO_KIND, "veth", 4);
	data = req_nest_begin(&r, IFLA_INFO_DATA);
	peerinfo = req_nest_begin(&r, VETH_INFO_PEER);
	req_put(&r, &ifi, sizeof(ifi));
	req_attr_str(&r, IFLA_IFNAME, peer);
	if (peer_pid > 0)
		req_attr_u32(&r, IFLA_NET_NS_PID, (uint32_t)peer_pid);
	req_nest_end(&r, peerinfo);
	req_nest_end(&r, data);
	req_nest_end(&r, linkinfo);
	return nl_talk(&r, what, NULL, NULL, err, errlen);
}

int wc_sysctl_write(const char *path, const char *value, char *err, size_t errlen)
{
	static const char prefix[] = "/proc/sys/";
	size_t n;
	ssize_t w;
	int fd;

	if (!path || strncmp(path, prefix, sizeof(prefix) - 1) != 0 || strstr(path, "/../")) {
		snprintf(err, errlen, "sysctl path '%s' is not under %s", path ? path : "(null)", prefix);
		return -1;
	}
	if (!value) {
		snprintf(err, errlen, "sysctl '%s': no value", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "open '%s': %s", path, strerror(errno));
		return -1;
	}
	/* One write: procfs takes a sysctl value in a single call. */
	n = strlen(value);
	do
		w = write(fd, value, n);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != n) {
		snprintf(err, errlen, "write '%s' to '%s': %s", value, path, w < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "close '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Reads a /proc file whole into buf (NUL-terminated); its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < n) {
		ssize_t r = read(fd, buf + got, n - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	return (ssize_t)got;
}

/* /proc/net/snmp's "Ip:" rows: the values under the names in and out. */
static int snmp_ip(const char *text, unsigned long long *in, unsigned long long *out)
{
	const char *head = strstr(text, "Ip: "), *vals;
	int got = 0;

	if (!head || !(vals = strstr(head + 4, "\nIp: ")))
		return -1;
	vals += 5;
	for (const char *h = head + 4; *h && *h != '\n';) {
		size_t hl = strcspn(h, " \n");
		char *end;
		unsigned long long v = strtoull(vals, &end, 10);

		if (end == vals)
			return -1;
		if (hl == 10 && !strncmp(h, "InReceives", hl)) {
			*in = v;
			got |= 1;
		} else if (hl == 11 && !strncmp(h, "OutRequests", hl)) {
			*out = v;
			got |= 2;
		}
		vals = end + strspn(end, " ");
		h += hl;
		h += strspn(h, " ");
	}
	return got == 3 ? 0 : -1;
}

/* /proc/net/snmp6's "name value" line */
static int snmp6_value(const char *text, const char *name, unsigned long long *v)
{
	size_t nl = strlen(name);

	for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : s)
		if (!strncmp(s, name, nl) && (s[nl] == ' ' || s[nl] == '\t')) {
			*v = strtoull(s + nl, NULL, 10);
			return 0;
		}
	return -1;
}

long wc_in_flight_of(const char *snmp, const char *snmp6)
{
	unsigned long long in4 = 0, out4 = 0, in6 = 0, out6 = 0;

	if (!snmp || snmp_ip(snmp, &in4, &out4) < 0)
		return -1;
	if (snmp6 && (snmp6_value(snmp6, "Ip6InReceives", &in6) < 0 || snmp6_value(snmp6, "Ip6OutRequests", &out6) < 0))
		return -1;
	if (in4 > out4 || in6 > out6)
		return -1; /* fragments counted one by one, or traffic from elsewhere */
	return (long)(out4 - in4 + out6 - in6);
}

long wc_netns_in_flight(void)
{
	char v4[8192], v6[8192];

	if (read_small("/proc/thread-self/net/snmp", v4, sizeof(v4)) < 0)
		return -1;
	/* no IPv6 (disabled): its packets are none */
	return wc_in_flight_of(v4, read_small("/proc/thread-self/net/snmp6", v6, sizeof(v6)) > 0 ? v6 : NULL);
}
