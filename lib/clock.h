/* clock.h - the monotonic clock in milliseconds, for timeouts and deadlines */
#ifndef WC_CLOCK_H
#define WC_CLOCK_H

#include <time.h>

/* Sets *t to the time on CLOCK_MONOTONIC. */
void wc_clock_now(struct timespec *t);
/* Moves *t ms milliseconds (0 or more) later. */
void wc_clock_add_ms(struct timespec *t, long ms);
/* Milliseconds from *now until *deadline, rounded up; 0 once it has passed,
 * INT_MAX at the most. */
int wc_clock_ms_until(const struct timespec *now, const struct timespec *deadline);
/* Sets *ts to ms milliseconds (0 or more), for ppoll() and sigtimedwait(). */
void wc_clock_ms_to_ts(int ms, struct timespec *ts);

#endif
