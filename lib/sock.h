/* sock.h - socket helpers: addresses, UDP and TCP sockets, each failure said in an error buffer */
#ifndef WC_SOCK_H
#define WC_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define WC_ERRLEN 512

typedef struct wc_addr {
	struct sockaddr_storage ss;
	socklen_t len;
} wc_addr;

/* Parses a port number 0..65535; 0 on success, -1 (and *out 0) otherwise. */
int wc_parse_port(const char *s, uint16_t *out);
/* Resolves host (numeric IPv4/IPv6, a name, or "" / "*" for any IPv4 address)
 * and port into *out. Returns 0, or -1 with the reason in err. */
int wc_addr_parse(const char *host, uint16_t port, wc_addr *out, char *err, size_t errlen);
/* Formats "1.2.3.4:53" or "[::1]:53" into buf. */
void wc_addr_str(const wc_addr *a, char *buf, size_t n);
uint16_t wc_addr_port(const wc_addr *a);
void wc_addr_set_port(wc_addr *a, uint16_t port);
/* A UDP socket bound to *bind (NULL: unbound, IPv4). Returns the fd, or -1 with
 * "socket: ..." / "bind 1.2.3.4:5: ..." in err. Close-on-exec. */
int wc_udp_socket(const wc_addr *bind, char *err, size_t errlen);
/* A listening TCP socket with SO_REUSEADDR. Returns the fd or -1. */
int wc_tcp_listen(const wc_addr *bind, int backlog, char *err, size_t errlen);
/* The socket of a reference server, bound to *bind: a UDP one, or a listening
 * TCP one (non-blocking, SO_REUSEADDR, backlog SOMAXCONN); an IPv6 one takes
 * IPv4 too (IPV6_V6ONLY off), so that "::" serves both. Close-on-exec. Returns
 * the fd, or -1 with "socket: ...", "bind [::]:5: ..." and the like in err. */
int wc_udp_server_socket(const wc_addr *bind, char *err, size_t errlen);
int wc_tcp_server_socket(const wc_addr *bind, char *err, size_t errlen);
/* A blocking TCP connection to *to. Returns the fd or -1. */
int wc_tcp_connect(const wc_addr *to, char *err, size_t errlen);
/* A TCP connection to *to made within timeout_ms, left non-blocking. Returns
 * the fd, or -1 with "cannot connect to 1.2.3.4:5: ..." (or the failed call)
 * in err. */
int wc_tcp_connect_timeout(const wc_addr *to, int timeout_ms, char *err, size_t errlen);
int wc_set_nonblock(int fd, int on, char *err, size_t errlen);
/* Writes all n bytes, retrying on EINTR and short writes. 0 or -1 (errno set). */
int wc_write_all(int fd, const void *p, size_t n);

#endif
