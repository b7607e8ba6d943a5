/* capture.c - libpcap capture thread: frames to a pcap file until told to stop, drops counted */
#include "sandbox/capture.h"

#include <errno.h>
#include <poll.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
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
	long long bytes;                /* written to the file */
	unsigned long over;             /* past WC_CAPTURE_MAX_BYTES: counted only */
	unsigned long long over_bytes;
	char ifname[32];
	char path[1024];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int state;            /* OPENING, then RUNNING or FAILED */
	struct wc_capture *next_closing;
	char err[256];
	uint16_t keep[32];    /* the ports whose frames are kept (wc_capture_keep_port) */
	int nkeep;
	int scoped;           /* a filter keeps the scenario's ports only (wc_capture_open_scoped) */
	int linktype;
};

static int attach_filter(wc_capture *c, char *err, size_t errlen);

enum { OPENING, RUNNING, FAILED };

/* Captures stopped but whose socket is still open (see wc_capture_release). */
static wc_capture *closing;

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
	if (c->bytes + (long long)h->caplen > WC_CAPTURE_MAX_BYTES) {
		c->over++;
		c->over_bytes += h->len;
		return;
	}
	pcap_dump((u_char *)c->dump, h, bytes);
	c->bytes += (long long)h->caplen + 16; /* and its record header */
	c->frames++;
}

static void discard_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user;
	(void)h;
	(void)bytes;
}

/* Opens the interface and the file (pcap_activate waits for the kernel's RCU
 * grace periods, ~10 ms, which is why this runs on the capture's own thread).
 * 0, or -1 with the reason in c->err. */
static int activate(wc_capture *c)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int rc;

	c->pc = pcap_create(c->ifname, ebuf);
	if (!c->pc) {
		snprintf(c->err, sizeof(c->err), "pcap_create %s: %s", c->ifname, ebuf);
		return -1;
	}
	/* Immediate mode gives a TPACKET_V2 ring whose every slot holds a whole
	 * snap length: the largest loopback frame (MTU 65536 + Ethernet header)
	 * and no more, so 64 MiB hold ~1000 frames while the thread writes: a
	 * whole burst of the busiest scenario (udp-echo/many-datagrams, 256
	 * requests and 256 replies) even when a loaded machine leaves this
	 * thread no CPU meanwhile. 16 MiB (~250 frames) dropped 44 frames of it
	 * in one of ten it-grade.sh runs beside a sanitizer build. The ring's
	 * size hardly matters to the time it takes; the socket's setup and close
	 * do (README, Performance). */
	pcap_set_snaplen(c->pc, WC_CAPTURE_SNAPLEN);
	pcap_set_immediate_mode(c->pc, 1);
	pcap_set_buffer_size(c->pc, 64 << 20);
	pcap_set_promisc(c->pc, 0);
	rc = pcap_activate(c->pc);
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "pcap_activate %s: %s", c->ifname, pcap_geterr(c->pc));
		return -1;
	}
	if (!strcmp(c->ifname, "lo")) {
		/* Loopback shows every frame twice, leaving and arriving; libpcap
		 * drops the first copy only after it took a slot in the ring.
		 * The kernel can keep it out (Linux 4.20). */
		int one = 1;
		if (setsockopt(pcap_fileno(c->pc), SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
			snprintf(c->err, sizeof(c->err), "setsockopt PACKET_IGNORE_OUTGOING: %s", strerror(errno));
			return -1;
		}
	}
	c->linktype = pcap_datalink(c->pc);
	if (c->scoped && attach_filter(c, c->err, sizeof(c->err)) < 0)
		return -1;
	if (pcap_setnonblock(c->pc, 1, ebuf) < 0) {
		snprintf(c->err, sizeof(c->err), "pcap_setnonblock: %s", ebuf);
		return -1;
	}
	/* The socket took every frame from pcap_activate until the filter (none
	 * yet: "less 1") was attached, and the program starts meanwhile: a flood
	 * elsewhere from its first instant had its first frames in the ring,
	 * ICMP and all (rootless, in 2 of 12 runs). None of them is the
	 * scenario's: its exchanges wait for this capture to run, and the
	 * filter lets nothing through until a port is kept (wc_capture_ready
	 * first), so the ring is emptied here. */
	if (c->scoped)
		while (pcap_dispatch(c->pc, -1, discard_frame, NULL) > 0)
			;
	c->dump = pcap_dump_open(c->pc, c->path);
	if (!c->dump) {
		snprintf(c->err, sizeof(c->err), "cannot write '%s': %s", c->path, pcap_geterr(c->pc));
		return -1;
	}
	return 0;
}

