/* capture.h - live capture of a scenario's interface into a pcap file (libpcap) */
#ifndef WC_CAPTURE_H
#define WC_CAPTURE_H

#include <stddef.h>

#define WC_CAPTURE_SNAPLEN (65536 + 14)

typedef struct wc_capture wc_capture;

typedef struct wc_capture_stats {
	unsigned long frames;   /* written to the file */
	unsigned recv;          /* pcap_stats ps_recv */
	unsigned drop;          /* pcap_stats ps_drop: lost in the kernel buffer */
	unsigned ifdrop;        /* pcap_stats ps_ifdrop */
} wc_capture_stats;

/*
 * Opens ifname in the calling process's network namespace (immediate mode, full
 * snap length) and starts writing every frame to path (folders are made). The
 * capture is running when this returns. NULL on failure, reason in err.
 */
wc_capture *wc_capture_start(const char *ifname, const char *path, char *err, size_t errlen);
/* Takes the frames still queued, stops, closes the file, fills *st, frees c.
 * Returns 0, or -1 with the reason in err (the file is still closed). */
int wc_capture_stop(wc_capture *c, wc_capture_stats *st, char *err, size_t errlen);

/* mkdir -p of the folder that will hold path; 0 or -1 with errno. */
int wc_mkdir_parents(const char *path);

#endif
