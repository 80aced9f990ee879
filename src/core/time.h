/* Clocks: wall time for reports, monotonic time for durations. */
#ifndef LB_CORE_TIME_H
#define LB_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t lb_time_wall_ns(void);

/* Nanoseconds of CLOCK_MONOTONIC: for measuring durations only. */
int64_t lb_time_mono_ns(void);

/*
 * Writes `ns` since the epoch as ISO 8601 UTC with milliseconds,
 * "2026-11-22T21:05:55.123Z", into `out` (at least 25 bytes).
 */
void lb_time_iso8601(int64_t ns, char *out, size_t size);

#endif
