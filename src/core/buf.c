/* Growable byte strings (see buf.h). */
#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"

char lb__buf_empty[1];

void lb_buf_init(struct lb_buf *b, size_t hint)
{
    b->ptr = lb__buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->max = 0;
    if (hint)
        (void)lb_buf_grow(b, hint);
}

void lb_buf_release(struct lb_buf *b)
{
    size_t max = b->max;

    if (b->alloc)
        lb_free(b->ptr);
    lb_buf_init(b, 0);
    b->max = max;
}

void lb_buf_reset(struct lb_buf *b)
{
    lb_buf_setlen(b, 0);
}

char *lb_buf_detach(struct lb_buf *b, size_t *len)
{
    char *res;

    if (b->alloc == 0)
        (void)lb_buf_grow(b, 0);
    res = b->ptr;
    if (len)
        *len = b->len;
    b->ptr = lb__buf_empty;
    b->len = 0;
    b->alloc = 0;
    return res;
}

int lb_buf_grow(struct lb_buf *b, size_t extra)
{
    size_t need;
    size_t alloc;
    char *p;

    if (extra > SIZE_MAX / 2 - b->len)
        return LB_ETOOBIG;
    need = b->len + extra + 1;
    if (b->max && need > b->max + 1)
        return LB_ETOOBIG;
    if (need <= b->alloc)
        return 0;
    alloc = b->alloc ? b->alloc : 64;
    while (alloc < need)
        alloc = alloc / 2 * 3 + 16;
    if (b->max && alloc > b->max + 1)
        alloc = b->max + 1;
    p = lb_xrealloc(b->alloc ? b->ptr : NULL, alloc);
    if (b->alloc == 0)
        p[0] = '\0';
    b->ptr = p;
    b->alloc = alloc;
    return 0;
}

void lb_buf_setlen(struct lb_buf *b, size_t len)
{
    if (b->alloc == 0) {
        LB_ASSERT(len == 0);
        return;
    }
    LB_ASSERT(len < b->alloc);
    b->len = len;
    b->ptr[len] = '\0';
}

