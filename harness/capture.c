/* capture.c - libpcap capture thread: frames to a pcap file until told to stop, drops counted */
#include "capture.h"

#include <errno.h>
#include <poll.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct wc_capture {
	pcap_t *pc;
	pcap_dumper_t *dump;
	int stop_fd;
	pthread_t thread;
	unsigned long frames;
	char err[256];
};

int wc_mkdir_parents(const char *path)
{
	char tmp[1024];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	wc_capture *c = (wc_capture *)user;
	pcap_dump((u_char *)c->dump, h, bytes);
	c->frames++;
}

static void *loop(void *arg)
{
	wc_capture *c = arg;
	struct pollfd pfd[2];

	pfd[0].fd = pcap_get_selectable_fd(c->pc);
	pfd[0].events = POLLIN;
	pfd[1].fd = c->stop_fd;
	pfd[1].events = POLLIN;
	for (;;) {
		int r = poll(pfd, 2, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(c->err, sizeof(c->err), "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents && pcap_dispatch(c->pc, -1, on_frame, (u_char *)c) < 0) {
			snprintf(c->err, sizeof(c->err), "pcap_dispatch: %s", pcap_geterr(c->pc));
			break;
		}
		if (pfd[1].revents)
			break;
	}
	/* what is queued already belongs to the scenario */
	while (pcap_dispatch(c->pc, -1, on_frame, (u_char *)c) > 0)
		;
	return NULL;
}

wc_capture *wc_capture_start(const char *ifname, const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	wc_capture *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->stop_fd = -1;
	if (wc_mkdir_parents(path) < 0) {
		snprintf(err, errlen, "cannot make the folder of '%s': %s", path, strerror(errno));
		goto fail;
	}
	c->pc = pcap_create(ifname, ebuf);
	if (!c->pc) {
		snprintf(err, errlen, "pcap_create %s: %s", ifname, ebuf);
		goto fail;
	}
	/* Immediate mode gives a TPACKET_V2 ring whose every slot holds a whole
	 * snap length: the largest loopback frame (MTU 65536 + Ethernet header)
	 * and no more, so 16 MiB hold ~250 frames while the thread writes (the ring is
	 * allocated, zeroed and freed per scenario: 48 MiB cost ~40 ms of each, see
	 * README, Performance). */
	pcap_set_snaplen(c->pc, WC_CAPTURE_SNAPLEN);
	pcap_set_immediate_mode(c->pc, 1);
	pcap_set_buffer_size(c->pc, 16 << 20);
	pcap_set_promisc(c->pc, 0);
	rc = pcap_activate(c->pc);
	if (rc < 0) {
		snprintf(err, errlen, "pcap_activate %s: %s", ifname, pcap_geterr(c->pc));
		goto fail;
	}
	if (!strcmp(ifname, "lo")) {
		/* Loopback shows every frame twice, leaving and arriving; libpcap
		 * drops the first copy only after it took a slot in the ring.
		 * The kernel can keep it out (Linux 4.20). */
		int one = 1;
		if (setsockopt(pcap_fileno(c->pc), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
			snprintf(err, errlen, "setsockopt PACKET_IGNORE_OUTGOING: %s", strerror(errno));
			goto fail;
		}
	}
	if (pcap_setnonblock(c->pc, 1, ebuf) < 0) {
		snprintf(err, errlen, "pcap_setnonblock: %s", ebuf);
		goto fail;
	}
	c->dump = pcap_dump_open(c->pc, path);
	if (!c->dump) {
		snprintf(err, errlen, "cannot write '%s': %s", path, pcap_geterr(c->pc));
		goto fail;
	}
	c->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (c->stop_fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	rc = pthread_create(&c->thread, NULL, loop, c);
	if (rc) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		goto fail;
	}
	return c;
fail:
	if (c->dump)
		pcap_dump_close(c->dump);
	if (c->pc)
		pcap_close(c->pc);
	if (c->stop_fd >= 0)
		close(c->stop_fd);
	free(c);
	return NULL;
}

int wc_capture_stop(wc_capture *c, wc_capture_stats *st, char *err, size_t errlen)
{
	uint64_t one = 1;
	struct pcap_stat ps;
	int rc = 0;
	ssize_t w;

	memset(st, 0, sizeof(*st));
	w = write(c->stop_fd, &one, sizeof(one));
	(void)w;
	pthread_join(c->thread, NULL);
	if (pcap_stats(c->pc, &ps) == 0) {
		st->recv = ps.ps_recv;
		st->drop = ps.ps_drop;
		st->ifdrop = ps.ps_ifdrop;
	}
	st->frames = c->frames;
	if (c->err[0]) {
		snprintf(err, errlen, "%s", c->err);
		rc = -1;
	}
	if (pcap_dump_flush(c->dump) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot write the capture file: %s", strerror(errno));
		rc = -1;
	}
	pcap_dump_close(c->dump);
	pcap_close(c->pc);
	close(c->stop_fd);
	free(c);
	return rc;
}
