/* overflow.c - make asan's self-test: a program with one heap overflow, put
 * where a reference server goes; its ASan report must reach the report folder
 * through the harness's sandbox. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *p = malloc(8);
	int c;

	(void)argv;
	if (!p)
		return 2;
	memset(p, 'x', 8);
	c = p[7 + argc]; /* past the end; used, so the compiler keeps it */
	free(p);
	return c == 'y';
}
