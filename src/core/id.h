/*
 * Identifiers for Cucumber Messages (AST nodes, pickles, step definitions,
 * test cases, ...): one generator per run, so every id is unique in it.
 * Every id is an ordinal of the generator (0, 1, 2, ...), formatted when
 * written: predictable mode gives "0", "1", "2", ... as the official tools'
 * --predictable-ids; otherwise a UUID (version 4 shaped) derived from the
 * ordinal and a per-run random seed, so distinct ordinals of one generator
 * never give the same UUID and one ordinal always gives the same text.
 */
#ifndef LB_CORE_ID_H
#define LB_CORE_ID_H

#include <stdbool.h>
#include <stdint.h>

#define LB_ID_MAX 40 /* enough for a UUID and its NUL */

struct lb_idgen {
    bool predictable;
    uint64_t next; /* the next ordinal */
    uint64_t rng;  /* random mode: the seed, from the OS */
};

/* Starts a generator; random mode seeds itself from getrandom(). */
void lb_idgen_init(struct lb_idgen *gen, bool predictable);

/* Writes the next id (NUL-terminated) into `out`; returns its length. */
int lb_idgen_next(struct lb_idgen *gen, char out[LB_ID_MAX]);

/*
 * Reserves `n` consecutive ordinals and returns the first: ids made later
 * with lb_idgen_format (for data that stores numbers, not texts).
 */
uint64_t lb_idgen_take(struct lb_idgen *gen, uint64_t n);

/* Writes the id of `ordinal` (NUL-terminated) into `out`; its length. */
int lb_idgen_format(const struct lb_idgen *gen,
                    uint64_t ordinal,
                    char out[LB_ID_MAX]);

/*
 * The ordinal whose id (as lb_idgen_format writes it with `gen`'s mode and
 * seed) is exactly `text`, in `*ordinal`: the inverse of lb_idgen_format.
 * False when no ordinal below 2^62 has that id.
 */
bool lb_idgen_parse(const struct lb_idgen *gen,
                    const char *text,
                    uint64_t *ordinal);

#endif
