/* fuzz_sockets.c - libFuzzer target: wc_parse_socket_table on the input as each /proc/net table */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sandbox/discover.h"
#include "fuzz.h"

#define MAX_OUT 8

/* The same text as /proc/net/udp, udp6, tcp and tcp6; the output array has
 * exactly 'max' entries (heap), so a write past it is caught. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int protos[2] = {IPPROTO_UDP, IPPROTO_TCP};
	static const int families[2] = {AF_INET, AF_INET6};
	wc_bound *out = malloc(MAX_OUT * sizeof(*out));

	if (!out)
		return 0;
	for (int p = 0; p < 2; p++)
		for (int f = 0; f < 2; f++)
			for (int max = 0; max <= MAX_OUT; max += MAX_OUT) {
				wc_bound *o = out + (MAX_OUT - max); /* the last 'max' entries */
				int n = wc_parse_socket_table((const char *)data, size, protos[p], families[f], o, max);

				FUZZ_CHECK(n >= -1 && n <= max);
				for (int i = 0; i < n; i++) {
					char buf[80];
					wc_addr to;

					FUZZ_CHECK(o[i].proto == protos[p] && o[i].family == families[f]);
					FUZZ_CHECK(o[i].port != 0);
					wc_bound_str(&o[i], buf, sizeof(buf));
					FUZZ_CHECK(memchr(buf, 0, sizeof(buf)) != NULL);
					wc_bound_target(&o[i], &to);
					FUZZ_CHECK(to.len > 0 && (size_t)to.len <= sizeof(to.ss));
				}
			}
	free(out);
	return 0;
}
