/*
 * The allocator hook: every allocation of logos-bdd goes through these
 * functions, so tests can count allocations or fail the N-th one, and jansson
 * and PCRE2 can be routed through the same hook.
 */
#ifndef LB_CORE_ALLOC_H
#define LB_CORE_ALLOC_H

#include <stddef.h>

typedef void *(*lb_malloc_fn)(size_t size);
typedef void *(*lb_realloc_fn)(void *ptr, size_t size);
typedef void *(*lb_calloc_fn)(size_t count, size_t size);
typedef void (*lb_free_fn)(void *ptr);

/*
 * Replaces the allocator. Call before anything is allocated (or after
 * everything has been freed): memory must be freed by the allocator that
 * made it. Also routes jansson through the hook. Returns 0, or a negative
 * code when a function is NULL.
 */
int lb_replace_allocator(lb_malloc_fn malloc_fn,
                         lb_realloc_fn realloc_fn,
                         lb_calloc_fn calloc_fn,
                         lb_free_fn free_fn);

/*
 * Big blocks straight from the kernel, for an arena's blocks of several
 * MiB: `size` (a multiple of LB_HUGE_PAGE) bytes, zeroed, aligned on
 * LB_HUGE_PAGE and advised for transparent huge pages, so their first
 * touch faults 2 MiB at a time, not 4 KiB (in a VM each fault costs
 * microseconds; a big document's heap is mostly new). Released with
 * lb_huge_free and the same size. Where that is not available (no
 * anonymous mappings), lb_huge_alloc returns NULL and the caller uses
 * lb_malloc. Replaceable like the allocator above (a bench counts them);
 * NULL functions restore the default.
 */
#define LB_HUGE_PAGE ((size_t)2 << 20)

typedef void *(*lb_huge_alloc_fn)(size_t size);
typedef void (*lb_huge_free_fn)(void *ptr, size_t size);

void lb_replace_huge_allocator(lb_huge_alloc_fn alloc_fn,
                               lb_huge_free_fn free_fn);
void *lb_huge_alloc(size_t size);
void lb_huge_free(void *ptr, size_t size);

/* The default pair (mmap, munmap), for a replacement to wrap. */
void *lb_huge_map(size_t size);
void lb_huge_unmap(void *ptr, size_t size);

/*
 * Asks for huge pages over the whole LB_HUGE_PAGE ranges inside [ptr,
 * ptr + size) of a big buffer from lb_malloc that is about to be filled
 * (a file read, a copy of a source); a no-op below 4 MiB or where not
 * supported (a failure only means small pages).
 */
void lb_advise_huge(void *ptr, size_t size);

/* Like malloc/realloc/calloc/free; return NULL when out of memory. */
void *lb_malloc(size_t size);
void *lb_realloc(void *ptr, size_t size);
void *lb_calloc(size_t count, size_t size);
void lb_free(void *ptr);

/* Copies of a string; the caller owns the result (lb_free). NULL on OOM. */
char *lb_strdup(const char *s);
char *lb_strndup(const char *s, size_t n);

/*
 * The x-variants never return NULL: out of memory aborts with a message, as
 * git's xmalloc does. For code where an allocation failure has no sensible
 * recovery (building a report line, a step's world).
 */
void *lb_xmalloc(size_t size);
void *lb_xrealloc(void *ptr, size_t size);
void *lb_xcalloc(size_t count, size_t size);
char *lb_xstrdup(const char *s);
char *lb_xstrndup(const char *s, size_t n);

#endif
