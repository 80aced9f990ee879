/* Diagnostic logging to stderr (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {
    "error", "warn", "info", "debug", "trace"};
static int current_level = -1;

void lb_log_set_level(int level)
{
    const char *env;
    int i;

    if (level >= 0) {
        current_level = level;
        return;
    }
    current_level = LB_LOG_WARN;
    env = getenv("LB_LOG_LEVEL");
    if (env == NULL)
        return;
    for (i = 0; i <= LB_LOG_TRACE; i++)
        if (strcmp(env, level_names[i]) == 0)
            current_level = i;
}

int lb_log_enabled(enum lb_log_level level)
{
    if (current_level < 0)
        lb_log_set_level(-1);
    return (int)level <= current_level;
}

void lb_log(enum lb_log_level level, const char *fmt, ...)
{
    char line[2048];
    va_list ap;

    if (!lb_log_enabled(level))
        return;
    va_start(ap, fmt);
    (void)vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    (void)fprintf(stderr, "logos-bdd: %s: %s\n", level_names[level], line);
}
