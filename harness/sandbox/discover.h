/* discover.h - find the ports a program bound, from the namespace's socket tables (sock_diag, /proc/net), and what its connections hold */
#ifndef WC_DISCOVER_H
#define WC_DISCOVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "sock.h"

typedef struct wc_bound {
	int proto;          /* IPPROTO_UDP or IPPROTO_TCP */
	int family;         /* AF_INET or AF_INET6 */
	uint8_t addr[16];   /* as bound (network order; IPv4 in the first 4) */
	uint16_t port;
	unsigned uid;
	unsigned long inode;
} wc_bound;

/*
 * Parses one /proc/net/{udp,tcp}{,6} table (text[0..len)) and appends the bound
 * sockets to out (at most max): UDP sockets with a local port, TCP sockets in
 * LISTEN. Returns how many were added, or -1 if the text is not such a table.
 */
int wc_parse_socket_table(const char *text, size_t len, int proto, int family, wc_bound *out, int max);
/* The bytes a TCP socket of the namespace of pid (0: the caller's) has received
 * and its program not yet read: the socket with local port lport connected to
 * remote port rport. -1 if there is no such socket. */
long wc_tcp_rx_queue(pid_t pid, uint16_t lport, uint16_t rport);
/* What every socket of proto with local port lport in the caller's namespace
 * holds received and not yet taken, summed (a listening socket's: the
 * connections not yet accepted; a UDP one's: its queue, datagrams and their
 * overhead); -1 if there is no such socket. */
long wc_port_unread(int proto, uint16_t lport);
/* The bytes the server's end of a TCP connection has received and its program
 * not yet read, in the network namespace of pid (0: the caller's); server and
 * client are the connection's two ends as the client's socket names them.
 * Asks sock_diag for that one socket (wc_tcp_end_of), else reads the table as
 * wc_tcp_rx_queue. -1 if there is no such socket. */
long wc_tcp_unread(pid_t pid, const struct sockaddr_storage *server, const struct sockaddr_storage *client);
/* The server's end of a TCP connection as sock_diag shows it: its TCP state
 * (TCP_ESTABLISHED, TCP_FIN_WAIT1, ...; an orphan past its close may be a
 * time-wait entry, FIN_WAIT2 or TIME_WAIT), the bytes received and not read,
 * and the bytes written and not yet acknowledged (its FIN counts one). */
typedef struct wc_tcp_end {
	int state;
	long rqueue, wqueue;
	long notsent;   /* of wqueue, not sent yet (tcp_info's tcpi_notsent_bytes); -1: not known */
} wc_tcp_end;
/* Looks that end up: (server, client) as for wc_tcp_unread, in the namespace of
 * pid: 1 found, 0 no such connection (closed, or reset: gone; the port's
 * listening socket, which the kernel answers with then, is not it), -1
 * sock_diag cannot tell (errno). */
int wc_tcp_end_of(pid_t pid, const struct sockaddr_storage *server, const struct sockaddr_storage *client,
		  wc_tcp_end *out);
/* What the TCP connections of the caller's namespace with port at either end
 * hold on their way: written and not yet sent (unsent: Nagle's algorithm holds
 * a small write until the one before is acknowledged), and written and not
 * yet acknowledged by the other end's kernel (unacked: sent or not, plus one
 * for each handshake or FIN not answered). */
typedef struct wc_tcp_pending {
	uint16_t port;
	long unsent, unacked;
} wc_tcp_pending;
/* 0, or -1 if sock_diag cannot tell. */
int wc_tcp_port_pending(uint16_t port, wc_tcp_pending *out);
/* The bound sockets of the network namespace of process pid (0: the caller's):
 * sock_diag's dump (as ss(8) reads it), else the /proc/net tables.
 * Returns the count. */
int wc_discover(int proto, pid_t pid, wc_bound *out, int max);
/* The address the harness should send to for a socket bound as b: the bound
 * address, or loopback when it is a wildcard. */
void wc_bound_target(const wc_bound *b, wc_addr *to);
void wc_bound_str(const wc_bound *b, char *buf, size_t n);

#endif
