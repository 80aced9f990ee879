/* The bump allocator (see arena.h). */
#include "core/arena.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

struct lb_arena_block {
    struct lb_arena_block *next;
    size_t mapped; /* nonzero: from lb_huge_alloc, of that size */
    alignas(max_align_t) char data[];
};

#define ALIGN  alignof(max_align_t)
#define HEADER offsetof(struct lb_arena_block, data)

/*
 * A big block (an arena of a large document) is first touched page by
 * page: in a VM each 4 KiB fault costs microseconds, more than the parse
 * of the bytes that fill it. So a block of 4 MiB or more is whole huge
 * pages from lb_huge_alloc (2 MiB faults; its unused end is never
 * touched, so it costs address space, not memory), and only a smaller one
 * comes from lb_malloc (where glibc's heap grows 4 KiB at a time).
 */
static struct lb_arena_block *block_new(size_t *want, int raw)
{
    struct lb_arena_block *b;

    if (*want >= 2 * LB_HUGE_PAGE && *want <= SIZE_MAX - HEADER - LB_HUGE_PAGE)
    {
        size_t mapped =
            (HEADER + *want + LB_HUGE_PAGE - 1) & ~(LB_HUGE_PAGE - 1);

        b = lb_huge_alloc(mapped);
        if (b != NULL) {
            /* zero from the kernel: nothing to clear */
            b->mapped = mapped;
            *want = mapped - HEADER;
            return b;
        }
    }
    /* calloc: glibc does not clear what is fresh from the kernel */
    b = raw ? lb_malloc(HEADER + *want) : lb_calloc(1, HEADER + *want);
    if (b != NULL)
        b->mapped = 0;
    return b;
}

static void block_free(struct lb_arena_block *b)
{
    if (b->mapped != 0)
        lb_huge_free(b, b->mapped);
    else
        lb_free(b);
}

void lb_arena_init(struct lb_arena *a, size_t block_size)
{
    a->head = NULL;
    a->cur = NULL;
    a->end = NULL;
    a->block_size = block_size ? block_size : 1024;
    a->grow_to = block_size ? 0 : 65536;
    a->total = 0;
    a->raw = 0;
}

void lb_arena_release(struct lb_arena *a)
{
    struct lb_arena_block *b = a->head;

    while (b != NULL) {
        struct lb_arena_block *next = b->next;
        block_free(b);
        b = next;
    }
    {
        int raw = a->raw;

        lb_arena_init(a, a->grow_to ? 0 : a->block_size);
        a->raw = raw;
    }
}

void *lb_arena_alloc(struct lb_arena *a, size_t size)
{
    struct lb_arena_block *b;
    size_t want;
    int own;
    char *p;

    size = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    if (a->cur != NULL && (size_t)(a->end - a->cur) >= size) {
        p = a->cur; /* zero: see arena.h */
        a->cur += size;
        return p;
    }
    if (size > SIZE_MAX - HEADER - a->block_size)
        return NULL;
    /* a large request gets a block of its own, keeping the current one */
    own = size > a->block_size / 4;
    want = own ? size : a->block_size;
    b = block_new(&want, a->raw);
    if (b == NULL)
        return NULL;
    a->total += HEADER + want;
    if (own && a->head != NULL) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
        a->cur = b->data + size;
        a->end = b->data + want;
        if (a->block_size < a->grow_to)
            a->block_size *= 2;
    }
    return b->data;
}

char *lb_arena_strndup(struct lb_arena *a, const char *s, size_t n)
{
    char *p = lb_arena_alloc(a, n + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *lb_arena_strdup(struct lb_arena *a, const char *s)
{
    return lb_arena_strndup(a, s, strlen(s));
}
