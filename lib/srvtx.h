/* srvtx.h - what a reference server's sockets did, appended to a file the harness names (no capture: no CAP_NET_RAW) */
#ifndef WC_SRVTX_H
#define WC_SRVTX_H

#include <stddef.h>
#include <stdint.h>

#include "sock.h"

/*
 * Where wirecheck cannot capture (host mode without CAP_NET_RAW), a client
 * under test talks to a reference server, not to the harness's sockets: the
 * harness then names a file in WC_SRVTX_ENV and the server appends to it
 * what its sockets did, which the harness turns into the scenario's pcap
 * (harness/sandbox/transcript.c). Without the variable nothing is written and
 * each call below returns at once.
 *
 * The file: records, one after another, each a line of fields separated by
 * one space and ended by '\n', followed by LEN raw bytes for those that carry
 * data. TS is the realtime clock in microseconds, CONN a TCP connection's
 * name (PID.N, at most 31 characters), ADDR a numeric IPv4 or IPv6 address
 * (v4-mapped as the socket gives it), PORT decimal, LEN at most
 * WC_SRVTX_MAX_LEN:
 *
 *   TS CONN accept LOCAL_ADDR LOCAL_PORT PEER_ADDR PEER_PORT   a client connected
 *   TS CONN in LEN      bytes the server received (recv)
 *   TS CONN out LEN     bytes the server sent (send)
 *   TS CONN eof         the client shut its side (recv returned 0)
 *   TS CONN close       the server closed the connection (its FIN)
 *   TS CONN reset       the connection was reset (ECONNRESET)
 *   TS - udp-in LOCAL_ADDR LOCAL_PORT PEER_ADDR PEER_PORT LEN   a datagram received
 *   TS - udp-out LOCAL_ADDR LOCAL_PORT PEER_ADDR PEER_PORT LEN  a datagram sent
 *
 * Each record is one write() on a descriptor opened with O_APPEND, so the
 * records of threads and forked children do not mix. The bytes a server sends
 * with sendfile() (the web server's larger files) are not recorded: the web
 * lab has no client to grade.
 */
#define WC_SRVTX_ENV "WIRECHECK_SERVER_TRANSCRIPT"
#define WC_SRVTX_MAX_LEN 65536

/* Opens the file WC_SRVTX_ENV names, if any (a server calls it as it starts).
 * Returns 0, or -1 with "cannot open the transcript 'PATH': ..." in err. */
int wc_srvtx_open(char *err, size_t errlen);
/* Is a transcript being written? */
int wc_srvtx_on(void);
/* A TCP connection accepted on fd from *peer: names it in conn (32 bytes). */
void wc_srvtx_accept(int fd, const wc_addr *peer, char *conn);
/* kind "in" or "out": n bytes of connection conn (cut into records of at most WC_SRVTX_MAX_LEN) */
void wc_srvtx_data(const char *conn, const char *kind, const uint8_t *p, size_t n);
/* kind "eof", "close" or "reset" */
void wc_srvtx_event(const char *conn, const char *kind);
/* A datagram of the UDP socket fd received from (kind "udp-in") or sent to ("udp-out") *peer */
void wc_srvtx_udp(int fd, const char *kind, const wc_addr *peer, const uint8_t *p, size_t n);

#endif
