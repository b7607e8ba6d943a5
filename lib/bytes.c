/* bytes.c - a byte queue, appended at its end and taken from its front, and moving it through a socket */
#include "bytes.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define KEEP_MAX 65536 /* the storage an emptied queue keeps */

int wc_bytes_reserve(wc_bytes *b, size_t n)
{
	size_t cap;
	uint8_t *np;

	if (b->off == b->len)
		b->off = b->len = 0;
	if (b->cap - b->len < n && b->off > 0) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < n)
		cap *= 2;
	np = realloc(b->p, cap);
	if (!np)
		return -1; /* LCOV_EXCL_LINE: allocation failure */
	b->p = np;
	b->cap = cap;
	return 0;
}

size_t wc_bytes_used(const wc_bytes *b)
{
	return b->len - b->off;
}

void wc_bytes_trim(wc_bytes *b)
{
	if (b->off != b->len)
		return;
	b->off = b->len = 0;
	if (b->cap > KEEP_MAX) {
		free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

void wc_bytes_free(wc_bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int wc_bytes_send(wc_bytes *b, int fd)
{
	ssize_t n;

	while (b->off < b->len) {
		n = send(fd, b->p + b->off, b->len - b->off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : errno;
		}
		b->off += (size_t)n;
	}
	return 0;
}

int wc_bytes_exchange(int fd, const void *p, size_t len, size_t *sent, int timeout_ms, wc_bytes *in,
		      const char *keeping, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN | (*sent < len ? POLLOUT : 0)};
	ssize_t n;
	int rc;

	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0) {
		if (errno == EINTR)
			return WC_X_OK;
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return WC_X_ERROR;
	}
	if (rc == 0)
		return WC_X_TIMEOUT;
	if (pfd.revents & (POLLIN | POLLERR | POLLHUP)) {
		if (wc_bytes_reserve(in, WC_CHUNK) < 0) {
			/* LCOV_EXCL_START: allocation failure */
			snprintf(err, errlen, "keeping %s: %s", keeping, strerror(ENOMEM));
			return WC_X_ERROR;
			/* LCOV_EXCL_STOP */
		}
		n = recv(fd, in->p + in->len, WC_CHUNK, MSG_DONTWAIT);
		if (n == 0)
			return WC_X_CLOSED;
		if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(err, errlen, "recv: %s", strerror(errno));
			return WC_X_ERROR;
		}
		if (n > 0)
			in->len += (size_t)n;
	}
	if (*sent < len && pfd.revents & POLLOUT) {
		n = send(fd, (const uint8_t *)p + *sent, len - *sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(err, errlen, "send: %s", strerror(errno));
			return WC_X_ERROR;
		}
		if (n > 0)
			*sent += (size_t)n;
	}
	return WC_X_OK;
}
