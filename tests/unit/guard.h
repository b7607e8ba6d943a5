/* guard.h - copies of test input that end right before an unreadable page, so any over-read faults */
#ifndef WC_TEST_GUARD_H
#define WC_TEST_GUARD_H

/*
 * The picohttpparser trick (test.c): map the input's pages plus one more, make
 * the last one PROT_NONE and copy the input to the end of the readable part.
 * A parser that reads one byte past its (buf, len) gets SIGSEGV, not luck.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static inline size_t guard_pages(size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (len + page - 1) / page + 1;
}

/* A copy of data[0..len) ending at a PROT_NONE page; free with guard_free(p, len). */
static inline void *guard_copy(const void *data, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = guard_pages(len);
	uint8_t *map = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *end;

	if (map == MAP_FAILED)
		abort();
	end = map + (n - 1) * page;
	if (mprotect(end, page, PROT_NONE) < 0)
		abort();
	if (len)
		memcpy(end - len, data, len);
	return end - len;
}

static inline void guard_free(const void *p, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = guard_pages(len);
	uint8_t *end = (uint8_t *)(uintptr_t)p + len;

	munmap(end - (n - 1) * page, n * page);
}

#endif
