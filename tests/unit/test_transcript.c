/* test_transcript.c - the harness's sockets written down and made a pcap: read back by decode and stream as a capture is */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/socket.h>

#include "judge/stream.h"
#include "sandbox/transcript.h"

#define TMPDIR_NAME "transcript"
#include "tmpdir.h"

#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define ACK 0x10

/* A listening TCP or a bound UDP socket on 127.0.0.1, port chosen by the kernel; *at is its address. */
static int loopback(int type, struct sockaddr_in *at)
{
	socklen_t l = sizeof(*at);
	int fd = socket(AF_INET, type, 0);

	memset(at, 0, sizeof(*at));
	at->sin_family = AF_INET;
	at->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)at, sizeof(*at)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)at, &l), 0);
	return fd;
}

/* Writes t to dir/name.pcap and reads it back into *tr. */
static void round_trip(const wc_transcript *t, wc_trace *tr, unsigned long want_frames)
{
	char path[128], err[256] = "";
	wc_capture_stats st;

	snprintf(path, sizeof(path), "%s/sub/x.pcap", dir);
	assert_int_equal(wc_transcript_write_pcap(t, path, &st, err, sizeof(err)), 0);
	assert_int_equal(st.frames, want_frames);
	assert_int_equal(wc_trace_load(path, tr, err, sizeof(err)), 0);
	assert_int_equal(tr->linktype, DLT_RAW);
	assert_int_equal(tr->frames, want_frames);
	assert_int_equal(tr->undecoded, 0);
}

/* A connection that opens, carries bytes both ways, and that the server closes:
 * SYN, SYN-ACK, ACK, the data, a FIN, and the streams the harness saw */
