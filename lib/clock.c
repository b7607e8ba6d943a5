/* clock.c - the monotonic clock in milliseconds, for timeouts and deadlines */
#include "clock.h"

#include <limits.h>

void wc_clock_now(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

void wc_clock_add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

int wc_clock_ms_until(const struct timespec *now, const struct timespec *deadline)
{
	long long ns = (long long)(deadline->tv_sec - now->tv_sec) * 1000000000 + (deadline->tv_nsec - now->tv_nsec);

	if (ns <= 0)
		return 0;
	return ns / 1000000 >= INT_MAX ? INT_MAX : (int)((ns + 999999) / 1000000);
}

void wc_clock_ms_to_ts(int ms, struct timespec *ts)
{
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (long)(ms % 1000) * 1000000;
}
