/* redirect.c - host mode's redirect (issue 19), an LD_PRELOAD shim in the client under test.
 *
 * Where no network namespace of its own (and so no nftables) can be had, a
 * client that sends to a hard-coded address is brought to the reference
 * server here: connect, sendto, sendmsg and sendmmsg of a UDP or TCP socket
 * to an AF_INET or AF_INET6 address other than the reference server's own
 * (127.0.0.1 or ::1 at WIRECHECK_REDIRECT_PORT) go to 127.0.0.1 or ::1 (a
 * v4-mapped ::ffff:127.0.0.1 for a v4-mapped address) at that port instead,
 * and each one's original destination is appended to the file
 * WIRECHECK_TARGETS as a line "udp|tcp 4|6 ADDRESS PORT" (O_APPEND, one
 * write; the harness reads the distinct ones). Replies seem to come from
 * where the client aimed (recvfrom, recvmsg, getpeername), as conntrack
 * makes them in namespace mode: a client that checks a reply's source
 * accepts it. No malloc, no stdio: what runs
 * here is open, write, close, inet_ntop and snprintf-free formatting.
 * A statically linked program does not load it: its targets are not recorded.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);
typedef int (*sendmmsg_fn)(int, struct mmsghdr *, unsigned int, int);
typedef ssize_t (*recvfrom_fn)(int, void *, size_t, int, struct sockaddr *, socklen_t *);
typedef ssize_t (*recvmsg_fn)(int, struct msghdr *, int);
typedef int (*getpeername_fn)(int, struct sockaddr *, socklen_t *);

/* each socket's last original destination, what its replies are shown from */
#define MAX_FD 1024
static struct {
	struct sockaddr_in6 sa; /* large enough for both families */
	socklen_t len;
} aimed[MAX_FD];

static void remember(int fd, const struct sockaddr *sa, socklen_t len)
{
	if (fd < 0 || fd >= MAX_FD || len > (socklen_t)sizeof(aimed[fd].sa))
		return;
	memcpy(&aimed[fd].sa, sa, len);
	aimed[fd].len = len;
}

static uint16_t port_to(void)
{
	const char *s = getenv("WIRECHECK_REDIRECT_PORT");
	unsigned long v = 0;

	if (!s || !*s)
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	return *s || v == 0 || v > 65535 ? 0 : (uint16_t)v;
}

static char *put(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

/* appends "proto family address port\n" to WIRECHECK_TARGETS */
static void record(int stype, int family, const void *addr, uint16_t port)
{
	const char *path = getenv("WIRECHECK_TARGETS");
	char line[128], a[INET6_ADDRSTRLEN], num[8], *p = line, *end = line + sizeof(line) - 1;
	int fd, k = (int)sizeof(num);
	int saved = errno;

	if (!path || !*path || !inet_ntop(family, addr, a, sizeof(a)))
		return;
	num[--k] = '\0';
	do
		num[--k] = (char)('0' + port % 10);
	while ((port /= 10) && k > 0);
	p = put(p, end, stype == SOCK_STREAM ? "tcp " : "udp ");
	p = put(p, end, family == AF_INET6 ? "6 " : "4 ");
	p = put(p, end, a);
	p = put(p, end, " ");
	p = put(p, end, num + k);
	*p++ = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t w = write(fd, line, (size_t)(p - line));
		(void)w;
		close(fd);
	}
	errno = saved;
}

/* The destination to use instead of sa (in *out, its length in *outlen), and
 * the original recorded; 0 when sa is left as it is. */
static int rewrite(int fd, const struct sockaddr *sa, socklen_t len, struct sockaddr_storage *out, socklen_t *outlen)
{
	static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	uint16_t to = port_to();
	int stype = 0;
	socklen_t sl = sizeof(stype);
	int saved = errno;

	if (!sa || !to)
		return 0;
	if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &stype, &sl) < 0 || (stype != SOCK_DGRAM && stype != SOCK_STREAM)) {
		errno = saved;
		return 0;
	}
	errno = saved;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		struct sockaddr_in *o = (struct sockaddr_in *)out;
		if (len < (socklen_t)sizeof(*in))
			return 0;
		if (in->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(in->sin_port) == to)
			return 0; /* the reference server itself */
		record(stype, AF_INET, &in->sin_addr, ntohs(in->sin_port));
		remember(fd, sa, sizeof(*in));
		memset(out, 0, sizeof(*out));
		*o = *in;
		o->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		o->sin_port = htons(to);
		*outlen = sizeof(*o);
		return 1;
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		struct sockaddr_in6 *o = (struct sockaddr_in6 *)out;
		int mapped;
		if (len < (socklen_t)sizeof(*in6))
			return 0;
		mapped = !memcmp(in6->sin6_addr.s6_addr, v4mapped, 12);
		if (ntohs(in6->sin6_port) == to &&
		    (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		     (mapped && !memcmp(in6->sin6_addr.s6_addr + 12, "\x7f\0\0\x01", 4))))
			return 0;
		/* a v4-mapped destination leaves as IPv4: recorded as nftables sees it */
		if (mapped)
			record(stype, AF_INET, in6->sin6_addr.s6_addr + 12, ntohs(in6->sin6_port));
		else
			record(stype, AF_INET6, &in6->sin6_addr, ntohs(in6->sin6_port));
		remember(fd, sa, sizeof(*in6));
		memset(out, 0, sizeof(*out));
		*o = *in6;
		o->sin6_scope_id = 0;
		if (mapped)
			memcpy(o->sin6_addr.s6_addr + 12, "\x7f\0\0\x01", 4);
		else
			o->sin6_addr = in6addr_loopback;
		o->sin6_port = htons(to);
		*outlen = sizeof(*o);
		return 1;
	}
}