static void test_tcp_exchange(void **state)
{
	struct sockaddr_in srv;
	int lfd = loopback(SOCK_STREAM, &srv), cfd = socket(AF_INET, SOCK_STREAM, 0), flow;
	wc_transcript t;
	wc_trace tr;
	wc_conn *conns;
	size_t n;

	(void)state;
	wc_transcript_init(&t);
	assert_int_equal(connect(cfd, (struct sockaddr *)&srv, sizeof(srv)), 0);
	flow = wc_tx_tcp_open(&t, cfd, (struct sockaddr *)&srv, sizeof(srv));
	assert_int_equal(flow, 0);
	wc_tx_tcp(&t, flow, WC_TX_ACCEPTED, 1, NULL, 0);
	wc_tx_tcp(&t, flow, WC_TX_DATA, 0, "hel", 3);
	wc_tx_tcp(&t, flow, WC_TX_DATA, 0, "lo", 2);
	wc_tx_tcp(&t, flow, WC_TX_DATA, 1, "HELLO", 5);
	wc_tx_tcp(&t, flow, WC_TX_FIN, 1, NULL, 0);
	wc_tx_tcp(&t, flow, WC_TX_FIN, 1, NULL, 0);     /* a second FIN is not one */
	wc_tx_tcp(&t, flow, WC_TX_DATA, 1, "late", 4); /* nor bytes after it */
	wc_tx_tcp(&t, flow, WC_TX_FIN, 0, NULL, 0);
	round_trip(&t, &tr, 8); /* SYN, SYN-ACK, ACK, 3 data, 2 FIN */

	assert_int_equal(tr.pkts[0].tcp_flags, SYN);
	assert_int_equal(tr.pkts[1].tcp_flags, SYN | ACK);
	assert_int_equal(tr.pkts[1].ack, tr.pkts[0].seq + 1);
	assert_int_equal(tr.pkts[2].tcp_flags, ACK);
	assert_int_equal(tr.pkts[2].ack, tr.pkts[1].seq + 1);
	assert_int_equal(tr.pkts[0].dport, ntohs(srv.sin_port));
	assert_memory_equal(tr.pkts[0].src, "\x7f\0\0\x01", 4);
	assert_int_equal(wc_tcp_reassemble(&tr, &conns, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(conns[0].up.len, 5);
	assert_memory_equal(conns[0].up.data, "hello", 5);
	assert_int_equal(conns[0].up.gaps, 0);
	assert_int_equal(conns[0].down.len, 5);
	assert_memory_equal(conns[0].down.data, "HELLO", 5);
	assert_true(conns[0].down.fin);
	assert_int_equal(conns[0].down.fin_off, 5);
	assert_true(conns[0].up.fin);
	assert_false(conns[0].down.rst);
	wc_conns_free(conns, n);
	wc_trace_free(&tr);
	wc_transcript_free(&t);
	close(cfd);
	close(lfd);
}

/* A refused connection: the SYN and the server's reset, and nothing after a reset */
static void test_tcp_refused(void **state)
{
	struct sockaddr_in srv;
	int lfd = loopback(SOCK_STREAM, &srv), cfd = socket(AF_INET, SOCK_STREAM, 0), flow;
	wc_transcript t;
	wc_trace tr;

	(void)state;
	close(lfd); /* the port is free again: nothing listens */
	wc_transcript_init(&t);
	assert_true(connect(cfd, (struct sockaddr *)&srv, sizeof(srv)) < 0);
	flow = wc_tx_tcp_open(&t, cfd, (struct sockaddr *)&srv, sizeof(srv));
	wc_tx_tcp(&t, flow, WC_TX_RST, 1, NULL, 0);
	wc_tx_tcp(&t, flow, WC_TX_DATA, 0, "x", 1);
	round_trip(&t, &tr, 2);
	assert_int_equal(tr.pkts[0].tcp_flags, SYN);
	assert_int_equal(tr.pkts[1].tcp_flags, RST | ACK);
	assert_int_equal(tr.pkts[1].sport, ntohs(srv.sin_port));
	assert_int_equal(tr.pkts[1].ack, tr.pkts[0].seq + 1);
	wc_trace_free(&tr);
	wc_transcript_free(&t);
	close(cfd);
}

/* Datagrams of a socket bound to every address: the route's source address,
 * the socket's port, the peer's address and port, an empty one included */
static void test_udp(void **state)
{
	struct sockaddr_in srv, any = {.sin_family = AF_INET};
	int sfd = loopback(SOCK_DGRAM, &srv), cfd = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t l = sizeof(any);
	wc_transcript t;
	wc_trace tr;

	(void)state;
	assert_int_equal(bind(cfd, (struct sockaddr *)&any, sizeof(any)), 0);
	assert_int_equal(getsockname(cfd, (struct sockaddr *)&any, &l), 0);
	wc_transcript_init(&t);
	wc_tx_udp(&t, cfd, (struct sockaddr *)&srv, sizeof(srv), 0, "abc", 3);
	wc_tx_udp(&t, cfd, (struct sockaddr *)&srv, sizeof(srv), 1, "ABC", 3);
	wc_tx_udp(&t, cfd, (struct sockaddr *)&srv, sizeof(srv), 0, NULL, 0);
	assert_int_equal(t.nflows, 1);
	round_trip(&t, &tr, 3);
	assert_int_equal(tr.pkts[0].proto, IPPROTO_UDP);
	assert_int_equal(tr.pkts[0].sport, ntohs(any.sin_port));
	assert_int_equal(tr.pkts[0].dport, ntohs(srv.sin_port));
	assert_memory_equal(tr.pkts[0].src, "\x7f\0\0\x01", 4);
	assert_int_equal(tr.pkts[1].sport, ntohs(srv.sin_port));
	assert_int_equal(tr.pkts[1].len, 3);
	assert_memory_equal(tr.pkts[1].payload, "ABC", 3);
	assert_int_equal(tr.pkts[2].len, 0);
	assert_true(tr.pkts[0].ts_us <= tr.pkts[2].ts_us);
	wc_trace_free(&tr);
	wc_transcript_free(&t);
	close(cfd);
	close(sfd);
}

/* A reference server's transcript (lib/srvtx.h): the client (the peer)
 * connects, the bytes each way, the client's FIN and the server's; a
 * datagram of a server bound to '::', its v4-mapped peer made IPv4 */
static void test_server_file(void **state)
{
	char path[128], err[256] = "";
	wc_transcript t;
	wc_trace tr;
	wc_conn *conns;
	size_t n;

	(void)state;
	put("tx", "1000 7.1 accept ::ffff:127.0.0.1 40000 ::ffff:127.0.0.1 50000\n"
		  "1001 7.1 in 5\nhello"
		  "1002 7.1 out 5\nHELLO"
		  "1003 7.1 eof\n"
		  "1004 7.1 close\n"
		  "1005 - udp-in :: 40001 ::ffff:127.0.0.1 50001 3\nabc"
		  "990 - udp-out :: 40001 ::ffff:127.0.0.1 50001 3\nABC");
	snprintf(path, sizeof(path), "%s/tx", dir);
	wc_transcript_init(&t);
	assert_int_equal(wc_transcript_load_server(&t, path, err, sizeof(err)), 0);
	round_trip(&t, &tr, 9); /* SYN, SYN-ACK, ACK, 2 data, 2 FIN, 2 datagrams */
	assert_int_equal(tr.pkts[0].tcp_flags, SYN);
	assert_int_equal(tr.pkts[0].sport, 50000); /* the client connected */
	assert_int_equal(tr.pkts[0].dport, 40000);
	assert_memory_equal(tr.pkts[0].src, "\x7f\0\0\x01", 4);
	assert_int_equal(tr.pkts[1].tcp_flags, SYN | ACK);
	assert_int_equal(tr.pkts[1].sport, 40000);
	assert_int_equal(tr.pkts[2].tcp_flags, ACK);
	assert_int_equal(tr.pkts[2].sport, 50000);
	assert_int_equal(tr.pkts[7].sport, 50001);
	assert_memory_equal(tr.pkts[7].src, "\x7f\0\0\x01", 4);
	assert_memory_equal(tr.pkts[8].payload, "ABC", 3);
	assert_true(tr.pkts[8].ts_us >= tr.pkts[7].ts_us); /* a time never goes back */
	assert_int_equal(wc_tcp_reassemble(&tr, &conns, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(conns[0].up.len, 5);
	assert_memory_equal(conns[0].up.data, "hello", 5);
	assert_memory_equal(conns[0].down.data, "HELLO", 5);
	assert_true(conns[0].up.fin);
	assert_true(conns[0].down.fin);
	wc_conns_free(conns, n);
	wc_trace_free(&tr);
	wc_transcript_free(&t);
}

/* A transcript written beside untrusted code: each malformed one is refused
 * with the record it went wrong at, never read past its end */
static void test_server_file_malformed(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"garbage\n", "record 1: not 'TIME"},
		{"1 7.1 in 5\nhello", "record 1: connection '7.1' not accepted"},
		{"1 7.1 accept 127.0.0.1 1 127.0.0.1 2\n2 7.1 in 9\nhi", "record 2: cut short"},
		{"1 7.1 accept 127.0.0.1 1 127.0.0.1 2\n2 7.1 in 65537\n", "record 2: bytes not"},
		{"1 7.1 accept 127.0.0.1 1 127.0.0.1 2\n2 7.1 in -1\n", "record 2: bytes not"},
		{"1 7.1 accept 127.0.0.1 70000 127.0.0.1 2\n", "record 1: an accept not"},
		{"1 7.1 accept 127.0.0.1 1 ::2 2\n", "record 1: an accept not"},
		{"1 7.1 accept 127.0.0.1 1 127.0.0.1 2\n1 7.1 accept 127.0.0.1 1 127.0.0.1 3\n", "record 2: connection"},
		{"1 7.1 accept 127.0.0.1 1 127.0.0.1 2\n2 7.1 shout\n", "record 2: unknown record"},
		{"1 - udp-in 1.2.3.999 1 127.0.0.1 2 0\n", "record 1: a datagram not"},
		{"1 - udp-in ::1 1 127.0.0.1 2 0\n", "record 1: a datagram between"},
		{"1 - udp-in 127.0.0.1 1 127.0.0.1 2 0", "record 1: no line"},
		{"1 a b c d e f g h i j\n", "record 1: too many fields"},
	};
	char path[128], err[256];
	wc_transcript t;

	(void)state;
	snprintf(path, sizeof(path), "%s/tx", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put("tx", bad[i].text);
		err[0] = 0;
		wc_transcript_init(&t);
		assert_int_equal(wc_transcript_load_server(&t, path, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, bad[i].want);
		wc_transcript_free(&t);
	}
	wc_transcript_init(&t);
	assert_int_equal(wc_transcript_load_server(&t, "/nonexistent/tx", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read it"));
	wc_transcript_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcp_exchange, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_file_malformed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
