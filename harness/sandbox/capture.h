/* capture.h - live capture of a scenario's interface into a pcap file (libpcap) */
#ifndef WC_CAPTURE_H
#define WC_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#define WC_CAPTURE_SNAPLEN (65536 + 14)
/* A scenario's pcap holds at most this many bytes of frames; what comes after
 * is counted, not written (a program that floods cannot fill the grader's disk
 * or memory with its captures). The largest scenario writes about 2 MiB. */
#define WC_CAPTURE_MAX_BYTES (64LL << 20)

typedef struct wc_capture wc_capture;

typedef struct wc_capture_stats {
	unsigned long frames;   /* written to the file */
	unsigned long over;     /* frames past WC_CAPTURE_MAX_BYTES: counted, not written */
	unsigned long long over_bytes;
	unsigned recv;          /* pcap_stats ps_recv */
	unsigned drop;          /* pcap_stats ps_drop: lost in the kernel buffer */
	unsigned ifdrop;        /* pcap_stats ps_ifdrop */
} wc_capture_stats;

/*
 * Starts capturing ifname of the calling process's network namespace (immediate
 * mode, full snap length) into path (folders are made). The interface is opened
 * on the capture's own thread, because that takes the kernel ~10 ms of waiting:
 * frames are captured from the moment wc_capture_ready returns 0, and the
 * caller can start its programs meanwhile. NULL on failure, reason in err.
 */
wc_capture *wc_capture_open(const char *ifname, const char *path, char *err, size_t errlen);
/* The same, for a scenario whose traffic all goes to or from ports it names
 * (a server under test): until wc_capture_keep_port names the first, the
 * kernel keeps no frame, so that what a program sends before it binds (a
 * flood elsewhere) is never written. */
wc_capture *wc_capture_open_scoped(const char *ifname, const char *path, char *err, size_t errlen);
/* Waits until the interface is open: 0, or -1 with the reason in err (then
 * wc_capture_stop still has to be called). */
int wc_capture_ready(wc_capture *c, char *err, size_t errlen);
/* wc_capture_open and wc_capture_ready: the capture is running when this
 * returns. NULL on failure, reason in err. */
wc_capture *wc_capture_start(const char *ifname, const char *path, char *err, size_t errlen);
/* Takes the frames still queued, stops, closes the file and fills *st.
 * Returns 0, or -1 with the reason in err (the file is still closed). The
 * capture's socket stays open until wc_capture_release: its close waits ~25 ms
 * for the kernel, which a worker does after its verdict went out. */
int wc_capture_stop(wc_capture *c, wc_capture_stats *st, char *err, size_t errlen);
/*
 * A scoped capture: from now on the kernel keeps only the scenario's own frames: TCP and UDP to
 * or from port (and every port given before: the server's, the harness's
 * endpoints'). What a program sends elsewhere (a flood to another
 * port) is no longer written, nor can it fill the ring (issue 18: a child
 * flooding [::1]:9 made a scenario end ERROR with 22534 frames dropped and
 * 1.7 GB of pcaps). Frames already taken stay. 0, or -1 with the reason.
 */
int wc_capture_keep_port(wc_capture *c, uint16_t port, char *err, size_t errlen);
/* Closes the sockets of every stopped capture of this process and frees them. */
void wc_capture_release(void);

/* Does this process lack the privilege to capture (a packet socket refused
 * with EPERM or EACCES: no CAP_NET_RAW)? 1 if so, with the reason in err; 0
 * if one can be opened or it failed for another reason (the capture then
 * says why). */
int wc_capture_denied(char *err, size_t errlen);

/* mkdir -p of the folder that will hold path; 0 or -1 with errno. */
int wc_mkdir_parents(const char *path);

#endif
