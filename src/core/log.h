/*
 * Diagnostic logging of the runner itself (not the reports): one line per
 * message on stderr, `logos-bdd: LEVEL: message`. The level comes from
 * LB_LOG_LEVEL (error, warn, info, debug, trace; default warn).
 */
#ifndef LB_CORE_LOG_H
#define LB_CORE_LOG_H

enum lb_log_level {
    LB_LOG_ERROR = 0,
    LB_LOG_WARN,
    LB_LOG_INFO,
    LB_LOG_DEBUG,
    LB_LOG_TRACE
};

/* Sets the level; a negative value re-reads LB_LOG_LEVEL. */
void lb_log_set_level(int level);

/* True when messages of `level` are written. */
int lb_log_enabled(enum lb_log_level level);

void lb_log(enum lb_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define lb_log_error(...) lb_log(LB_LOG_ERROR, __VA_ARGS__)
#define lb_log_warn(...)  lb_log(LB_LOG_WARN, __VA_ARGS__)
#define lb_log_info(...)  lb_log(LB_LOG_INFO, __VA_ARGS__)
#define lb_log_debug(...) lb_log(LB_LOG_DEBUG, __VA_ARGS__)

#endif
