/*
 * Identifiers for Cucumber Messages (AST nodes, pickles, step definitions,
 * test cases, ...): one generator per run, so every id is unique in it.
 * Predictable mode gives "0", "1", "2", ... as the official tools'
 * --predictable-ids; otherwise random UUIDs (version 4).
 */
#ifndef LB_CORE_ID_H
#define LB_CORE_ID_H

#include <stdbool.h>
#include <stdint.h>

#define LB_ID_MAX 40 /* enough for a UUID and its NUL */

struct lb_idgen {
    bool predictable;
    uint64_t next; /* the next number in predictable mode */
    uint64_t rng;  /* xorshift state in random mode, seeded from the OS */
};

/* Starts a generator; random mode seeds itself from getrandom(). */
void lb_idgen_init(struct lb_idgen *gen, bool predictable);

/* Writes the next id (NUL-terminated) into `out`; returns its length. */
int lb_idgen_next(struct lb_idgen *gen, char out[LB_ID_MAX]);

#endif
