// mutant: sends its whole 1024-byte buffer, send(fd, buf, sizeof buf, 0), for every message
// role: server
// variant: session
// catches: tcp-echo/session: A: reply of 1024 bytes, expected 3: 1021 more came in the same segment
// catches: tcp-echo/mixed: reply of 1024 bytes
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT 12000

int main(void)
{
	int one = 1;
	struct sockaddr_in addr;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(PORT);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(s, 5) < 0) {
		perror("bind");
		return 1;
	}
	printf("The server is ready to receive\n");
	fflush(stdout);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char buf[1024];

		if (c < 0)
			continue;
		for (;;) {
			int n;

			memset(buf, 0, sizeof(buf));
			n = recv(c, buf, sizeof(buf), 0);
			if (n <= 0 || strncmp(buf, "quit", 4) == 0)
				break;
			for (int i = 0; i < n; i++)
				buf[i] = toupper((unsigned char)buf[i]);
			send(c, buf, sizeof(buf), 0);
		}
		close(c);
	}
}
