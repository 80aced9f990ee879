#include "core/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int lb_format(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    if (n < 0) {
        out[0] = '\0';
        return -1;
    }
    return (size_t)n < size ? 0 : -1;
}

int lb_copy(char *out, size_t size, const char *src)
{
    size_t len = strlen(src);

    if (len < size) {
        memcpy(out, src, len + 1);
        return 0;
    }
    memcpy(out, src, size - 1);
    out[size - 1] = '\0';
    return -1;
}
