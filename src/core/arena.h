/*
 * A bump allocator for data that lives and dies together (an AST, the
 * pickles of a file, one scenario's plan): many small allocations, one free.
 */
#ifndef LB_CORE_ARENA_H
#define LB_CORE_ARENA_H

#include <stddef.h>

struct lb_arena_block;

/*
 * Blocks come zeroed from the allocator (calloc: memory fresh from the
 * kernel is not cleared again) and no byte is handed out twice, so the
 * bytes from `cur` to `end` are zero: a user that bumps `cur` itself for
 * small allocations gets zeroed memory too, and must leave `cur` aligned
 * for any type before calling lb_arena_alloc. A `raw` arena (set after
 * lb_arena_init) skips the clearing: its memory is uninitialised, and its
 * user (the Gherkin parser, which writes most of it whole) clears what it
 * needs; calloc clears memory that malloc reused, a second pass over it.
 */
struct lb_arena {
    struct lb_arena_block *head; /* newest block first */
    char *cur;                   /* next free byte in head */
    char *end;                   /* end of head */
    size_t block_size;           /* size of a regular block (may change) */
    size_t total;                /* bytes obtained from the allocator */
    size_t grow_to; /* nonzero: block_size doubles up to it, block by block */
    int raw;        /* nonzero: blocks are not cleared (see above) */
};

/*
 * Initialises an empty arena. `block_size` 0: blocks from 1 KiB, each
 * twice the last, up to 64 KiB (a small arena clears little memory).
 */
void lb_arena_init(struct lb_arena *a, size_t block_size);

/* Frees every allocation of the arena at once. */
void lb_arena_release(struct lb_arena *a);

/*
 * `size` bytes aligned for any type, zeroed (unless raw); owned by the arena. A
 * request larger than a quarter of block_size gets a block of its own (the
 * current block stays current). NULL when out of memory.
 */
void *lb_arena_alloc(struct lb_arena *a, size_t size);

/* A NUL-terminated copy of `n` bytes of `s`, owned by the arena. */
char *lb_arena_strndup(struct lb_arena *a, const char *s, size_t n);
char *lb_arena_strdup(struct lb_arena *a, const char *s);

#endif
