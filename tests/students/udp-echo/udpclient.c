/* udpclient.c - the second course's UDP client, written in C by a student:
 * it asks for a name with printf and no fflush (to a pipe, stdio keeps the
 * prompt in its buffer), then loops "NAME> ", sends each line, prints the
 * reply, and leaves after sending "quit". Port 50000 on 127.0.0.1. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	char name[64], line[2048], reply[2049];
	struct sockaddr_in srv;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&srv, 0, sizeof(srv));
	srv.sin_family = AF_INET;
	srv.sin_port = htons(50000);
	inet_pton(AF_INET, "127.0.0.1", &srv.sin_addr);
	printf("Enter your name: ");
	if (!fgets(name, sizeof(name), stdin))
		return 1;
	name[strcspn(name, "\n")] = 0;
	for (;;) {
		ssize_t n;
		printf("%s> ", name);
		if (!fgets(line, sizeof(line), stdin))
			break;
		line[strcspn(line, "\n")] = 0;
		sendto(s, line, strlen(line), 0, (struct sockaddr *)&srv, sizeof(srv));
		if (!strcmp(line, "quit"))
			break;
		n = recvfrom(s, reply, sizeof(reply) - 1, 0, NULL, NULL);
		if (n < 0)
			break;
		reply[n] = 0;
		printf("%s\n", reply);
	}
	close(s);
	return 0;
}