int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	static connect_fn real;
	struct sockaddr_storage ss;
	socklen_t sl;

	if (!real)
		real = (connect_fn)dlsym(RTLD_NEXT, "connect");
	if (rewrite(fd, sa, len, &ss, &sl))
		return real(fd, (struct sockaddr *)&ss, sl);
	return real(fd, sa, len);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *sa, socklen_t len)
{
	static sendto_fn real;
	struct sockaddr_storage ss;
	socklen_t sl;

	if (!real)
		real = (sendto_fn)dlsym(RTLD_NEXT, "sendto");
	if (rewrite(fd, sa, len, &ss, &sl))
		return real(fd, buf, n, flags, (struct sockaddr *)&ss, sl);
	return real(fd, buf, n, flags, sa, len);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static sendmsg_fn real;
	struct sockaddr_storage ss;
	socklen_t sl;

	if (!real)
		real = (sendmsg_fn)dlsym(RTLD_NEXT, "sendmsg");
	if (msg && rewrite(fd, msg->msg_name, msg->msg_namelen, &ss, &sl)) {
		struct msghdr m = *msg;
		m.msg_name = &ss;
		m.msg_namelen = sl;
		return real(fd, &m, flags);
	}
	return real(fd, msg, flags);
}

int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	static sendmmsg_fn real;
	struct sockaddr_storage ss[16];
	void *name[16];
	socklen_t namelen[16];
	int rc;

	if (!real)
		real = (sendmmsg_fn)dlsym(RTLD_NEXT, "sendmmsg");
	if (n > 16)
		n = 16; /* sendmmsg may send fewer than asked; the caller sends the rest */
	for (unsigned int i = 0; v && i < n; i++) {
		socklen_t sl;
		name[i] = v[i].msg_hdr.msg_name;
		namelen[i] = v[i].msg_hdr.msg_namelen;
		if (rewrite(fd, name[i], namelen[i], &ss[i], &sl)) {
			v[i].msg_hdr.msg_name = &ss[i];
			v[i].msg_hdr.msg_namelen = sl;
		}
	}
	rc = real(fd, v, n, flags);
	for (unsigned int i = 0; v && i < n; i++) {
		v[i].msg_hdr.msg_name = name[i];
		v[i].msg_hdr.msg_namelen = namelen[i];
	}
	return rc;
}

/* sa (its room *len) names the reference server: shown as where fd aimed */
static void unrewrite(int fd, struct sockaddr *sa, socklen_t *len)
{
	uint16_t to = port_to();
	socklen_t have;
	int ref = 0;

	if (!sa || !len || !to || fd < 0 || fd >= MAX_FD || !aimed[fd].len)
		return;
	have = *len;
	if (sa->sa_family == AF_INET && have >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		ref = in->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(in->sin_port) == to;
	} else if (sa->sa_family == AF_INET6 && have >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		ref = ntohs(in6->sin6_port) == to &&
		      (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && !memcmp(in6->sin6_addr.s6_addr + 12, "\x7f\0\0\x01", 4)));
	}
	if (!ref || aimed[fd].sa.sin6_family != sa->sa_family)
		return;
	memcpy(sa, &aimed[fd].sa, have < aimed[fd].len ? have : aimed[fd].len);
	*len = aimed[fd].len;
}

ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *sa, socklen_t *len)
{
	static recvfrom_fn real;
	ssize_t rc;

	if (!real)
		real = (recvfrom_fn)dlsym(RTLD_NEXT, "recvfrom");
	rc = real(fd, buf, n, flags, sa, len);
	if (rc >= 0)
		unrewrite(fd, sa, len);
	return rc;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static recvmsg_fn real;
	ssize_t rc;

	if (!real)
		real = (recvmsg_fn)dlsym(RTLD_NEXT, "recvmsg");
	rc = real(fd, msg, flags);
	if (rc >= 0 && msg)
		unrewrite(fd, msg->msg_name, &msg->msg_namelen);
	return rc;
}

int getpeername(int fd, struct sockaddr *sa, socklen_t *len)
{
	static getpeername_fn real;
	int rc;

	if (!real)
		real = (getpeername_fn)dlsym(RTLD_NEXT, "getpeername");
	rc = real(fd, sa, len);
	if (rc == 0)
		unrewrite(fd, sa, len);
	return rc;
}
