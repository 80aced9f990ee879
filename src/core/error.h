/*
 * Errors with context. Fallible functions return int (0 ok, a negative code)
 * and take a `struct lb_error *err` that receives the first error recorded,
 * with the file, line and column it is about. The struct is fixed-size and
 * never allocates, so it can be filled when memory is short.
 */
#ifndef LB_CORE_ERROR_H
#define LB_CORE_ERROR_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Project codes live in their own range: never pass them to uv_strerror. */
enum lb_error_code {
    LB_OK = 0,
    LB_ERR_BASE = -20000,
    LB_ENOMEM = -20001,    /* out of memory */
    LB_EINVAL = -20002,    /* invalid argument or value */
    LB_EPARSE = -20003,    /* malformed input (Gherkin, JSON, YAML, ...) */
    LB_EIO = -20004,       /* reading or writing a file failed */
    LB_ENOTFOUND = -20005, /* no such file, id, step, node, ... */
    LB_ETIMEOUT = -20006,  /* a deadline passed */
    LB_EHTTP = -20007,     /* an HTTP request failed or got a bad status */
    LB_ETOOBIG = -20008,   /* input over its size limit */
    LB_EUSAGE = -20009,    /* bad command-line usage */
    LB_ESTATE = -20010,    /* operation not valid in the current state */
    LB_EINTR = -20011,     /* interrupted by a signal (Ctrl-C) */
    LB_EFAILED = -20012,   /* a check failed (expectation, assertion) */
    LB_ERR_LAST = -20013
};

struct lb_error {
    int code;       /* 0 while no error has been recorded */
    int line;       /* 1-based, 0 when unknown */
    int column;     /* 1-based, 0 when unknown */
    char file[512]; /* "" when unknown */
    char msg[1024]; /* lowercase, no trailing period, no newline */
};

/* Clears an error, so it can record the next one. */
void lb_error_init(struct lb_error *err);

/* True once an error has been recorded. `err` may be NULL (false). */
bool lb_error_is_set(const struct lb_error *err);

/*
 * Records an error unless one is already recorded (the first wins). `err`
 * may be NULL (nothing is recorded). Returns `code` so a caller can write
 * `return lb_error_set(err, LB_EINVAL, "bad value '%s'", v);`.
 */
int lb_error_set(struct lb_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same, with the location in a file the error is about. */
int lb_error_set_at(struct lb_error *err,
                    int code,
                    const char *file,
                    int line,
                    int column,
                    const char *fmt,
                    ...) __attribute__((format(printf, 6, 7)));

/* Adds context in front of a recorded message: "PREFIX: old message". */
void lb_error_prefix(struct lb_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A short description of a project code, or strerror() for errno values. */
const char *lb_strerror(int code);

/*
 * Writes "file:line:col: error: msg" (the parts that are known) and a
 * newline to `out`.
 */
void lb_error_print(const struct lb_error *err, FILE *out);

/* Programmer errors: always compiled in, abort with file:line. */
#define LB_BUG(...) lb__bug(__FILE__, __LINE__, __VA_ARGS__)
#define LB_ASSERT(cond)                                                 \
    do {                                                                \
        if (!(cond))                                                    \
            lb__bug(__FILE__, __LINE__, "assertion failed: %s", #cond); \
    } while (0)

_Noreturn void lb__bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