int lb_buf_add(struct lb_buf *b, const void *data, size_t len)
{
    int rc = lb_buf_grow(b, len);

    if (rc)
        return rc;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int lb_buf_adds(struct lb_buf *b, const char *s)
{
    return lb_buf_add(b, s, strlen(s));
}

int lb_buf_addch(struct lb_buf *b, int c)
{
    int rc = lb_buf_grow(b, 1);

    if (rc)
        return rc;
    b->ptr[b->len++] = (char)c;
    b->ptr[b->len] = '\0';
    return 0;
}

int lb_buf_vaddf(struct lb_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;
    int rc;

    va_copy(cp, ap);
    n = vsnprintf(b->ptr + b->len, b->alloc ? b->alloc - b->len : 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return LB_EINVAL;
    if ((size_t)n >= (b->alloc ? b->alloc - b->len : 0)) {
        rc = lb_buf_grow(b, (size_t)n);
        if (rc)
            return rc;
        n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, ap);
        if (n < 0)
            return LB_EINVAL;
    }
    b->len += (size_t)n;
    return 0;
}

int lb_buf_addf(struct lb_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = lb_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

size_t lb_utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c;
    unsigned min;
    size_t n;
    size_t i;

    if (len == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        if (cp)
            *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    if (cp)
        *cp = c;
    return n;
}

bool lb_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = lb_utf8_decode(p + i, len - i, NULL);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* The bytes JSON.stringify escapes: controls, quote, backslash. */
static inline int json_needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

int lb_buf_add_json_string(struct lb_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    size_t run = 0;
    int rc;

    /* copy unescaped runs in one go; escapes are rare */
    rc = lb_buf_grow(b, len + 2);
    if (rc)
        return rc;
    b->ptr[b->len++] = '"';
    while (i < len) {
        unsigned char c = p[i];
        char esc[8];
        size_t esc_len = 0;
        size_t n = 1;

        if (c < 0x80 && !json_needs_escape(c)) {
            i++;
            run++;
            continue;
        }
        if (c >= 0x80) {
            n = lb_utf8_decode(p + i, len - i, NULL);
            if (n) {
                i += n;
                run += n;
                continue;
            }
            esc[0] = '\xEF'; /* U+FFFD */
            esc[1] = '\xBF';
            esc[2] = '\xBD';
            esc_len = 3;
            n = 1;
        } else {
            esc[0] = '\\';
            esc_len = 2;
            switch (c) {
            case '"':
                esc[1] = '"';
                break;
            case '\\':
                esc[1] = '\\';
                break;
            case '\b':
                esc[1] = 'b';
                break;
            case '\f':
                esc[1] = 'f';
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            case '\t':
                esc[1] = 't';
                break;
            default:
                esc[1] = 'u';
                esc[2] = '0';
                esc[3] = '0';
                esc[4] = hex[c >> 4];
                esc[5] = hex[c & 15];
                esc_len = 6;
                break;
            }
        }
        rc = lb_buf_add(b, s + i - run, run);
        if (rc == 0)
            rc = lb_buf_add(b, esc, esc_len);
        if (rc)
            return rc;
        run = 0;
        i += n;
    }
    rc = lb_buf_add(b, s + i - run, run);
    if (rc == 0)
        rc = lb_buf_addch(b, '"');
    return rc;
}

int lb_buf_read_file(struct lb_buf *b, const char *path, struct lb_error *err)
{
    int fd = 0;
    int rc = 0;
    bool sized = false; /* room for the whole file (and one byte more) */

    if (strcmp(path, "-") != 0) {
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return lb_error_set(
                err, LB_EIO, "cannot open '%s': %s", path, strerror(errno));
        /*
         * A regular file's size, read in one buffer: no copy at each
         * growth, no outgrown buffers left in the heap (a file that grows
         * meanwhile still grows the buffer)
         */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (uintmax_t)st.st_size < SIZE_MAX / 4 &&
            lb_buf_grow(b, (size_t)st.st_size + 1) != 0)
        {
            (void)close(fd);
            return lb_error_set(err, LB_ETOOBIG, "'%s' is too big", path);
        }
        sized = b->alloc > b->len + 1;
        if (sized)
            lb_advise_huge(b->ptr + b->len, b->alloc - b->len);
    }
    for (;;) {
        ssize_t n;

        /* the spare byte read last of a sized file finds its end */
        if (!sized || b->alloc <= b->len + 1) {
            rc = lb_buf_grow(b, 65536);
            if (rc) {
                lb_error_set(err, rc, "'%s' is too big", path);
                break;
            }
        }
        n = read(fd, b->ptr + b->len, b->alloc - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = lb_error_set(
                err, LB_EIO, "cannot read '%s': %s", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        b->ptr[b->len] = '\0';
    }
    if (fd > 0)
        (void)close(fd);
    return rc;
}

int lb_write_file_atomic(const char *path,
                         const void *data,
                         size_t len,
                         struct lb_error *err)
{
    struct lb_buf tmp = LB_BUF_INIT;
    const char *p = data;
    int fd = -1;
    int rc = 0;

    (void)lb_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = lb_error_set(
            err, LB_EIO, "cannot create '%s': %s", tmp.ptr, strerror(errno));
        goto out;
    }
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = lb_error_set(
                err, LB_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
            goto out;
        }
        p += n;
        len -= (size_t)n;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {
        rc = lb_error_set(
            err, LB_EIO, "cannot sync '%s': %s", tmp.ptr, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = lb_error_set(
            err, LB_EIO, "cannot close '%s': %s", tmp.ptr, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp.ptr, path) != 0)
        rc = lb_error_set(err,
                          LB_EIO,
                          "cannot rename '%s' to '%s': %s",
                          tmp.ptr,
                          path,
                          strerror(errno));
out:
    if (fd >= 0)
        (void)close(fd);
    if (rc)
        (void)unlink(tmp.ptr);
    lb_buf_release(&tmp);
    return rc;
}
