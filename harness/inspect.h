/* inspect.h - a capture decoded as the checks see it (wirecheck inspect) */
#ifndef WC_INSPECT_H
#define WC_INSPECT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes one line per DNS message (each UDP datagram) and per HTTP message
 * (each TCP stream, both directions, in order) of the capture: tab-separated
 * key=value fields, 'frame' first (for HTTP, the frame of the message's last
 * byte, where Wireshark shows a reassembled message). A message that does not
 * parse gets 'malformed=WHY'. 0, or -1 with err.
 */
int wc_inspect(const char *pcap, FILE *out, char *err, size_t errlen);

/*
 * Checks each message of a capture by the lab's rules (LABS.md 4, 5), with no
 * scenario: DNS queries and responses (each response against its query), or
 * HTTP responses (status line, CRLF, the six headers well formed, Content-Length
 * the body's, Connection honoured). lab: "dns", "http", or NULL to tell from
 * the capture. Writes the reports in formats (comma-separated, NULL: text) to f,
 * or into the folder out. Returns 0 when every message passes, 1 when some
 * fail, -1 with err when the capture cannot be read or holds no message.
 */
int wc_inspect_check(const char *pcap, const char *lab, const char *formats, const char *out, FILE *f, int color,
		     char *err, size_t errlen);

#endif
