/* dnsserver.c -- DNS lab server in C: answers A/IN queries for the lab's table
 * on UDP port 10053 and prints each request and response in hex.
 * build: cc -o dnsserver dnsserver.c */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define PORT 10053

struct entry {
	const char *name;
	uint32_t ttl;
	const char *addr[2];
	int naddr;
};

static const struct entry table[] = {
	{"google.com", 260, {"192.165.1.1", "192.165.1.10"}, 2},
	{"youtube.com", 160, {"192.165.1.2"}, 1},
	{"uwaterloo.ca", 160, {"192.165.1.3"}, 1},
	{"wikipedia.org", 160, {"192.165.1.4"}, 1},
	{"amazon.ca", 160, {"192.165.1.5"}, 1},
};

static void print_hex(const char *title, const char *buf, int len)
{
	printf("%s\n", title);
	for (int i = 0; i < len; i++) {
		printf("%02x", buf[i]);
		printf(i % 16 == 15 || i == len - 1 ? "\n" : " ");
	}
	fflush(stdout);
}

/* reads the QNAME at offset 12 into name; returns the offset after it, or -1 */
static int read_qname(const unsigned char *q, int len, char *name, int size)
{
	int pos = 12, out = 0;

	while (pos < len && q[pos] != 0) {
		int n = q[pos];
		if (n > 63 || pos + 1 + n >= len || out + n + 1 >= size)
			return -1;
		if (out)
			name[out++] = '.';
		memcpy(name + out, q + pos + 1, n);
		out += n;
		pos += n + 1;
	}
	if (pos >= len)
		return -1;
	name[out] = 0;
	return pos + 1;
}

int main(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in addr, client;
	socklen_t clen;
	char buf[512], out[512], name[256];

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons(PORT);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	printf("DNS server on port %d\n", PORT);
	fflush(stdout);

	for (;;) {
		clen = sizeof client;
		int n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&client, &clen);
		if (n < 0)
			continue;
		print_hex("Request:", buf, n);
		if (n < 12)
			continue;
		const unsigned char *q = (const unsigned char *)buf;
		uint16_t qdcount = (q[4] << 8) | q[5];
		uint16_t flags;
		uint16_t counts[4] = {0, 0, 0, 0};
		int len = 12;
		int end = qdcount == 1 ? read_qname(q, n, name, sizeof name) : -1;

		memcpy(out, buf, 2); /* the ID */
		if (end < 0 || end + 4 > n) {
			flags = htons(0x8001); /* FORMERR */
		} else {
			const struct entry *e = NULL;
			for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)
				if (strcasecmp(name, table[i].name) == 0)
					e = &table[i];
			counts[0] = htons(1);
			memcpy(out + 12, buf + 12, end + 4 - 12); /* the question */
			len = end + 4;
			if (!e) {
				flags = htons(0x8403);
			} else {
				flags = htons(0x8400);
				counts[1] = htons(e->naddr);
				for (int i = 0; i < e->naddr; i++) {
					uint16_t ptr = htons(0xc00c), type = htons(1), class = htons(1), rdlen = htons(4);
					uint32_t ttl = e->ttl;
					memcpy(out + len, &ptr, 2);
					memcpy(out + len + 2, &type, 2);
					memcpy(out + len + 4, &class, 2);
					memcpy(out + len + 6, &ttl, 4);
					memcpy(out + len + 10, &rdlen, 2);
					inet_pton(AF_INET, e->addr[i], out + len + 12);
					len += 16;
				}
			}
		}
		memcpy(out + 2, &flags, 2);
		memcpy(out + 4, counts, 8);
		print_hex("Response:", out, len);
		sendto(s, out, len, 0, (struct sockaddr *)&client, clen);
	}
}
