/* The bump allocator (see arena.h). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "core/alloc.h"

struct lb_arena_block {
    struct lb_arena_block *next;
    alignas(max_align_t) char data[];
};

#define ALIGN alignof(max_align_t)

/*
 * A big block (an arena of a large document) is first touched page by
 * page: in a VM each 4 KiB fault costs microseconds, more than the parse
 * of the bytes that fill it. Transparent huge pages cut the faults 512-
 * fold; in "madvise" mode the kernel only uses them when asked. The advice
 * covers the 2 MiB-aligned interior of the block (any anonymous memory
 * accepts it; a failure only means small pages).
 */
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void advise_huge(char *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

    /* back to a pointer by offset, not by casting the integer */
    if (n >= 2 * HUGE_PAGE && hi > lo)
        (void)madvise(p + (lo - (uintptr_t)p), hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
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
        lb_free(b);
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
    char *p;

    size = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    if (a->cur != NULL && (size_t)(a->end - a->cur) >= size) {
        p = a->cur; /* zero: see arena.h */
        a->cur += size;
        return p;
    }
    if (size > SIZE_MAX - sizeof(*b) - a->block_size)
        return NULL;
    /* a large request gets a block of its own, keeping the current one */
    want = size > a->block_size / 4 ? size : a->block_size;
    /* calloc: glibc does not clear what is fresh from the kernel */
    b = a->raw ? lb_malloc(sizeof(*b) + want) : lb_calloc(1, sizeof(*b) + want);
    if (b == NULL)
        return NULL;
    a->total += sizeof(*b) + want;
    advise_huge(b->data, want);
    if (want == size && a->head != NULL) {
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
