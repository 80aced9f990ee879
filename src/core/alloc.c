/* The allocator hook behind lb_malloc and friends (see alloc.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "core/alloc.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/error.h"

static struct {
    lb_malloc_fn malloc_fn;
    lb_realloc_fn realloc_fn;
    lb_calloc_fn calloc_fn;
    lb_free_fn free_fn;
} allocator = {malloc, realloc, calloc, free};

int lb_replace_allocator(lb_malloc_fn malloc_fn,
                         lb_realloc_fn realloc_fn,
                         lb_calloc_fn calloc_fn,
                         lb_free_fn free_fn)
{
    if (malloc_fn == NULL || realloc_fn == NULL || calloc_fn == NULL ||
        free_fn == NULL)
        return LB_EINVAL;
    allocator.malloc_fn = malloc_fn;
    allocator.realloc_fn = realloc_fn;
    allocator.calloc_fn = calloc_fn;
    allocator.free_fn = free_fn;
    json_set_alloc_funcs(malloc_fn, free_fn);
    return 0;
}

#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
void *lb_huge_map(size_t size)
{
    char *p;
    size_t lead;

    if (size == 0 || size % LB_HUGE_PAGE != 0 || size > SIZE_MAX - LB_HUGE_PAGE)
        return NULL;
    /* Linux aligns a mapping of whole huge pages itself (6.7 on) ... */
    p = mmap(
        NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if ((uintptr_t)p % LB_HUGE_PAGE != 0) {
        /* ... before, map one huge page more and cut it to the boundary */
        (void)munmap(p, size);
        p = mmap(NULL,
                 size + LB_HUGE_PAGE,
                 PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS,
                 -1,
                 0);
        if (p == MAP_FAILED)
            return NULL;
        lead = (LB_HUGE_PAGE - (uintptr_t)p % LB_HUGE_PAGE) % LB_HUGE_PAGE;
        if (lead > 0)
            (void)munmap(p, lead);
        (void)munmap(p + lead + size, LB_HUGE_PAGE - lead);
        p += lead;
    }
    (void)madvise(p, size, MADV_HUGEPAGE); /* a failure: small pages */
    return p;
}

void lb_huge_unmap(void *ptr, size_t size)
{
    (void)munmap(ptr, size);
}
#else
void *lb_huge_map(size_t size)
{
    (void)size;
    return NULL;
}

void lb_huge_unmap(void *ptr, size_t size)
{
    (void)ptr;
    (void)size;
}
#endif

void lb_advise_huge(void *ptr, size_t size)
{
#ifdef MADV_HUGEPAGE
    char *p = ptr;
    uintptr_t lo = ((uintptr_t)p + LB_HUGE_PAGE - 1) & ~(LB_HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + size) & ~(LB_HUGE_PAGE - 1);

    /* back to a pointer by offset, not by casting the integer */
    if (size >= 2 * LB_HUGE_PAGE && hi > lo)
        (void)madvise(p + (lo - (uintptr_t)p), hi - lo, MADV_HUGEPAGE);
#else
    (void)ptr;
    (void)size;
#endif
}

static struct {
    lb_huge_alloc_fn alloc_fn;
    lb_huge_free_fn free_fn;
} huge = {lb_huge_map, lb_huge_unmap};

void lb_replace_huge_allocator(lb_huge_alloc_fn alloc_fn,
                               lb_huge_free_fn free_fn)
{
    huge.alloc_fn = alloc_fn != NULL ? alloc_fn : lb_huge_map;
    huge.free_fn = free_fn != NULL ? free_fn : lb_huge_unmap;
}

void *lb_huge_alloc(size_t size)
{
    return huge.alloc_fn(size);
}

void lb_huge_free(void *ptr, size_t size)
{
    if (ptr != NULL)
        huge.free_fn(ptr, size);
}

void *lb_malloc(size_t size)
{
    return allocator.malloc_fn(size ? size : 1);
}

void *lb_realloc(void *ptr, size_t size)
{
    return allocator.realloc_fn(ptr, size ? size : 1);
}

void *lb_calloc(size_t count, size_t size)
{
    if (count == 0 || size == 0)
        count = size = 1;
    return allocator.calloc_fn(count, size);
}

void lb_free(void *ptr)
{
    if (ptr != NULL)
        allocator.free_fn(ptr);
}

char *lb_strndup(const char *s, size_t n)
{
    const char *end = memchr(s, '\0', n);
    size_t len = end ? (size_t)(end - s) : n;
    char *copy = lb_malloc(len + 1);

    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *lb_strdup(const char *s)
{
    return lb_strndup(s, strlen(s));
}

static void *die_oom(size_t size)
{
    (void)fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", size);
    abort();
}

void *lb_xmalloc(size_t size)
{
    void *p = lb_malloc(size);
    return p ? p : die_oom(size);
}

void *lb_xrealloc(void *ptr, size_t size)
{
    void *p = lb_realloc(ptr, size);
    return p ? p : die_oom(size);
}

void *lb_xcalloc(size_t count, size_t size)
{
    void *p = lb_calloc(count, size);
    return p ? p : die_oom(count * size);
}

char *lb_xstrndup(const char *s, size_t n)
{
    char *p = lb_strndup(s, n);
    return p ? p : die_oom(n + 1);
}

char *lb_xstrdup(const char *s)
{
    return lb_xstrndup(s, strlen(s));
}
