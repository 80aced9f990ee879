/*
 * Text into fixed-size buffers, with truncation made visible.
 *
 * snprintf() silently cuts a path or an id that does not fit; these say so,
 * so that a caller can refuse a cut path and deliberately accept a cut
 * message:
 *
 *     char path[512];
 *     if (lb_format(path, sizeof(path), "%s/%s.lock", dir, name) != 0)
 *         return lb_error_set(err, LB_EINVAL, "path too long: '%s'", dir);
 *
 *     lb_copy(d->label, sizeof(d->label), name);   (a cut label is fine)
 */
#ifndef LB_CORE_STR_H
#define LB_CORE_STR_H

#include <stddef.h>

/*
 * Formats into `out` (`size` > 0 bytes), always NUL-terminated. Returns 0,
 * or -1 when the text did not fit (`out` then holds its first size-1 bytes)
 * or the format failed (`out` is then "").
 */
int lb_format(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Copies the string `src` into `out` (`size` > 0 bytes), always
 * NUL-terminated. Returns 0, or -1 when it was cut.
 */
int lb_copy(char *out, size_t size, const char *src);

#endif
