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

#endif
