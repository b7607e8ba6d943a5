/* srvtx.c - what a reference server's sockets did, appended to a file the harness names (no capture: no CAP_NET_RAW) */
#include "srvtx.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int tx_fd = -1;
static atomic_ulong tx_next; /* connections named so far: threads name theirs too */

int wc_srvtx_open(char *err, size_t errlen)
{
	const char *path = getenv(WC_SRVTX_ENV);

	if (!path || !*path || tx_fd >= 0)
		return 0;
	tx_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (tx_fd < 0) {
		snprintf(err, errlen, "cannot open the transcript '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int wc_srvtx_on(void)
{
	return tx_fd >= 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* "ADDR PORT" of a, numeric */
static void addr_fields(const struct sockaddr_storage *ss, char *buf, size_t n)
{
	char host[INET6_ADDRSTRLEN] = "0.0.0.0";
	unsigned port = 0;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
	}
	snprintf(buf, n, "%s %u", host, port);
}

/* One record: the line head, then n bytes of p, in one write() (O_APPEND:
 * records of other threads and processes cannot come between). A record the
 * file does not take whole is lost; the harness then reads a file cut short
 * or out of step, and says so. */
static void put(const char *head, const uint8_t *p, size_t n)
{
	struct iovec iov[2] = {{(void *)head, strlen(head)}, {(void *)p, n}};
	ssize_t w;

	do
		w = writev(tx_fd, iov, n ? 2 : 1);
	while (w < 0 && errno == EINTR);
}

void wc_srvtx_accept(int fd, const wc_addr *peer, char *conn)
{
	struct sockaddr_storage local;
	socklen_t l = sizeof(local);
	char head[256], la[80], pa[80];

	conn[0] = 0;
	if (tx_fd < 0)
		return;
	snprintf(conn, 32, "%d.%lu", (int)getpid(), (unsigned long)atomic_fetch_add(&tx_next, 1) + 1);
	memset(&local, 0, sizeof(local));
	if (getsockname(fd, (struct sockaddr *)&local, &l) < 0)
		local.ss_family = AF_UNSPEC;
	addr_fields(&local, la, sizeof(la));
	addr_fields(&peer->ss, pa, sizeof(pa));
	snprintf(head, sizeof(head), "%lld %s accept %s %s\n", now_us(), conn, la, pa);
	put(head, NULL, 0);
}

void wc_srvtx_data(const char *conn, const char *kind, const uint8_t *p, size_t n)
{
	char head[96];

	if (tx_fd < 0 || !conn[0])
		return;
	for (size_t done = 0; done < n; done += WC_SRVTX_MAX_LEN) {
		size_t k = n - done < WC_SRVTX_MAX_LEN ? n - done : WC_SRVTX_MAX_LEN;
		snprintf(head, sizeof(head), "%lld %s %s %zu\n", now_us(), conn, kind, k);
		put(head, p + done, k);
	}
}

void wc_srvtx_event(const char *conn, const char *kind)
{
	char head[96];

	if (tx_fd < 0 || !conn[0])
		return;
	snprintf(head, sizeof(head), "%lld %s %s\n", now_us(), conn, kind);
	put(head, NULL, 0);
}

void wc_srvtx_udp(int fd, const char *kind, const wc_addr *peer, const uint8_t *p, size_t n)
{
	struct sockaddr_storage local;
	socklen_t l = sizeof(local);
	char head[256], la[80], pa[80];

	if (tx_fd < 0)
		return;
	memset(&local, 0, sizeof(local));
	if (getsockname(fd, (struct sockaddr *)&local, &l) < 0)
		local.ss_family = AF_UNSPEC;
	addr_fields(&local, la, sizeof(la));
	addr_fields(&peer->ss, pa, sizeof(pa));
	if (n > WC_SRVTX_MAX_LEN)
		n = WC_SRVTX_MAX_LEN; /* no UDP payload is longer */
	snprintf(head, sizeof(head), "%lld - %s %s %s %zu\n", now_us(), kind, la, pa, n);
	put(head, p, n);
}