static void *loop(void *arg)
{
	wc_capture *c = arg;
	struct pollfd pfd[2];
	int rc = activate(c);

	pthread_mutex_lock(&c->lock);
	c->state = rc == 0 ? RUNNING : FAILED;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	if (rc < 0)
		return NULL;
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

static wc_capture *open_capture(const char *ifname, const char *path, int scoped, char *err, size_t errlen)
{
	wc_capture *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->stop_fd = -1;
	c->scoped = scoped;
	if (snprintf(c->ifname, sizeof(c->ifname), "%s", ifname) >= (int)sizeof(c->ifname) ||
	    snprintf(c->path, sizeof(c->path), "%s", path) >= (int)sizeof(c->path)) {
		snprintf(err, errlen, "the interface name or capture path is too long: '%s'", path);
		goto fail;
	}
	if (wc_mkdir_parents(path) < 0) {
		snprintf(err, errlen, "cannot make the folder of '%s': %s", path, strerror(errno));
		goto fail;
	}
	c->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (c->stop_fd < 0) {
		snprintf(err, errlen, "eventfd: %s", strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	rc = pthread_create(&c->thread, NULL, loop, c);
	if (rc) {
		snprintf(err, errlen, "pthread_create: %s", strerror(rc));
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
		goto fail;
	}
	return c;
fail:
	if (c->stop_fd >= 0)
		close(c->stop_fd);
	free(c);
	return NULL;
}

wc_capture *wc_capture_open(const char *ifname, const char *path, char *err, size_t errlen)
{
	return open_capture(ifname, path, 0, err, errlen);
}

wc_capture *wc_capture_open_scoped(const char *ifname, const char *path, char *err, size_t errlen)
{
	return open_capture(ifname, path, 1, err, errlen);
}

int wc_capture_ready(wc_capture *c, char *err, size_t errlen)
{
	int state;

	pthread_mutex_lock(&c->lock);
	while (c->state == OPENING)
		pthread_cond_wait(&c->cond, &c->lock);
	state = c->state;
	pthread_mutex_unlock(&c->lock);
	if (state == FAILED) {
		snprintf(err, errlen, "%s", c->err);
		return -1;
	}
	return 0;
}

wc_capture *wc_capture_start(const char *ifname, const char *path, char *err, size_t errlen)
{
	wc_capture *c = wc_capture_open(ifname, path, err, errlen);
	wc_capture_stats st;
	char ignored[8];

	if (c && wc_capture_ready(c, err, errlen) < 0) {
		wc_capture_stop(c, &st, ignored, sizeof(ignored));
		return NULL;
	}
	return c;
}

int wc_capture_stop(wc_capture *c, wc_capture_stats *st, char *err, size_t errlen)
{
	uint64_t one = 1;
	struct pcap_stat ps;
	int rc = 0;
	ssize_t w;

	memset(st, 0, sizeof(*st));
	if (wc_capture_ready(c, err, errlen) < 0) {
		rc = -1;
	} else {
		w = write(c->stop_fd, &one, sizeof(one));
		(void)w;
	}
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	close(c->stop_fd);
	c->stop_fd = -1;
	if (rc == 0) {
		if (pcap_stats(c->pc, &ps) == 0) {
			st->recv = ps.ps_recv;
			st->drop = ps.ps_drop;
			st->ifdrop = ps.ps_ifdrop;
		}
		st->frames = c->frames;
		st->over = c->over;
		st->over_bytes = c->over_bytes;
		if (c->err[0]) {
			snprintf(err, errlen, "%s", c->err);
			rc = -1;
		}
		if (pcap_dump_flush(c->dump) < 0 && rc == 0) {
			snprintf(err, errlen, "cannot write the capture file: %s", strerror(errno));
			rc = -1;
		}
	}
	if (c->dump)
		pcap_dump_close(c->dump);
	c->dump = NULL;
	/* The file is whole; the socket's close waits for the kernel (two RCU
	 * grace periods, ~25 ms), so it is left to wc_capture_release. */
	c->next_closing = closing;
	closing = c;
	return rc;
}

/* Attaches the kernel filter of c->keep (none yet: no frame at all). */
static int attach_filter(wc_capture *c, char *err, size_t errlen)
{
	char expr[32 * 16 + 64];
	size_t o = 0;
	struct bpf_program prog;
	struct sock_fprog fprog;
	pcap_t *dead;
	int rc;

	/* no ICMP: the port-unreachable answers to a flood elsewhere are as many
	 * as the flood, and no check reads ICMP */
	for (int i = 0; i < c->nkeep; i++)
		o += (size_t)snprintf(expr + o, sizeof(expr) - o, "%sport %u", i ? " or " : "", c->keep[i]);
	if (!c->nkeep)
		snprintf(expr, sizeof(expr), "less 1"); /* nothing yet */
	/* compiled on a handle of its own: the live one is the capture thread's */
	dead = pcap_open_dead(c->linktype, WC_CAPTURE_SNAPLEN);
	if (!dead || pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "cannot compile the capture filter '%s': %s", expr,
			 dead ? pcap_geterr(dead) : "out of memory");
		if (dead)
			pcap_close(dead);
		return -1;
	}
	pcap_close(dead);
	/* the kernel swaps the filter at once; struct bpf_insn is struct sock_filter */
	fprog.len = (unsigned short)prog.bf_len;
	fprog.filter = (struct sock_filter *)prog.bf_insns;
	rc = setsockopt(pcap_fileno(c->pc), SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog));
	if (rc < 0)
		snprintf(err, errlen, "setsockopt SO_ATTACH_FILTER: %s", strerror(errno));
	pcap_freecode(&prog);
	return rc < 0 ? -1 : 0;
}

int wc_capture_keep_port(wc_capture *c, uint16_t port, char *err, size_t errlen)
{
	if (wc_capture_ready(c, err, errlen) < 0)
		return -1;
	if (!c->scoped)
		return 0; /* it keeps everything */
	for (int i = 0; i < c->nkeep; i++)
		if (c->keep[i] == port)
			return 0;
	if (c->nkeep == (int)(sizeof(c->keep) / sizeof(c->keep[0])))
		return 0; /* more ports than a scenario has: keep the filter as it is (wider is safe) */
	c->keep[c->nkeep++] = port;
	return attach_filter(c, err, errlen);
}

int wc_capture_denied(char *err, size_t errlen)
{
	/* protocol 0: the socket receives nothing, and its close does not wait
	 * for the kernel as a capture's does */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != EPERM && errno != EACCES)
		return 0;
	snprintf(err, errlen, "socket AF_PACKET: %s", strerror(errno));
	return 1;
}

void wc_capture_release(void)
{
	while (closing) {
		wc_capture *c = closing;
		closing = c->next_closing;
		if (c->pc)
			pcap_close(c->pc);
		free(c);
	}
}
