/*
 * Growable byte strings, after git's strbuf.
 *
 * Invariants: `ptr` is never NULL and always NUL-terminated (an empty buffer
 * points at a shared static ""), `len` bytes are in use, `alloc` bytes are
 * owned. A buffer fed by a node, a file or a user has a maximum size (`max`,
 * 0 = unlimited): growing past it fails with LB_ETOOBIG and leaves the
 * buffer as it was, like curl's dynbuf.
 *
 * Out of memory is fatal here (as in git): the add functions return 0 or
 * LB_ETOOBIG, nothing else.
 */
#ifndef LB_CORE_BUF_H
#define LB_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct lb_error;

struct lb_buf {
    char *ptr;
    size_t len;
    size_t alloc;
    size_t max;
};

extern char lb__buf_empty[];
#define LB_BUF_INIT            \
    {                          \
        lb__buf_empty, 0, 0, 0 \
    }

/* Initialises an empty buffer, reserving `hint` bytes (0 = none). */
void lb_buf_init(struct lb_buf *b, size_t hint);

/* Frees the memory; the buffer is empty and usable again. */
void lb_buf_release(struct lb_buf *b);

/* Empties the buffer, keeping its memory. */
void lb_buf_reset(struct lb_buf *b);

/*
 * Hands the string to the caller, who frees it with lb_free(); `len` (may be
 * NULL) receives its length. The buffer is empty and usable again. Never
 * returns NULL.
 */
char *lb_buf_detach(struct lb_buf *b, size_t *len);

/* Makes room for `extra` more bytes (and the NUL). */
int lb_buf_grow(struct lb_buf *b, size_t extra);

/* Shortens (or, within alloc, extends) to `len` bytes. */
void lb_buf_setlen(struct lb_buf *b, size_t len);

int lb_buf_add(struct lb_buf *b, const void *data, size_t len);
int lb_buf_adds(struct lb_buf *b, const char *s);
int lb_buf_addch(struct lb_buf *b, int c);
int lb_buf_addf(struct lb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int lb_buf_vaddf(struct lb_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Appends `s` as a JSON string literal, quotes included, escaped as
 * JavaScript's JSON.stringify does (\b \f \n \r \t \" \\, other controls as
 * \u00XX). Invalid UTF-8 is written as U+FFFD. Linear in `len`.
 */
int lb_buf_add_json_string(struct lb_buf *b, const char *s, size_t len);

/*
 * Reads a whole file (a path of "-" reads stdin). Fails with the path and
 * the reason in `err`; the buffer's `max` applies.
 */
int lb_buf_read_file(struct lb_buf *b, const char *path, struct lb_error *err);

/*
 * Writes `len` bytes to `path` atomically: a temp file in the same folder,
 * fsync, rename. Fails with the path and the reason in `err`.
 */
int lb_write_file_atomic(const char *path,
                         const void *data,
                         size_t len,
                         struct lb_error *err);

/*
 * Length of the valid UTF-8 sequence at `s` (1 to 4), or 0 when the bytes
 * there are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF).
 * `*cp` (may be NULL) receives the code point.
 */
size_t lb_utf8_decode(const unsigned char *s, size_t len, unsigned *cp);

/* True when all `len` bytes are valid UTF-8. */
bool lb_utf8_valid(const char *s, size_t len);

#endif
