/* The slides' UDP server written in C, as students port it: no error checks,
 * recvfrom(2048). Graded built by cc alone and by make (tests/it-grade.sh,
 * tests/it-host.sh). */
#include <arpa/inet.h>
#include <ctype.h>
#include <sys/socket.h>
int main(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(12000)}, p;
	char b[2048];
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	bind(s, (struct sockaddr *)&a, sizeof(a));
	for (;;) {
		socklen_t pl = sizeof(p);
		ssize_t n = recvfrom(s, b, sizeof(b), 0, (struct sockaddr *)&p, &pl);
		for (ssize_t i = 0; i < n; i++)
			b[i] = (char)toupper((unsigned char)b[i]);
		if (n >= 0)
			sendto(s, b, (size_t)n, 0, (struct sockaddr *)&p, pl);
	}
}
