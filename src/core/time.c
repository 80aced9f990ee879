/* Clocks (see time.h). */
#include "core/time.h"

#include <stdio.h>
#include <time.h>

int64_t lb_time_wall_ns(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t lb_time_mono_ns(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void lb_time_iso8601(int64_t ns, char *out, size_t size)
{
    time_t secs = (time_t)(ns / 1000000000);
    int ms = (int)(ns % 1000000000 / 1000000);
    struct tm tm;

    (void)gmtime_r(&secs, &tm);
    (void)snprintf(out,
                   size,
                   "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                   tm.tm_year + 1900,
                   tm.tm_mon + 1,
                   tm.tm_mday,
                   tm.tm_hour,
                   tm.tm_min,
                   tm.tm_sec,
                   ms);
}
