/* sock.c - socket helpers that say which call failed and why */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int wc_parse_port(const char *s, uint16_t *out)
{
	char *end;
	unsigned long v;

	*out = 0;
	/* digits only: strtoul() would take leading blanks and a sign */
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int wc_addr_parse(const char *host, uint16_t port, wc_addr *out, char *err, size_t errlen)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!host || !*host || !strcmp(host, "*")) {
		in4->sin_family = AF_INET;
		in4->sin_addr.s_addr = htonl(INADDR_ANY);
		in4->sin_port = htons(port);
		out->len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		out->len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		out->len = sizeof(*in6);
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = (socklen_t)res->ai_addrlen;
	freeaddrinfo(res);
	wc_addr_set_port(out, port);
	return 0;
}

void wc_addr_str(const wc_addr *a, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (a->ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&a->ss)->sin6_addr, ip, sizeof(ip));
		snprintf(buf, n, "[%s]:%u", ip, wc_addr_port(a));
	} else {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&a->ss)->sin_addr, ip, sizeof(ip));
		snprintf(buf, n, "%s:%u", ip, wc_addr_port(a));
	}
}

uint16_t wc_addr_port(const wc_addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
}

void wc_addr_set_port(wc_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
}

#define BOUND_REUSE 1 /* SO_REUSEADDR */
#define BOUND_DUAL 2  /* an IPv6 socket takes IPv4 too: IPV6_V6ONLY off */

/* A socket of 'type' (SOCK_* flags allowed) bound to *bind_to (NULL: unbound,
 * IPv4). Returns the fd, or -1 with the failed call in err. */
static int open_bound(int type, const wc_addr *bind_to, int flags, char *err, size_t errlen)
{
	int family = bind_to ? bind_to->ss.ss_family : AF_INET;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);
	int one = 1, off = 0;
	char name[80];

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (flags & BOUND_REUSE && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		snprintf(err, errlen, "setsockopt SO_REUSEADDR: %s", strerror(errno));
		goto fail;
	}
	if (flags & BOUND_DUAL && family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) {
		snprintf(err, errlen, "setsockopt IPV6_V6ONLY: %s", strerror(errno));
		goto fail;
	}
	if (bind_to && bind(fd, (const struct sockaddr *)&bind_to->ss, bind_to->len) < 0) {
		wc_addr_str(bind_to, name, sizeof(name));
		snprintf(err, errlen, "bind %s: %s", name, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Makes fd (-1: a failure already in err) listen. Returns fd, or -1. */
static int start_listening(int fd, int backlog, char *err, size_t errlen)
{
	if (fd >= 0 && listen(fd, backlog) < 0) {
		snprintf(err, errlen, "listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int wc_udp_socket(const wc_addr *bind_to, char *err, size_t errlen)
{
	return open_bound(SOCK_DGRAM, bind_to, 0, err, errlen);
}

int wc_tcp_listen(const wc_addr *bind_to, int backlog, char *err, size_t errlen)
{
	return start_listening(open_bound(SOCK_STREAM, bind_to, BOUND_REUSE, err, errlen), backlog, err, errlen);
}

int wc_udp_server_socket(const wc_addr *bind_to, char *err, size_t errlen)
{
	return open_bound(SOCK_DGRAM, bind_to, BOUND_DUAL, err, errlen);
}

int wc_tcp_server_socket(const wc_addr *bind_to, char *err, size_t errlen)
{
	int fd = open_bound(SOCK_STREAM | SOCK_NONBLOCK, bind_to, BOUND_REUSE | BOUND_DUAL, err, errlen);

	return start_listening(fd, SOMAXCONN, err, errlen);
}

int wc_tcp_connect(const wc_addr *to, char *err, size_t errlen)
{
	int fd = socket(to->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char name[80];

	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	while (connect(fd, (const struct sockaddr *)&to->ss, to->len) < 0) {
		if (errno == EINTR)
			continue;
		wc_addr_str(to, name, sizeof(name));
		snprintf(err, errlen, "connect %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int wc_tcp_connect_timeout(const wc_addr *to, int timeout_ms, char *err, size_t errlen)
{
	int fd = socket(to->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	socklen_t sl = sizeof(int);
	char name[80];
	int rc, soerr = 0;

	wc_addr_str(to, name, sizeof(name));
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR) {
		snprintf(err, errlen, "cannot connect to %s: %s", name, strerror(errno));
		goto fail;
	}
	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		snprintf(err, errlen, "poll: %s", strerror(errno));
		goto fail;
	}
	if (rc == 0) {
		snprintf(err, errlen, "cannot connect to %s: no answer within %d ms", name, timeout_ms);
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr) {
		snprintf(err, errlen, "cannot connect to %s: %s", name, strerror(soerr));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int wc_set_nonblock(int fd, int on, char *err, size_t errlen)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0) {
		snprintf(err, errlen, "fcntl O_NONBLOCK: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int wc_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}
