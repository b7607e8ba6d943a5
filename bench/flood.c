/* bench/flood.c - UDP datagrams at a steady rate, for the capture fidelity bench.
 *
 *   flood ADDR PORT RATE MS LEN
 *
 * Sends RATE datagrams a second of LEN bytes (lower-case letters) to ADDR:PORT
 * for MS milliseconds, in 1 ms slices with sendmmsg(), draining the replies
 * without looking at them. Prints "sent N replies M ms T" on standard output.
 * bench/run compiles it with cc and runs it inside a scenario's network
 * namespace (nsenter), so the harness's capture sees every frame. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to;
	static char buf[65536], rbuf[65536];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	long long sent = 0, replies = 0;
	double start, end, rate;
	int fd, len;

	if (argc != 6) {
		fprintf(stderr, "usage: flood ADDR PORT RATE MS LEN\n");
		return 2;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "flood: bad address %s\n", argv[1]);
		return 2;
	}
	rate = atof(argv[3]);
	len = atoi(argv[5]);
	if (len < 1 || len > (int)sizeof(buf))
		len = 64;
	memset(buf, 'x', (size_t)len);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("flood: socket");
		return 1;
	}
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buf;
		iov[i].iov_len = (size_t)len;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	end = start + atoi(argv[4]) / 1000.0;
	for (;;) {
		double t = now();
		long long due;
		if (t >= end)
			break;
		due = (long long)((t - start) * rate) + 1;
		while (sent < due) {
			int n = (int)(due - sent < BATCH ? due - sent : BATCH);
			int w = sendmmsg(fd, msgs, (unsigned)n, 0);
			if (w <= 0) {
				if (w < 0 && errno != EAGAIN && errno != ENOBUFS && errno != ECONNREFUSED)
					perror("flood: sendmmsg");
				break;
			}
			sent += w;
		}
		while (recv(fd, rbuf, sizeof(rbuf), 0) > 0)
			replies++;
		/* the rest of this millisecond */
		struct timespec ts = {0, 200000};
		nanosleep(&ts, NULL);
	}
	while (recv(fd, rbuf, sizeof(rbuf), 0) > 0)
		replies++;
	printf("sent %lld replies %lld ms %.0f\n", sent, replies, (now() - start) * 1000);
	return 0;
}
