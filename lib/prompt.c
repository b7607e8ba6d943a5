/* prompt.c - the reference clients' terminal side: prompts, lines from standard input, replies flushed */
#include "prompt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

ssize_t wc_prompt_line(const char *prompt, char **line, size_t *cap)
{
	ssize_t n;

	if (prompt) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	n = getline(line, cap, stdin);
	if (n < 0)
		return ferror(stdin) ? -2 : -1;
	if (n > 0 && (*line)[n - 1] == '\n') {
		n--;
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
	}
	return n;
}

ssize_t wc_prompt_next(const char *prog, const char *prompt, int end_ok, char **line, size_t *cap)
{
	ssize_t n = wc_prompt_line(prompt, line, cap);

	if (n == -1 && !end_ok) {
		fprintf(stderr, "%s: no input line to send\n", prog);
		return -2;
	}
	if (n == -2)
		fprintf(stderr, "%s: read standard input: %s\n", prog, strerror(errno));
	return n;
}

int wc_prompt_name(char *prompt, size_t n, char **line, size_t *cap)
{
	ssize_t len = wc_prompt_line("Enter your name: ", line, cap);

	if (len < 0)
		return -1;
	snprintf(prompt, n, "%.*s> ", (int)(len > 64 ? 64 : len), *line);
	return 0;
}

int wc_prompt_flush(const char *prog)
{
	if (fflush(stdout) != EOF)
		return 0;
	fprintf(stderr, "%s: write standard output: %s\n", prog, strerror(errno));
	return -1;
}
