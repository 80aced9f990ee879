/*
 * The runner's side of a running step or hook (struct lb_step of
 * <logos_bdd/step.h>): what the public step functions read and record.
 * Internal to src/engine.
 */
#ifndef LB_ENGINE_STEP_IMPL_H
#define LB_ENGINE_STEP_IMPL_H

#include <jansson.h>

#include "core/buf.h"
#include "core/vec.h"
#include "engine/match.h"
#include <logos_bdd/step.h>

struct lb_world_slot {
    char *key;
    void *ptr;
    void (*free_fn)(void *);
};

/* Per test case attempt: owned by the runner. */
struct lb_world {
    LB_VEC(struct lb_world_slot) slots;
};

/* Frees every slot's value (last set first) and the slots. */
void lb_world_release(struct lb_world *w);

/* What the runner keeps of a pickle (the envelope itself is not kept). */
struct lb_pickle_step {
    char *id;
    char *text;
    json_t *argument; /* owned reference to the pickle's argument, or NULL */
    int line;         /* of the step in the feature file, 0 when unknown */
};

struct lb_pickle {
    char *id;
    char *uri;
    char *name;
    int line;    /* of the scenario (or example row) */
    char **tags; /* names with their '@' */
    size_t ntags;
    struct lb_pickle_step *steps;
    size_t nsteps;
};

struct lb_table {
    const json_t *rows; /* borrowed: the pickle's dataTable.rows */
    size_t nrows;
    size_t ncols;
};

/* Emits an attachment on behalf of the step (runner.c). */
typedef void (*lb_attach_cb)(void *ctx,
                             const void *data,
                             size_t len,
                             const char *media_type,
                             const char *name,
                             bool base64);

struct lb_step {
    const char *text;                  /* "" in hooks */
    const struct lb_pickle *pickle;    /* borrowed, NULL in run hooks */
    const struct lb_step_match *match; /* NULL in hooks */
    void **values;                     /* transformed values, one per arg */
    struct lb_table table;
    bool has_table;
    const char *doc_string;
    const char *doc_media_type;
    struct lb_world *world; /* NULL in run hooks */
    int outcome;            /* what lb_step_fail/pending/skip recorded */
    struct lb_buf message;  /* their message (first wins) */
    lb_attach_cb attach;
    void *attach_ctx;
};

#endif
