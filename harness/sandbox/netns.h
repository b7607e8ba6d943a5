/* netns.h - the network namespace of the calling process, set up over raw rtnetlink: links, addresses, routes, veth, sysctls; what is on its way in it (packet counters) */
#ifndef WC_NETNS_H
#define WC_NETNS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Every function acts on the network namespace of the calling thread, sends
 * one rtnetlink request with NLM_F_ACK on a socket of its own (no state is kept
 * between calls, so they are safe after fork and in many processes at once),
 * and returns 0, or -1 with the failing call and the kernel's reason in err,
 * e.g. "RTM_NEWLINK veth wc0: File exists". When the kernel adds an extended
 * ack message, it follows in parentheses.
 */

/* Sets IFF_UP on ifname ("lo" included). */
int wc_link_up(const char *ifname, char *err, size_t errlen);
/* Sets the MTU of a link (a veth carries 65535 so datagrams are not fragmented). */
int wc_link_set_mtu(const char *ifname, unsigned mtu, char *err, size_t errlen);

/* Adds cidr, "10.0.0.1/24" or "fd00::1/64", to ifname. IPv6 addresses are
 * added with IFA_F_NODAD, so they can be bound at once (no tentative state). */
int wc_addr_add(const char *ifname, const char *cidr, char *err, size_t errlen);

/* Adds the default route "dev ifname" (no gateway) for family AF_INET or
 * AF_INET6 to the main table. On a loopback device the route carries the
 * preferred source 127.0.0.1 or ::1: without it, IPv4 flows to off-link
 * addresses leave from 0.0.0.0, which NAT to the loopback cannot answer. */
int wc_route_add_default(const char *ifname, int family, char *err, size_t errlen);

/* Creates the veth pair name <-> peer. The peer end is moved into the network
 * namespace of process peer_pid (0: it stays here). Both ends are left down. */
int wc_veth_create(const char *name, const char *peer, pid_t peer_pid, char *err, size_t errlen);

/* Writes value to path, which must lie under /proc/sys/, e.g.
 * "/proc/sys/net/ipv4/ip_unprivileged_port_start", "0". Files under
 * /proc/sys/net/ belong to the current network namespace. */
int wc_sysctl_write(const char *path, const char *value, char *err, size_t errlen);

/* Packets on their way in the caller's network namespace when loopback is its
 * only device, where every IPv4 and IPv6 packet sent (Ip OutRequests, in
 * /proc/net/snmp and snmp6) is received in it (InReceives), in the same
 * softirq pass that gives it to its socket and wakes the reader: sent and not
 * yet received. 0: nothing is on its way, and whoever was sent something has
 * it (or was woken by it). Under load that pass can wait in ksoftirqd, which
 * the count sees. -1 when the counters cannot tell (unreadable, or more
 * received than sent: fragments, another device). */
long wc_netns_in_flight(void);
/* The same from the texts of /proc/net/snmp and snmp6 (NULL: no IPv6). Pure. */
long wc_in_flight_of(const char *snmp, const char *snmp6);

#endif
