/* Recording, prefixing and printing errors (see error.h). */
#include "core/error.h"

#include <stdarg.h>
#include <string.h>

void lb_error_init(struct lb_error *err)
{
    memset(err, 0, sizeof(*err));
}

bool lb_error_is_set(const struct lb_error *err)
{
    return err != NULL && err->code != 0;
}

__attribute__((format(printf, 6, 0))) static int vset(struct lb_error *err,
                                                      int code,
                                                      const char *file,
                                                      int line,
                                                      int column,
                                                      const char *fmt,
                                                      va_list ap)
{
    if (err == NULL || err->code != 0)
        return code;
    err->code = code ? code : LB_EFAILED;
    err->line = line;
    err->column = column;
    (void)snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    (void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int lb_error_set(struct lb_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vset(err, code, NULL, 0, 0, fmt, ap);
    va_end(ap);
    return code;
}

int lb_error_set_at(struct lb_error *err,
                    int code,
                    const char *file,
                    int line,
                    int column,
                    const char *fmt,
                    ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vset(err, code, file, line, column, fmt, ap);
    va_end(ap);
    return code;
}

void lb_error_prefix(struct lb_error *err, const char *fmt, ...)
{
    char prefix[512];
    size_t plen;
    size_t mlen;
    va_list ap;
    int n;

    if (err == NULL || err->code == 0)
        return;
    va_start(ap, fmt);
    n = vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    plen = strlen(prefix);
    prefix[plen] = ':';
    prefix[plen + 1] = ' ';
    plen += 2;
    /* shift the old message right, truncating its end if it must */
    mlen = strlen(err->msg);
    if (plen + mlen >= sizeof(err->msg))
        mlen = sizeof(err->msg) - 1 - plen;
    memmove(err->msg + plen, err->msg, mlen);
    memcpy(err->msg, prefix, plen);
    err->msg[plen + mlen] = '\0';
}

const char *lb_strerror(int code)
{
    switch (code) {
    case LB_OK:
        return "success";
    case LB_ENOMEM:
        return "out of memory";
    case LB_EINVAL:
        return "invalid value";
    case LB_EPARSE:
        return "parse error";
    case LB_EIO:
        return "input/output error";
    case LB_ENOTFOUND:
        return "not found";
    case LB_ETIMEOUT:
        return "timed out";
    case LB_EHTTP:
        return "http request failed";
    case LB_ETOOBIG:
        return "too big";
    case LB_EUSAGE:
        return "usage error";
    case LB_ESTATE:
        return "invalid state";
    case LB_EINTR:
        return "interrupted";
    case LB_EFAILED:
        return "check failed";
    default:
        break;
    }
    if (code > LB_ERR_BASE && code < 0)
        return strerror(-code);
    if (code > 0)
        return strerror(code);
    return "unknown error";
}

void lb_error_print(const struct lb_error *err, FILE *out)
{
    if (err->file[0] != '\0') {
        (void)fprintf(out, "%s:", err->file);
        if (err->line > 0)
            (void)fprintf(out, "%d:", err->line);
        if (err->line > 0 && err->column > 0)
            (void)fprintf(out, "%d:", err->column);
        (void)fputc(' ', out);
    }
    (void)fprintf(
        out, "error: %s\n", err->msg[0] ? err->msg : lb_strerror(err->code));
}

void lb__bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    (void)fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    (void)vfprintf(stderr, fmt, ap);
    va_end(ap);
    (void)fputc('\n', stderr);
    abort();
}
