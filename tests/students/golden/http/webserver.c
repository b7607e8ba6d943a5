/* webserver.c - lab 2: a web server in C (GET and HEAD), port 6789
 * build: cc -o webserver webserver.c      run: ./webserver  (serves the current folder) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#define PORT 6789
#define BUFSIZE 8192

static char body[65536];

static const char *mime_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html") || !strcmp(dot, ".htm"))
		return "text/html";
	if (!strcmp(dot, ".txt"))
		return "text/plain";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".jpg"))
		return "image/jpeg";
	return "application/octet-stream";
}

static void send_status(int fd, const char *status, int with_body)
{
	char msg[1024], page[256], date[64];
	time_t now = time(NULL);

	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
	snprintf(page, sizeof page, "<html><body><h1>%s</h1></body></html>\n", status);
	snprintf(msg, sizeof msg,
		 "HTTP/1.1 %s\r\nDate: %s\r\nServer: cserver/0.1\r\nContent-Type: text/html\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
		 status, date, strlen(page), with_body ? page : "");
	send(fd, msg, strlen(msg), 0);
}

static void handle(int fd)
{
	char req[BUFSIZE], method[16], path[1024], version[16];
	char header[1024], date[64], modified[64];
	const char *file;
	struct stat st;
	size_t len = 0;
	ssize_t n;
	FILE *f;
	time_t now;

	req[0] = 0;
	while (!strstr(req, "\r\n\r\n")) {
		n = recv(fd, req + len, sizeof req - 1 - len, 0);
		if (n <= 0)
			break;
		len += n;
		req[len] = 0;
	}
	if (len == 0)
		return;
	if (sscanf(req, "%15s %1023s %15s", method, path, version) != 3) {
		send_status(fd, "400 Bad Request", 1);
		return;
	}
	int head = strcmp(method, "HEAD") == 0;
	if (strcmp(method, "GET") != 0 && !head) {
		send_status(fd, "501 Not Implemented", 1);
		return;
	}
	if (strcmp(path, "/") == 0)
		strcpy(path, "/index.html");
	file = path + 1;
	if (stat(file, &st) < 0 || !S_ISREG(st.st_mode)) {
		send_status(fd, "404 Not Found", !head);
		return;
	}
	f = fopen(file, "rb");
	if (!f) {
		send_status(fd, "404 Not Found", !head);
		return;
	}
	memset(body, 0, sizeof body);
	fread(body, 1, sizeof body - 1, f);
	fclose(f);

	now = time(NULL);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
	strftime(modified, sizeof modified, "%a, %d %b %Y %H:%M:%S GMT", localtime(&st.st_mtime));
	snprintf(header, sizeof header,
		 "HTTP/1.1 200 OK\r\nDate: %s\r\nServer: cserver/0.1\r\nLast-Modified: %s\r\n"
		 "Content-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 date, modified, mime_type(file), strlen(body));
	send(fd, header, strlen(header), 0);
	if (!head)
		send(fd, body, strlen(body), 0);
}

int main(void)
{
	int s, c, one = 1;
	struct sockaddr_in addr;

	s = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	addr.sin_port = htons(PORT);
	if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("bind");
		return 1;
	}
	listen(s, 10);
	printf("listening on port %d\n", PORT);
	fflush(stdout);
	for (;;) {
		c = accept(s, NULL, NULL);
		if (c < 0)
			continue;
		handle(c);
		close(c);
	}
}
