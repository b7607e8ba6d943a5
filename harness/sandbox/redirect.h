/* redirect.h - nftables in the scenario's namespace: every new TCP/UDP flow goes to the reference server, and its original destination is kept */
#ifndef WC_REDIRECT_H
#define WC_REDIRECT_H

#include <stddef.h>
#include <stdint.h>

/* One original destination a program under test aimed at. */
typedef struct wc_target {
	int family;    /* AF_INET or AF_INET6 */
	char addr[64]; /* numeric, as inet_ntop writes it: "192.168.1.20", "::1" */
	int proto;     /* IPPROTO_UDP or IPPROTO_TCP */
	uint16_t port;
} wc_target;

/*
 * Installs (or replaces, atomically, emptying its sets) the table inet
 * wirecheck in the current network namespace. In the output path, the first
 * packet of every new UDP or TCP flow has its destination address, protocol and
 * port recorded, then is DNATed to 127.0.0.1:to_port (IPv4) or [::1]:to_port
 * (IPv6); replies are translated back by conntrack, so the program sees them
 * come from the address it aimed at. Flows to 127.0.0.1 and ::1 port to_port
 * pass untouched and are not recorded. Destinations off this host need a route
 * (wc_route_add_default on "lo" for each family) or connect() fails with
 * ENETUNREACH before nftables sees a packet.
 * Returns 0, or -1 with nft's reason in err. Needs CAP_NET_ADMIN over the
 * namespace (root, or root of the user namespace that owns it).
 */
int wc_redirect_install(uint16_t to_port, char *err, size_t errlen);

/*
 * Fills out[0..*n) with the distinct original destinations recorded so far,
 * IPv4 first, each family sorted by address, protocol, port. Returns 0; or -1
 * with the reason in err: the table is missing, nft's output could not be
 * parsed, or there are more than max targets (then out holds the first max and
 * *n is max). *n is 0 on other failures.
 */
int wc_redirect_targets(wc_target *out, size_t max, size_t *n, char *err, size_t errlen);
/*
 * Host mode (issue 19): as wc_redirect_targets, from the file the LD_PRELOAD
 * shim (lib/preload/redirect.c) appends a line "udp|tcp 4|6 ADDRESS PORT" to
 * for each destination it rewrote; the same target may be there many times.
 */
int wc_redirect_targets_file(const char *path, wc_target *out, size_t max, size_t *n, char *err, size_t errlen);
/* The shim's file name, beside the reference programs (WC_RUN_REF_AT). */
#define WC_REDIRECT_SHIM "wirecheck-redirect.so"

/* Frees what the installs of this process kept (their netlink sockets' close
 * waits for the kernel); a worker calls it once its verdict is out. The
 * targets are read from the last install's namespace until then. */
void wc_redirect_release(void);

#endif
